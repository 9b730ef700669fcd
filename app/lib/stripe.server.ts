import path from "node:path";
import Stripe from "stripe";
import { localSecretFile, randomHex } from "./crypto.server";
import { env } from "./env.server";

/**
 * The Stripe API version this code is written for: the version the installed SDK (stripe v23)
 * is typed for (`Stripe.API_VERSION`, node_modules/stripe/esm/apiVersion.js). Every request
 * names it, so the objects the API answers with have the shapes the code reads — e.g. an invoice
 * whose payments are in `invoice.payments` (InvoicePayment objects), not in `payment_intent` /
 * `charge` fields, which left invoices in 2025-03-31. The webhook endpoint in Stripe's dashboard
 * must be created with this same version: events are rendered in the endpoint's version. A test
 * fails when an SDK upgrade changes `Stripe.API_VERSION`, so the upgrade is a deliberate step
 * (ADR 013).
 */
export const STRIPE_API_VERSION = "2026-10-28.endive" satisfies Stripe.LatestApiVersion;

/** A client for `base` (another Stripe API origin: a local stub, the demo stand-in), with the app's settings. */
export function stripeClient(key: string, base: URL | null, options: { maxNetworkRetries?: number } = {}): Stripe {
  return new Stripe(key, {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: 20_000,
    appInfo: { name: "community-venture-platform" },
    ...(base
      ? { host: base.hostname, port: Number(base.port || (base.protocol === "https:" ? 443 : 80)), protocol: base.protocol.replace(":", "") as "http" | "https" }
      : {}),
  });
}

/**
 * The Stripe SDK, configured once. With STRIPE_SECRET_KEY it talks to Stripe (or to
 * STRIPE_API_BASE, a local stub in tests). Without it the app is in demo payments mode: no call
 * leaves the machine — the local checkout page signs Stripe-format events with a local secret
 * and posts them to the same webhook route, and what the webhook reads back from the API is
 * answered by a local stand-in (services/giving/stripe-api.server.ts; ADR 013).
 */
let cached: { config: string; stripe: Stripe } | undefined;

export function stripe(): Stripe {
  const e = env();
  const config = `${e.STRIPE_SECRET_KEY ?? ""}|${e.STRIPE_API_BASE ?? ""}`;
  if (cached?.config === config) return cached.stripe;
  const base = e.STRIPE_API_BASE ? new URL(e.STRIPE_API_BASE) : null;
  const client = stripeClient(e.STRIPE_SECRET_KEY ?? "sk_test_demo_mode_makes_no_api_calls", base);
  cached = { config, stripe: client };
  return client;
}

export const paymentsMode = () => env().PAYMENTS_MODE;

/**
 * The secret webhook signatures are checked against: STRIPE_WEBHOOK_SECRET, or in demo mode a
 * local secret created once in DATA_DIR (several instances on one DATA_DIR agree on it).
 */
export function webhookSecret(): string {
  const e = env();
  if (e.STRIPE_WEBHOOK_SECRET) return e.STRIPE_WEBHOOK_SECRET;
  return localSecretFile(path.resolve(e.DATA_DIR, "stripe-demo-webhook.secret"), () => `whsec_demo_${randomHex(24)}`).trim();
}

/** Stripe's default: a signature older than five minutes is refused (replay protection). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
