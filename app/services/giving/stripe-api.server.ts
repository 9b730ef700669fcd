import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type Stripe from "stripe";
import { env } from "~/lib/env.server";
import { logger } from "~/lib/logger.server";
import { paymentsMode, stripe, stripeClient } from "~/lib/stripe.server";

/**
 * The Stripe API the webhook reads back from when an event lacks something (an invoice's
 * payments, which webhook payloads never include; a dispute's PaymentIntent): Stripe itself in
 * Stripe mode; in demo payments mode a local stand-in — an HTTP server on 127.0.0.1, started on
 * first use, that speaks the few endpoints the webhook calls, over the objects demo mode made.
 * Either way the webhook makes the same calls through the same SDK, pointed at the stand-in with
 * the SDK's host/port/protocol options; nothing leaves the machine in demo mode.
 *
 * The objects are kept as JSON files in DATA_DIR/stripe-demo-objects (several instances on one
 * DATA_DIR answer alike, as they share the demo webhook secret), in their full form — an invoice
 * with its `payments` — and answered as Stripe answers: an includable field only when the request
 * expands it.
 */

/** Stripe mode: the configured client. Demo mode: a client of the local stand-in. */
export async function stripeApi(): Promise<Stripe> {
  if (paymentsMode() === "stripe") return stripe();
  const { port, key } = await standIn();
  if (demoClient?.port !== port) demoClient = { port, client: stripeClient(key, new URL(`http://127.0.0.1:${port}`), { maxNetworkRetries: 0 }) };
  return demoClient.client;
}

let demoClient: { port: number; client: Stripe } | undefined;

/** An object as Stripe keeps it (what demo mode made, or a test's fixture): answered by the stand-in. */
export function keepDemoObject(object: { id: string; object: string }) {
  const file = objectFile(object.id);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(object));
  fs.renameSync(tmp, file);
}

const ID = /^[A-Za-z0-9_]{1,255}$/;

function objectFile(id: string) {
  if (!ID.test(id)) throw new Error(`not a Stripe id: ${id}`);
  return path.resolve(env().DATA_DIR, "stripe-demo-objects", `${id}.json`);
}

function readObject(id: string, type: string): Record<string, unknown> | null {
  if (!ID.test(id)) return null;
  try {
    const o = JSON.parse(fs.readFileSync(objectFile(id), "utf8")) as Record<string, unknown>;
    return o.object === type ? o : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Fields Stripe leaves out of an object unless the request expands them. */
const INCLUDABLE: Record<string, string[]> = { invoice: ["payments"] };

function answer(o: Record<string, unknown>, expand: string[]) {
  const out = { ...o };
  for (const field of INCLUDABLE[String(o.object)] ?? []) if (!expand.includes(field)) delete out[field];
  return out;
}

let started: Promise<{ port: number; key: string }> | undefined;

function standIn() {
  return (started ??= new Promise((resolve, reject) => {
    const key = `sk_test_demo_${crypto.randomBytes(16).toString("hex")}`;
    const server = http.createServer((req, res) => {
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { "content-type": "application/json", "request-id": `req_demo_${crypto.randomBytes(6).toString("hex")}` });
        res.end(JSON.stringify(json));
      };
      const missing = (message: string) => send(404, { error: { type: "invalid_request_error", code: "resource_missing", message } });
      try {
        if (req.headers.authorization !== `Bearer ${key}`) return send(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided" } });
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const expand = [...url.searchParams.entries()].filter(([k]) => /^expand(\[\d*\])?$/.test(k)).map(([, v]) => v);
        const [, v1, resource, id] = url.pathname.split("/");
        if (req.method !== "GET" || v1 !== "v1") return missing(`Unrecognized request URL (${req.method}: ${url.pathname})`);
        if (resource === "invoices" && id) {
          const invoice = readObject(id, "invoice");
          return invoice ? send(200, answer(invoice, expand)) : missing(`No such invoice: '${id}'`);
        }
        if (resource === "charges" && id) {
          const charge = readObject(id, "charge");
          return charge ? send(200, answer(charge, expand)) : missing(`No such charge: '${id}'`);
        }
        if (resource === "invoice_payments" && !id) {
          const invoiceId = url.searchParams.get("invoice") ?? "";
          const invoice = readObject(invoiceId, "invoice");
          const payments = (invoice?.payments as { data?: unknown[] } | undefined)?.data ?? [];
          return send(200, { object: "list", data: payments, has_more: false, url: "/v1/invoice_payments" });
        }
        return missing(`Unrecognized request URL (${req.method}: ${url.pathname})`);
      } catch (error) {
        logger.error({ err: error }, "demo Stripe stand-in failed");
        send(500, { error: { type: "api_error", message: "demo stand-in error" } });
      }
    });
    // a helper of the process, never a reason for it to stay alive
    server.unref();
    server.once("error", (error) => {
      started = undefined;
      reject(error);
    });
    server.listen(0, "127.0.0.1", () => resolve({ port: (server.address() as AddressInfo).port, key }));
  }));
}
