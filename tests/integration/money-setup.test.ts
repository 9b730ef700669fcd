import { describe, expect, it } from "vitest";
import { person, rejectsWithStatus } from "../support/actors";
import { answer, form, signedInRequest } from "../support/requests";
import { action as moneyAction, loader as moneyLoader } from "~/routes/admin.foundations.$slug.money";
import { action as newFoundationAction } from "~/routes/admin.foundations.new";
import { db, makeAreaTree, receiptPrefix, uid } from "../support/db";
import { createRoundInput, roundSettingsFields } from "../support/round-fixture";
import { budgetLineSource, areaFinanceSource } from "~/domain/funds";
import { accountCodes } from "~/domain/ledger";
import { withParams } from "~/domain/messages";
import { RoundSettingsSchema } from "~/domain/rounds";
import { verifyLedger } from "~/services/books/ledger-verify.server";
import { balanceFen } from "~/services/books/ledger.server";
import { appropriationKey, createFoundation, foundationMoney, listFundFoundations, recordAppropriation } from "~/services/giving/funds.server";
import { approveDraw, createRound, publicRoundPage, roundFormOptions, updateRound } from "~/services/rounds/rounds.server";

/** A subdistrict with two communities, two of its officials, a community official and an official of another subdistrict. */
async function setting() {
  const { root, communities } = await makeAreaTree(2);
  const elsewhere = await makeAreaTree(1);
  return {
    root,
    communities,
    elsewhere,
    official: await person([{ role: "OFFICIAL", area: root }], { name: "街道官员甲" }),
    official2: await person([{ role: "OFFICIAL", area: root }], { name: "街道官员乙" }),
    community: await person([{ role: "OFFICIAL", area: communities[0]! }]),
    unrelated: await person([{ role: "OFFICIAL", area: elsewhere.root }]),
  };
}
type Setting = Awaited<ReturnType<typeof setting>>;

const prefix = () => receiptPrefix("T");

const foundationForm = (areaId: string, over: Record<string, unknown> = {}) => ({
  slug: `fund-${uid()}`,
  nameZh: "东湖社区发展基金",
  nameEn: "",
  areaId,
  filing: "none",
  receiptPrefix: prefix(),
  ...over,
});

async function newFoundation(s: Setting, over: Record<string, unknown> = {}) {
  const r = await createFoundation(s.official, foundationForm(s.root.id, over));
  if (!r.ok) throw new Error(`setup: ${JSON.stringify(r)}`);
  return db().foundation.findUniqueOrThrow({ where: { id: r.id } });
}

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const appropriationForm = (over: Record<string, unknown> = {}) => ({ amount: "200000", documentNo: `平财预〔2026〕${uid()}号`, occurredOn: "2026-03-01", requestKey: crypto.randomUUID(), ...over });

