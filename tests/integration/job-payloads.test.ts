import { describe, expect, it } from "vitest";
import type { JobHelpers } from "graphile-worker";
import { acceptedPayload, DonationPayload, RefundPayload } from "~/services/jobs/access.server";
import { donationReceipt, donationRefunded } from "~/services/jobs/registry.server";
import { db } from "../support/db";

/** A background task acts only on a payload it understands; anything else completes without acting. */
describe("job payloads", () => {
  it("reads well-formed payloads and refuses the rest", () => {
    expect(acceptedPayload("t", DonationPayload, { donationId: "d1" })).toEqual({ donationId: "d1" });
    expect(acceptedPayload("t", DonationPayload, { donationId: 7 })).toBeNull();
    expect(acceptedPayload("t", DonationPayload, null)).toBeNull();
    expect(acceptedPayload("t", RefundPayload, { donationId: "d1", reversedFen: -5, amountFen: 100 })).toBeNull();
    expect(acceptedPayload("t", RefundPayload, { donationId: "d1", reversedFen: 5, amountFen: 100 })).toEqual({ donationId: "d1", reversedFen: 5, amountFen: 100 });
  });

  it("a receipt or refund job with a malformed payload sends nothing and does not throw (no endless retries)", async () => {
    const before = await db().emailMessage.count();
    const helpers = {} as JobHelpers;
    await expect(donationReceipt({ donationId: { $ne: null } }, helpers)).resolves.toBeUndefined();
    await expect(donationRefunded({ donationId: "x", reversedFen: "all", amountFen: 1 }, helpers)).resolves.toBeUndefined();
    expect(await db().emailMessage.count()).toBe(before);
  });
});
