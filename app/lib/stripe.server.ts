import path from "node:path";
import Stripe from "stripe";
import { localSecretFile, randomHex } from "./crypto.server";
import { env } from "./env.server";

/**
 * The Stripe SDK, configured once. With STRIPE_SECRET_KEY it talks to Stripe (or to
 * STRIPE_API_BASE, a local stub in tests). Without it the app is in demo payments mode: no API
 * call is ever made, and the local checkout page signs Stripe-format events with a local secret
 * and posts them to the same webhook route (docs/decisions/013-payments.md).
 */
let cached: { config: string; stripe: Stripe } | undefined;

export function stripe(): Stripe {
  const e = env();
  const config = `${e.STRIPE_SECRET_KEY ?? ""}|${e.STRIPE_API_BASE ?? ""}`;
  if (cached?.config === config) return cached.stripe;
  const base = e.STRIPE_API_BASE ? new URL(e.STRIPE_API_BASE) : null;
  const client = new Stripe(e.STRIPE_SECRET_KEY ?? "sk_test_demo_mode_makes_no_api_calls", {
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: "community-venture-platform" },
    ...(base
      ? { host: base.hostname, port: Number(base.port || (base.protocol === "https:" ? 443 : 80)), protocol: base.protocol.replace(":", "") as "http" | "https" }
      : {}),
  });
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
