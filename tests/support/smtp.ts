import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export interface SmtpHandle {
  smtpPort: number;
  apiUrl: string;
  stop(): Promise<void>;
}

/** Starts tests/support/smtp-process.ts as a separate process and waits until it listens. */
export async function startSmtpProcess(opts: { smtpPort?: number; apiPort?: number } = {}): Promise<SmtpHandle> {
  const script = path.resolve(import.meta.dirname, "smtp-process.ts");
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", script], {
    env: { ...process.env, SMTP_PORT: String(opts.smtpPort ?? 0), API_PORT: String(opts.apiPort ?? 0) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [smtpPort, apiPort] = await new Promise<[number, number]>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk) => {
      out += String(chunk);
      const m = /ready (\d+) (\d+)/.exec(out);
      if (m) resolve([Number(m[1]), Number(m[2])]);
    });
    child.on("exit", (code) => reject(new Error(`SMTP test server exited with ${code}`)));
    setTimeout(() => reject(new Error("SMTP test server did not start in 20 s")), 20_000).unref();
  });
  return {
    smtpPort,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  receivedAt: string;
}

/** Every message received, or (with `to`) those to one address. */
export async function receivedMail(apiUrl: string, to?: string): Promise<ReceivedMail[]> {
  const res = await fetch(`${apiUrl}/messages${to ? `?to=${encodeURIComponent(to.toLowerCase())}` : ""}`);
  return (await res.json()) as ReceivedMail[];
}

/** Polls the SMTP test server until a message to `to` (matching `match`) arrives. */
export async function waitForMail(
  apiUrl: string,
  to: string,
  match: (m: ReceivedMail) => boolean = () => true,
  // a bound for mail that never comes, not a speed limit: the outbox's worker and SMTP on a busy machine
  timeoutMs = 60_000,
): Promise<ReceivedMail> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = (await receivedMail(apiUrl, to)).filter(match);
    if (found.length) return found[found.length - 1]!;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
}

/** The first http(s) link in a message's text part that contains `pathPart`. */
export function linkIn(mail: ReceivedMail, pathPart: string): string {
  const links = mail.text.match(/https?:\/\/[^\s)\]>]+/g) ?? [];
  const link = links.find((l) => l.includes(pathPart));
  if (!link) throw new Error(`no link containing ${pathPart} in mail "${mail.subject}"`);
  return link;
}
