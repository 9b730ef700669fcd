import type { Route } from "./+types/webhooks.stripe";
import { receiveStripeWebhook } from "~/services/giving/webhook.server";

/**
 * Stripe's webhook endpoint. The raw body is read as text (never parsed before the signature
 * check); Express has no body parser in front of this route. Cross-site POSTs are allowed here
 * only (server/app.ts): the signature, not a cookie, authenticates the sender.
 */
export async function action({ request }: Route.ActionArgs) {
  if (request.method !== "POST") return Response.json({ error: "method not allowed" }, { status: 405 });
  const raw = await request.text();
  const result = await receiveStripeWebhook(raw, request.headers.get("stripe-signature"));
  return Response.json(result.body, { status: result.status });
}

export function loader() {
  return Response.json({ error: "POST only" }, { status: 405, headers: { allow: "POST" } });
}
