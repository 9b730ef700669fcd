import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { accountCodes, transfer } from "~/domain/ledger";
import { formatDateTime } from "~/lib/i18n";
import FoundationPage, { loader as foundationLoader } from "~/routes/foundations.$slug";
import GiftTracePage, { loader as traceLoader } from "~/routes/transparency.gifts.$ref";
import { ensureAccount, postTransaction } from "~/services/books/ledger.server";
import { foundationDetail } from "~/services/giving/foundations.server";
import { postTrancheRelease, prepareRelease } from "~/services/projects/projects.server";
import { openDataResponse } from "~/services/public/open-data.server";
import { traceGift } from "~/services/public/transparency.server";
import { db, receiptPrefix, uid } from "../support/db";
import { deliverInProcess, paidGift } from "../support/giving-fixture";
import { fundedProject } from "../support/project-fixture";
import { renderRoute } from "../support/render-route";

/**
 * A posting carries the date of the event it records (LedgerTransaction.occurredAt), whenever it
 * was written: a tranche paid on 2026-02-10 and money received that day, both written today, read
 * 2026-02-10 on the gift trace, the foundation's ledger and the ledger's open data file, which
 * also says when each was written (created_at).
 */
const PAID = new Date("2026-02-10T10:00:00+08:00");

beforeAll(() => deliverInProcess());

async function ledgerCsv() {
  const r = await openDataResponse("ledger-transactions.csv");
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(new Uint8Array(await r.arrayBuffer()));
  const records = parse(text, { bom: true }) as string[][];
  return records.slice(1).map((row) => Object.fromEntries(records[0]!.map((h, i) => [h, row[i]!])));
}

describe("a posting dated in the past", () => {
  it("shows its effective date on the gift trace, the foundation's ledger and the ledger CSV, with when it was written in the CSV", async () => {
    const f = await fundedProject();
    await db().foundation.update({ where: { id: f.foundation.id }, data: { receiptPrefix: receiptPrefix("D") } });
    const { donation } = await paidGift(f.foundation.slug, { amount: "200", projectId: f.project.id, donorName: "王芳", publicNaming: "on" });

    // the first tranche, paid on PAID and recorded today (as the demo seed records last year's payments)
    const t = f.project.tranches[0]!;
    expect(await prepareRelease(f.official, f.project.referenceNo, { trancheId: t.id, transferRef: "BANK-DATED" })).toEqual({ ok: true });
    const tranche = await db().$transaction(async (tx) => {
      const posted = await postTrancheRelease(tx, { referenceNo: f.project.referenceNo, awardId: f.project.awardId, foundationId: f.foundation.id }, t, "BANK-DATED", f.official2.id, PAID);
      await tx.tranche.update({ where: { id: t.id }, data: { status: "RELEASED", approvedById: f.official2.id, releasedAt: PAID, ledgerTransactionId: posted.transactionId } });
      return posted;
    });
    // money the foundation received on PAID, recorded today
    const memo = `拨款 ${uid()} / appropriation`;
    const source = accountCodes.externalAppropriation(`dated-${uid()}`);
    const received = await db().$transaction(async (tx) => {
      await ensureAccount(tx, { code: source, kind: "EXTERNAL_APPROPRIATION", nameZh: "测试拨款", nameEn: "Test appropriation" });
      return postTransaction(tx, { idempotencyKey: `test:dated:${uid()}`, kind: "APPROPRIATION", memo, occurredAt: PAID, entries: transfer(source, accountCodes.foundationAvailable(f.foundation.id), 123_400) });
    });

    for (const id of [tranche.transactionId, received.transactionId]) {
      const row = await db().ledgerTransaction.findUniqueOrThrow({ where: { id }, select: { occurredAt: true, createdAt: true } });
      expect(row.occurredAt.toISOString()).toBe(PAID.toISOString());
      expect(row.createdAt.getTime()).toBeGreaterThan(PAID.getTime());
    }

    // the gift trace: the tranche paid on its day
    const trace = await traceGift(donation.ref);
    expect(trace.target.kind).toBe("project");
    const target = trace.target as Extract<typeof trace.target, { kind: "project" }>;
    expect(target.tranches).toEqual([expect.objectContaining({ position: 1, paidAt: PAID.toISOString() })]);
    const traceHtml = renderRoute(GiftTracePage as never, await traceLoader({ request: new Request(`http://localhost/transparency/gifts/${donation.ref}`), params: { ref: donation.ref }, context: {} } as never));
    expect(traceHtml).toContain(formatDateTime("zh-CN", PAID, false));

    // the foundation's ledger: listed in the order written, dated by the event
    const detail = (await foundationDetail(f.foundation.slug))!;
    const listed = detail.transactions.find((x) => x.transactionId === received.transactionId);
    expect(listed?.occurredAt).toBe(PAID.toISOString());
    const page = await foundationLoader({ request: new Request(`http://localhost/foundations/${f.foundation.slug}`), params: { slug: f.foundation.slug }, context: {} } as never);
    const pageHtml = renderRoute(FoundationPage as never, page);
    expect(pageHtml).toContain(formatDateTime("zh-CN", PAID, false));

    // the ledger CSV: occurred_at is the event's instant, created_at when it was written
    const rows = (await ledgerCsv()).filter((r) => r.transaction_id === tranche.transactionId || r.transaction_id === received.transactionId);
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      expect(r.occurred_at).toBe("2026-02-10T10:00:00+08:00");
      expect(r.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
      expect(new Date(r.created_at!).getTime()).toBeGreaterThan(PAID.getTime());
    }
  });
});
