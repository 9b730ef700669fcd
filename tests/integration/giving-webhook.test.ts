import { beforeAll, describe, expect, it } from "vitest";
import { accountCodes } from "~/domain/ledger";
import { balanceFen } from "~/services/books/ledger.server";
import { requestRefund } from "~/services/giving/manage.server";
import { receiptNoSql } from "~/services/giving/fulfil.server";
import { receiptNumber } from "~/domain/donations";
import { Prisma } from "~/generated/prisma/client";
import { db } from "../support/db";
import { deliver, deliverInProcess, givingCampaign, givingFoundation, paidEvents, paidGift, startGift } from "../support/giving-fixture";

beforeAll(() => deliverInProcess());

describe("giving: one gift from checkout to refund", () => {
  it("books a paid gift once, matches it, numbers its receipt, and a refund reverses both", async () => {
    const f = await givingFoundation();
    const campaign = await givingCampaign(f, { poolYuan: "150" });
    const { donation } = await startGift(f.foundation.slug, { amount: "200" });
    expect(donation.status).toBe("PENDING");
    expect(donation.campaignId).toBe(campaign.id);
    const { events } = paidEvents(donation);
    for (let i = 0; i < 3; i++) for (const e of events) expect((await deliver(e)).status).toBe(200);
    const paid = await db().donation.findUniqueOrThrow({ where: { id: donation.id } });
    expect(paid.status).toBe("SUCCEEDED");
    expect(paid.matchedFen).toBe(15_000);
    expect(paid.receiptNo).toMatch(new RegExp(`^${f.foundation.receiptPrefix}-\\d{4}-000001$`));
    const available = accountCodes.foundationAvailable(f.foundation.id);
    expect(await balanceFen(db(), available)).toBe(100_000_000 + 20_000 + 15_000);
    expect(await balanceFen(db(), accountCodes.matchingPool(campaign.id))).toBe(0);

    const r = await requestRefund(f.manager, f.foundation.slug, paid.ref, { amount: "200", reason: "重复捐赠" });
    expect(r).toEqual({ ok: true });
    const refunded = await db().donation.findUniqueOrThrow({ where: { id: donation.id } });
    expect(refunded.status).toBe("REFUNDED");
    expect(await balanceFen(db(), available)).toBe(100_000_000);
    expect(await balanceFen(db(), accountCodes.matchingPool(campaign.id))).toBe(15_000);
  });

  it("refuses a forged signature and writes nothing", async () => {
    const f = await givingFoundation();
    const { donation } = await startGift(f.foundation.slug, { amount: "10" });
    const { events } = paidEvents(donation);
    const { receiveStripeWebhook } = await import("~/services/giving/webhook.server");
    const r = await receiveStripeWebhook(JSON.stringify(events[0]), "t=1,v1=deadbeef");
    expect(r.status).toBe(400);
    expect(await db().paymentEvent.count({ where: { id: events[0]!.id } })).toBe(0);
  });

  it("a second gift gets the next receipt number", async () => {
    const f = await givingFoundation();
    const a = await paidGift(f.foundation.slug, { amount: "10" });
    const b = await paidGift(f.foundation.slug, { amount: "20", donorName: undefined });
    expect(a.donation.receiptNo!.endsWith("000001")).toBe(true);
    expect(b.donation.receiptNo!.endsWith("000002")).toBe(true);
  });
});

describe("POST /webhooks/stripe (the route)", () => {
  it("verifies the raw body as sent, applies it once, and refuses what is not signed", async () => {
    const route = await import("~/routes/webhooks.stripe");
    const { signEvent } = await import("~/services/giving/demo.server");
    const f = await givingFoundation();
    const { donation } = await startGift(f.foundation.slug, { amount: "12.34" });
    const { events } = paidEvents(donation);
    const { payload, signature } = signEvent(events[0]!);
    const post = (body: string, sig: string | null) =>
      route.action({
        request: new Request("http://localhost:3000/webhooks/stripe", { method: "POST", body, headers: { "content-type": "application/json", ...(sig ? { "stripe-signature": sig } : {}) } }),
        params: {},
        context: {},
      } as never) as Promise<Response>;
    const first = await post(payload, signature);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ received: true, outcome: "applied" });
    expect(await (await post(payload, signature)).json()).toMatchObject({ outcome: "duplicate" });
    expect((await post(payload, null)).status).toBe(400);
    // the same JSON re-serialised with different whitespace is not what was signed
    expect((await post(JSON.stringify(JSON.parse(payload), null, 2), signature)).status).toBe(400);
    expect((route.loader() as Response).status).toBe(405);
    const paid = await db().donation.findUniqueOrThrow({ where: { id: donation.id } });
    expect(paid.status).toBe("SUCCEEDED");
    expect(await db().ledgerTransaction.count({ where: { idempotencyKey: `donation:${donation.id}:paid` } })).toBe(1);
  });
});

describe("receipt numbers spelled in SQL", () => {
  it("the webhook's SQL spelling of a receipt number agrees with receiptNumber, past six digits too", async () => {
    const seqs = [1, 9, 42, 999, 123_456, 999_999, 1_000_000, 12_345_678];
    for (const prefix of ["DH", "A1B2C3D4"]) {
      for (const year of [2000, 2026, 9999]) {
        const rows = await db().$queryRaw<{ seq: number; no: string }[]>`
          SELECT s AS seq, ${receiptNoSql(prefix, year, Prisma.sql`s`)} AS no FROM unnest(${seqs}::int[]) AS s`;
        expect(rows.map((r) => r.no)).toEqual(seqs.map((seq) => receiptNumber(prefix, year, seq)));
      }
    }
  });
});
