/**
 * A real SMTP server in its own process for tests: accepts every message on SMTP_PORT, parses
 * it, and lists what it received over a small HTTP API on API_PORT:
 *   GET /messages            all messages (JSON)
 *   DELETE /messages         forget them
 * Prints "ready <smtpPort> <apiPort>" on stdout when listening.
 */
import http from "node:http";
import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";

interface Received {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  receivedAt: string;
}

const messages: Received[] = [];
const smtpPort = Number(process.env.SMTP_PORT ?? 0);
const apiPort = Number(process.env.API_PORT ?? 0);
// FAIL_FIRST=n refuses the first n deliveries (tests of retry with backoff)
let failFirst = Number(process.env.FAIL_FIRST ?? 0);

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onData(stream, session, callback) {
    if (failFirst > 0) {
      failFirst--;
      stream.resume();
      stream.on("end", () => callback(Object.assign(new Error("451 try again later"), { responseCode: 451 })));
      return;
    }
    simpleParser(stream)
      .then((mail) => {
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          subject: mail.subject ?? "",
          text: mail.text ?? "",
          html: typeof mail.html === "string" ? mail.html : "",
          headers: Object.fromEntries([...mail.headers].map(([k, v]) => [k, String(typeof v === "object" && v && "value" in v ? (v as { value: unknown }).value : v)])),
          receivedAt: new Date().toISOString(),
        });
        callback();
      })
      .catch(callback);
  },
});

const api = http.createServer((req, res) => {
  if (req.url?.startsWith("/messages") && req.method === "GET") {
    // ?to=address: that recipient's messages only (a waiting test polls; the whole run's mail is megabytes)
    const to = new URL(req.url, "http://x").searchParams.get("to")?.toLowerCase();
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(to ? messages.filter((m) => m.to.includes(to)) : messages));
  } else if (req.url?.startsWith("/messages") && req.method === "DELETE") {
    messages.length = 0;
    res.end("ok");
  } else if (req.url?.startsWith("/fail-next") && req.method === "POST") {
    failFirst += Number(new URL(req.url, "http://x").searchParams.get("n") ?? 1);
    res.end("ok");
  } else {
    res.statusCode = 404;
    res.end();
  }
});

smtp.listen(smtpPort, "127.0.0.1", () => {
  api.listen(apiPort, "127.0.0.1", () => {
    const s = smtp.server.address() as { port: number };
    const a = api.address() as { port: number };
    process.stdout.write(`ready ${s.port} ${a.port}\n`);
  });
});

const stop = () => {
  api.close();
  smtp.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
