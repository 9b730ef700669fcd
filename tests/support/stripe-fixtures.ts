import crypto from "node:crypto";
import fs from "node:fs";
import * as webhookRoute from "~/routes/webhooks.stripe";
import { stripe, webhookSecret } from "~/lib/stripe.server";

/**
 * Stripe objects and events from tests/fixtures/stripe/ (shaped like Stripe's published fixtures
 * for the pinned API version), filled in, and sent to the real webhook route signed by the real
 * SDK — as Stripe sends them.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

const DIR = new URL("../fixtures/stripe/", import.meta.url);

/** Replaces each "{{name}}" — a whole value by `vars[name]` as it is, inside a string by its text. Every name must be given. */
function fill(value: Json, vars: Record<string, unknown>, file: string): Json {
  if (typeof value === "string") {
    const whole = /^\{\{(\w+)\}\}$/.exec(value);
    const lookup = (name: string) => {
      if (!(name in vars)) throw new Error(`${file}: no value for {{${name}}}`);
      return vars[name];
    };
    if (whole) return lookup(whole[1]!);
    return value.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => String(lookup(name)));
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, vars, file));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, vars, file)]));
  return value;
}

/** A fixture filled in with `vars` (a fresh copy each time). */
export function stripeFixture(name: string, vars: Record<string, unknown>): Json {
  const file = `${name}.json`;
  return fill(JSON.parse(fs.readFileSync(new URL(file, DIR), "utf8")), vars, file);
}

const now = () => Math.floor(Date.now() / 1000);
export const stripeTestId = (prefix: string) => `${prefix}_${crypto.randomBytes(12).toString("hex")}`;

/** An event fixture, with a new event id and `created` now unless given. */
export function stripeFixtureEvent(name: string, vars: Record<string, unknown>): Json {
  return stripeFixture(name, { eventId: stripeTestId("evt"), created: now(), ...vars });
}

/** POSTs the event to /webhooks/stripe, signed with the endpoint's secret by the SDK's generateTestHeaderString. */
export async function postStripeEvent(event: Json): Promise<{ status: number; body: Json }> {
  const payload = JSON.stringify(event);
  const signature = stripe().webhooks.generateTestHeaderString({ payload, secret: webhookSecret() });
  const response = (await webhookRoute.action({
    request: new Request("http://localhost:3000/webhooks/stripe", { method: "POST", body: payload, headers: { "content-type": "application/json", "stripe-signature": signature } }),
    params: {},
    context: {},
  } as never)) as Response;
  return { status: response.status, body: await response.json() };
}
