/**
 * Reading ids out of Stripe objects. An id field (`payment_intent`, `charge`, `customer`,
 * `subscription`, `invoice` …) holds the id as a string, or — when the request or the event
 * expanded it — the whole object, whose `id` is the id; or null. Every id the webhook reads goes
 * through `stripeId`, so an expanded field is read the same as a plain one. Pure.
 */

/** The id in an id field: a non-empty string as it is, an expanded object's `id`, otherwise null. */
export function stripeId(field: unknown): string | null {
  if (typeof field === "string") return field === "" ? null : field;
  if (field && typeof field === "object" && "id" in field && typeof field.id === "string" && field.id !== "") return field.id;
  return null;
}

/** A field of an object the SDK's types no longer name (older API versions), read without trusting its type. */
export function legacyField(object: unknown, name: string): unknown {
  return object && typeof object === "object" && name in object ? (object as Record<string, unknown>)[name] : undefined;
}
