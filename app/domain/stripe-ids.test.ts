import { describe, expect, it } from "vitest";
import { legacyField, stripeId } from "./stripe-ids";

describe("stripeId", () => {
  it("reads an id whether the field holds it, an expanded object, or nothing", () => {
    expect(stripeId("pi_123")).toBe("pi_123");
    expect(stripeId({ id: "pi_123", object: "payment_intent", amount: 100 })).toBe("pi_123");
    expect(stripeId(null)).toBeNull();
    expect(stripeId(undefined)).toBeNull();
    expect(stripeId("")).toBeNull();
    expect(stripeId({ object: "payment_intent" })).toBeNull();
    expect(stripeId({ id: 42 })).toBeNull();
    expect(stripeId(42)).toBeNull();
  });

  it("legacyField reads a field the SDK's types do not name", () => {
    expect(legacyField({ payment_intent: "pi_1" }, "payment_intent")).toBe("pi_1");
    expect(legacyField({}, "payment_intent")).toBeUndefined();
    expect(legacyField(null, "payment_intent")).toBeUndefined();
  });
});