describe("an official sets up a foundation", () => {
  it("creates it in their area with its available-funds account, the prefix in capitals, audited", async () => {
    const s = await setting();
    const p = prefix();
    const r = await createFoundation(s.official, foundationForm(s.communities[0]!.id, { receiptPrefix: p.toLowerCase(), filing: "filed", fundraisingFilingNo: "330482-2026-0099", fundraisingEntity: "平湖市慈善总会" }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const f = await db().foundation.findUniqueOrThrow({ where: { id: r.id } });
    expect(f).toMatchObject({ receiptPrefix: p, nameEn: "东湖社区发展基金", areaId: s.communities[0]!.id, fundraisingFilingNo: "330482-2026-0099", fundraisingEntity: "平湖市慈善总会" });
    expect(await db().ledgerAccount.findUnique({ where: { code: accountCodes.foundationAvailable(f.id) } })).toMatchObject({ kind: "FOUNDATION_AVAILABLE", foundationId: f.id });
    expect(await db().auditLog.findFirst({ where: { action: "foundation.create", objectId: f.id } })).toMatchObject({ actorId: s.official.id });
    const list = await listFundFoundations(s.official, 1);
    expect(list.items.map((i) => i.id)).toContain(f.id);
  });

  it("refuses a receipt prefix another foundation has, in any case, and says every problem at once", async () => {
    const s = await setting();
    const first = await newFoundation(s);
    const again = await createFoundation(s.official, foundationForm(s.root.id, { receiptPrefix: first.receiptPrefix.toLowerCase() }));
    expect(again.ok).toBe(false);
    if (again.ok) return;
    expect(again.problem.status).toBe(409);
    expect(again.problem.fieldErrors.receiptPrefix).toEqual([withParams("funds.prefix.taken", { name: first.nameZh })]);
    const many = await createFoundation(s.official, { ...foundationForm(s.root.id, { receiptPrefix: first.receiptPrefix, slug: first.slug }), nameZh: "", filing: "" });
    expect(many.ok).toBe(false);
    if (many.ok) return;
    expect(many.problem.status).toBe(400);
    expect(Object.keys(many.problem.fieldErrors).sort()).toEqual(["filing", "nameZh", "receiptPrefix", "slug"]);
    expect(await db().foundation.count({ where: { receiptPrefix: first.receiptPrefix } })).toBe(1);
  });

  it("the database refuses two foundations with one prefix, and gives one to a foundation made without", async () => {
    const s = await setting();
    const first = await newFoundation(s);
    await expect(
      db().foundation.create({ data: { slug: `f-${uid()}`, nameZh: "甲", nameEn: "A", descriptionZh: "", descriptionEn: "", areaId: s.root.id, receiptPrefix: first.receiptPrefix } }),
    ).rejects.toMatchObject({ code: "P2002" });
    const bare = await db().foundation.create({ data: { slug: `f-${uid()}`, nameZh: "乙", nameEn: "B", descriptionZh: "", descriptionEn: "", areaId: s.root.id } });
    expect(bare.receiptPrefix).toMatch(/^F[0-9A-F]{7}$/);
  });

  it("only officials of a subdistrict or higher, for their own areas", async () => {
    const s = await setting();
    const outside = await createFoundation(s.unrelated, foundationForm(s.root.id));
    expect(outside.ok || outside.problem).toMatchObject({ status: 403, fieldErrors: { areaId: ["funds.area.notYours"] } });
    const community = await createFoundation(s.community, foundationForm(s.communities[0]!.id));
    expect(community.ok || community.problem).toMatchObject({ status: 403 });
    await rejectsWithStatus(listFundFoundations(s.community, 1), 403);
    const f = await newFoundation(s);
    await rejectsWithStatus(recordAppropriation(s.unrelated, f.slug, appropriationForm()), 403);
    await rejectsWithStatus(recordAppropriation(s.community, f.slug, appropriationForm()), 403);
    await rejectsWithStatus(foundationMoney(s.unrelated, f.slug, 1), 403);
    expect((await listFundFoundations(s.unrelated, 1)).items.map((i) => i.id)).not.toContain(f.id);
  });
});

describe("an official records a government appropriation", () => {
  it("books it once, however often the same form is sent, on its effective date", async () => {
    const s = await setting();
    const f = await newFoundation(s);
    const form = appropriationForm({ amount: "¥200,000.50" });
    const [a, b] = await Promise.all([recordAppropriation(s.official, f.slug, form), recordAppropriation(s.official, f.slug, form)]);
    const c = await recordAppropriation(s.official, f.slug, form);
    const answers = [a, b, c].map((r) => (r.ok ? r.posted : r.problem));
    expect(answers.filter((x) => x === true)).toHaveLength(1);
    expect(answers.filter((x) => x === false)).toHaveLength(2);
    const available = accountCodes.foundationAvailable(f.id);
    expect(await balanceFen(db(), available)).toBe(20_000_050);
    expect(await balanceFen(db(), accountCodes.externalAppropriation(areaFinanceSource(s.root.id)))).toBe(-20_000_050);
    const tx = await db().ledgerTransaction.findUniqueOrThrow({ where: { idempotencyKey: appropriationKey(f.id, form.requestKey) } });
    expect(tx).toMatchObject({ kind: "APPROPRIATION", actorId: s.official.id });
    expect(tx.occurredAt.toISOString()).toBe("2026-02-28T16:00:00.000Z");
    const rows = await db().appropriation.findMany({ where: { foundationId: f.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ documentNo: form.documentNo, amountFen: 20_000_050n, ledgerTransactionId: tx.id, recordedById: s.official.id });
    expect(await db().auditLog.count({ where: { action: "ledger.appropriation", objectId: rows[0]!.id } })).toBe(1);
    const money = await foundationMoney(s.official, f.slug, 1);
    expect(money).toMatchObject({ availableFen: 20_000_050, appropriationsFen: 20_000_050 });
    expect(money.appropriations.items).toMatchObject([{ documentNo: form.documentNo, amountFen: 20_000_050 }]);
    expect((await verifyLedger(db())).problems).toEqual([]);
  });

  it("asks to confirm a large amount before booking it", async () => {
    const s = await setting();
    const f = await newFoundation(s);
    const form = appropriationForm({ amount: "5000000", occurredOn: today() });
    const first = await recordAppropriation(s.official, f.slug, form);
    expect(first).toEqual({ ok: true, posted: false, confirm: { amountFen: 500_000_000 } });
    expect(await balanceFen(db(), accountCodes.foundationAvailable(f.id))).toBe(0);
    const confirmed = await recordAppropriation(s.official, f.slug, { ...form, confirmed: "yes" });
    expect(confirmed).toMatchObject({ ok: true, posted: true });
    expect(await balanceFen(db(), accountCodes.foundationAvailable(f.id))).toBe(500_000_000);
  });

  it("says every problem of the form at once and books nothing", async () => {
    const s = await setting();
    const f = await newFoundation(s);
    const r = await recordAppropriation(s.official, f.slug, appropriationForm({ amount: "60000000", documentNo: "", occurredOn: "2999-01-01" }));
    expect(r.ok || r.problem).toMatchObject({ status: 400, fieldErrors: { amount: ["funds.amount.aboveCap"], documentNo: ["funds.documentNo.required"], occurredOn: ["funds.date.future"] } });
    expect(await db().appropriation.count({ where: { foundationId: f.id } })).toBe(0);
  });

  it("keeps a refused file from booking anything, and books the same form once the file is fixed", async () => {
    const s = await setting();
    const f = await newFoundation(s);
    const form = appropriationForm();
    const bad = await recordAppropriation(s.official, f.slug, form, new File(["not a pdf at all"], "文件.pdf", { type: "application/pdf" }));
    expect(bad.ok || bad.problem).toMatchObject({ status: 400, fieldErrors: { attachment: [expect.stringContaining("upload.error.wrongType")] } });
    expect(await balanceFen(db(), accountCodes.foundationAvailable(f.id))).toBe(0);
    const pdf = new File([new TextEncoder().encode("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")], "文件.pdf", { type: "application/pdf" });
    const good = await recordAppropriation(s.official, f.slug, form, pdf);
    expect(good).toMatchObject({ ok: true, posted: true });
    const row = await db().appropriation.findFirstOrThrow({ where: { foundationId: f.id } });
    expect(row.attachmentUploadId).not.toBeNull();
  });
});

describe("a round's pool from the new foundation, or straight from a budget line", () => {
  const settings = async (code: string, poolFen: string) => {
    const round = await db().round.findUniqueOrThrow({ where: { code } });
    return { settings: RoundSettingsSchema.parse(roundSettingsFields({ title: round.title, description: round.description, poolFen })), version: round.version };
  };

  it("the new foundation is offered on the round form and its appropriation funds the pool", async () => {
    const s = await setting();
    const f = await newFoundation(s);
    await recordAppropriation(s.official, f.slug, appropriationForm({ amount: "300000" }));
    const options = await roundFormOptions(s.official);
    expect(options.foundations.find((o) => o.id === f.id)).toMatchObject({ availableFen: 30_000_000, needsApproval: false });
    const r = await createRound(s.official, createRoundInput(s.communities[0]!.id, f.id, { title: "东湖微创投", poolFen: "100000" }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(await balanceFen(db(), accountCodes.roundPool(r.id))).toBe(10_000_000);
    expect(await balanceFen(db(), accountCodes.foundationAvailable(f.id))).toBe(20_000_000);
    expect((await verifyLedger(db())).problems).toEqual([]);
  });

  it("a budget line is only requested, approved by another official, posted from its appropriation account, and handed back to it", async () => {
    const s = await setting();
    const f = await newFoundation(s);
    const line = `2130799-${uid()}`;
    const r = await createRound(s.official, createRoundInput(s.communities[0]!.id, f.id, { title: "预算微创投", poolFen: "80000", budgetLineNo: ` ${line} ` }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.poolDrawId).toBeTruthy();
    expect(await db().round.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ budgetLineNo: line, poolFen: 0n });
    expect(await db().poolDraw.findUniqueOrThrow({ where: { id: r.poolDrawId! } })).toMatchObject({ budgetLineNo: line, foundationId: f.id, status: "PENDING" });
    const self = await approveDraw(s.official, r.code, { drawId: r.poolDrawId! });
    expect(self.ok || self.problem).toMatchObject({ status: 403, formErrors: ["rounds.draw.sameOfficial"] });
    const approved = await approveDraw(s.official2, r.code, { drawId: r.poolDrawId! });
    expect(approved).toMatchObject({ ok: true, poolFen: 8_000_000 });
    const budget = accountCodes.externalAppropriation(budgetLineSource(s.root.id, line));
    expect(await balanceFen(db(), budget)).toBe(-8_000_000);
    expect(await balanceFen(db(), accountCodes.roundPool(r.id))).toBe(8_000_000);
    // the foundation's own money is not touched: it only keeps the round's books
    expect(await balanceFen(db(), accountCodes.foundationAvailable(f.id))).toBe(0);
    expect((await db().ledgerAccount.findUniqueOrThrow({ where: { code: budget } })).kind).toBe("EXTERNAL_APPROPRIATION");
    // the round's page names the line its pool comes from
    expect((await publicRoundPage(s.official, r.code)).round.budgetLineNo).toBe(line);

    const { settings: smaller, version } = await settings(r.code, "50000");
    expect(await updateRound(s.official, r.code, smaller, version)).toMatchObject({ ok: true });
    expect(await balanceFen(db(), budget)).toBe(-5_000_000);
    const { settings: larger, version: v2 } = await settings(r.code, "90000");
    const more = await updateRound(s.official, r.code, larger, v2);
    expect(more).toMatchObject({ ok: true, poolDrawId: expect.any(String) });
    expect(await balanceFen(db(), accountCodes.roundPool(r.id))).toBe(5_000_000);
    expect((await verifyLedger(db())).problems).toEqual([]);
  });

  it("an official of another area cannot draw on a budget line for a round they may not fund", async () => {
    const s = await setting();
    const f = await newFoundation(s);
    const r = await createRound(s.unrelated, createRoundInput(s.elsewhere.root.id, f.id, { poolFen: "10000", budgetLineNo: "2130799" }));
    expect(r.ok || r.problem).toMatchObject({ status: 400, fieldErrors: { foundationId: ["rounds.foundation.outside"] } });
  });
});

describe("the pages' actions", () => {
  it("the money page asks to confirm a large amount, books it under the key of the first view, and a resent form books nothing more", async () => {
    const s = await setting();
    const f = await newFoundation(s);
    const fields = { amount: "1,000,000", documentNo: "平财预〔2026〕7号", occurredOn: "2026-02-01", requestKey: crypto.randomUUID() };
    const post = (intent: string) =>
      answer(async () => moneyAction({ request: await signedInRequest(s.official.id, `/admin/foundations/${f.slug}/money`, form({ ...fields, intent })), params: { slug: f.slug }, context: {} } as never));
    const review = await post("record");
    expect(review).toMatchObject({ status: 200, data: { intent: "record", confirm: { amountFen: 100_000_000 } } });
    expect(await balanceFen(db(), accountCodes.foundationAvailable(f.id))).toBe(0);
    expect(await post("confirmRecord")).toMatchObject({ status: 302, location: `/admin/foundations/${f.slug}/money?done=appropriation` });
    expect(await post("confirmRecord")).toMatchObject({ status: 302, location: `/admin/foundations/${f.slug}/money?done=repeated` });
    expect(await balanceFen(db(), accountCodes.foundationAvailable(f.id))).toBe(100_000_000);
    const other = await person([{ role: "OFFICIAL", area: s.elsewhere.root }]);
    expect(await answer(async () => moneyLoader({ request: await signedInRequest(other.id, `/admin/foundations/${f.slug}/money`), params: { slug: f.slug }, context: {} } as never))).toMatchObject({ status: 403 });
  });

  it("the new-foundation page answers the form's and the database's problems together, keeping what was typed", async () => {
    const s = await setting();
    const f = await newFoundation(s);
    const r = await answer(async () =>
      newFoundationAction({
        request: await signedInRequest(s.official.id, "/admin/foundations/new", form({ slug: `x-${uid()}`, nameZh: "", areaId: s.root.id, filing: "none", receiptPrefix: f.receiptPrefix.toLowerCase() })),
        params: {},
        context: {},
      } as never),
    );
    const data = r.data as { result: { error: Record<string, string[]>; initialValue: Record<string, string> } };
    expect(r.status).toBe(400);
    expect(data.result.error.nameZh).toEqual(["funds.nameZh.required"]);
    expect(data.result.error.receiptPrefix).toEqual([withParams("funds.prefix.taken", { name: f.nameZh })]);
    expect(data.result.initialValue.receiptPrefix).toBe(f.receiptPrefix.toLowerCase());
  });
});
