import crypto from "node:crypto";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { accountCodes } from "~/domain/ledger";
import { OPEN_DATASETS, type OpenDataset } from "~/domain/open-data";
import { httpStatusOf } from "~/lib/permissions.server";
import OpenDataPage, { loader as catalogueLoader } from "~/routes/open-data";
import { loader as fileLoader } from "~/routes/open-data.$file";
import { registerBeneficiary } from "~/services/projects/beneficiaries.server";
import { balanceFen } from "~/services/books/ledger.server";
import { datasetRows, openDataCatalogue, openDataResponse } from "~/services/public/open-data.server";
import { approveRelease, prepareRelease } from "~/services/projects/projects.server";
import { db, makeUser, uid } from "../support/db";
import { deliver, deliverInProcess, givingCampaign, givingFoundation, paidEvents, paidGift, startGift } from "../support/giving-fixture";
import { fundedProject } from "../support/project-fixture";
import { renderRoute } from "../support/render-route";

const datasets = OPEN_DATASETS as readonly OpenDataset[];
type Json = { dataset: string; version: number; columns: { name: string; type: string; descriptionZh: string; descriptionEn: string }[]; rows: Record<string, unknown>[] };

async function csvOf(name: string, batchSize?: number) {
  const r = await openDataResponse(`${name}.csv`, { batchSize });
  // Response.text() drops a byte order mark: read the bytes
  const bytes = new Uint8Array(await r.arrayBuffer());
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  return { response: r, bytes, text, records: parse(text, { bom: true, relax_column_count: false }) as string[][] };
}

async function jsonOf(name: string, batchSize?: number) {
  const r = await openDataResponse(`${name}.json`, { batchSize });
  const text = await r.text();
  return { response: r, text, body: JSON.parse(text) as Json };
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");

/** Records of a CSV as objects keyed by the header. */
const objects = (records: string[][]) => records.slice(1).map((r) => Object.fromEntries(records[0]!.map((h, i) => [h, r[i]!])));

/**
 * One world with something in every dataset, and personal data that must never come out: a
 * donor's e-mail, the name and message of a donor who did not consent to be named publicly, beneficiaries' names and phones, a
 * payee, a bank transfer reference, the author of a need.
 */
async function seed() {
  const s = uid();
  const secrets = {
    email: `pii-donor-${s}@secret-mail.example`,
    anonymousName: `匿名真名${s}`,
    anonymousMessage: `未同意公开的留言${s}`,
    anonymousEmail: `pii-anon-${s}@secret-mail.example`,
    payee: `PAYEE-SECRET-${s}`,
    bankRef: `BANKREF${s}`.toUpperCase(),
    needAuthorName: `需求作者${s}`,
    needAuthorEmail: `pii-author-${s}@secret-mail.example`,
    beneficiaryNames: [`受益人甲${s}`, `受益人乙${s}`],
    objectorName: `异议人真名${s}`,
    objectorEmail: `pii-objector-${s}@secret-mail.example`,
    beneficiaryPhones: [`139${String(crypto.randomInt(0, 1e8)).padStart(8, "0")}`, `137${String(crypto.randomInt(0, 1e8)).padStart(8, "0")}`],
  };

  // a funded project with a paid tranche, an approved and a returned expense, beneficiaries and call-backs
  const f = await fundedProject();
  // fixture foundations share the default receipt prefix: give this one its own (receipt numbers are unique)
  await db().foundation.update({ where: { id: f.foundation.id }, data: { receiptPrefix: `O${s.slice(0, 6).toUpperCase()}` } });
  await db().round.update({ where: { id: f.round.id }, data: { awardsPublishedAt: new Date() } });
  const t1 = f.project.tranches[0]!;
  expect(await prepareRelease(f.official, f.project.referenceNo, { trancheId: t1.id, transferRef: secrets.bankRef })).toEqual({ ok: true });
  expect(await approveRelease(f.official2, f.project.referenceNo, { trancheId: t1.id })).toEqual({ ok: true });
  const sha = crypto.randomBytes(32).toString("hex");
  const upload = await db().upload.create({ data: { storageKey: `test/${s}`, originalName: "receipt.jpg", mimeType: "image/jpeg", sizeBytes: 10, sha256: sha } });
  const approved = await db().expense.create({
    data: {
      projectId: f.project.id,
      spentOn: new Date("2026-08-01T10:00:00+08:00"),
      payee: secrets.payee,
      amountFen: 120_000,
      budgetLineId: f.project.budgetLines[0]!.id,
      description: "买米面油",
      status: "APPROVED",
      submittedById: f.grantee.id,
      decidedById: f.official.id,
      decidedAt: new Date(),
      comment: `COMMENT-SECRET-${s}`,
    },
  });
  await db().expenseReceipt.create({ data: { expenseId: approved.id, uploadId: upload.id, sha256: sha } });
  await db().expense.create({
    data: { projectId: f.project.id, spentOn: new Date(), payee: secrets.payee, amountFen: 99_000, description: `RETURNED-SECRET-${s}`, status: "RETURNED", submittedById: f.grantee.id },
  });
  const people = [];
  for (const [i, name] of secrets.beneficiaryNames.entries()) {
    const r = await registerBeneficiary(f.grantee, f.project.referenceNo, { name, phone: secrets.beneficiaryPhones[i]!, consent: "on", consentMethod: "ORAL", consentNote: `CONSENT-SECRET-${s}` });
    if (!r.ok) throw new Error(JSON.stringify(r));
    people.push(r.id);
  }
  const sample = await db().callSample.create({ data: { projectId: f.project.id, month: "2026-09", seed: "seed", size: 2, drawnById: f.official.id } });
  await db().callRecord.create({ data: { sampleId: sample.id, beneficiaryId: people[0]!, outcome: "SATISFIED", note: `CALL-NOTE-SECRET-${s}`, calledById: f.official.id, calledAt: new Date() } });
  await db().callRecord.create({ data: { sampleId: sample.id, beneficiaryId: people[1]! } });

  // gifts: a donor who consented to be named, earmarked to the project; one who gave a name and a
  // message (for the receipt) without that consent; a pending checkout
  const named = await paidGift(f.foundation.slug, { amount: "300", projectId: f.project.id, email: secrets.email, donorName: `公开捐赠者${s}`, message: "=HYPERLINK(\"http://x\")", publicNaming: "on" });
  const { donation: anon } = await startGift(f.foundation.slug, { amount: "50", donorName: secrets.anonymousName, message: secrets.anonymousMessage, email: secrets.anonymousEmail });
  for (const e of paidEvents(anon).events) await deliver(e);
  const pending = await startGift(f.foundation.slug, { amount: "70", donorName: `PENDING-DONOR-${s}` });

  // a foundation with a matching campaign and a matched gift
  const g = await givingFoundation();
  const campaign = await givingCampaign(g, { poolYuan: "500" });
  const matched = await paidGift(g.foundation.slug, { amount: "100", email: secrets.email });

  // a need posted by a resident
  const author = await makeUser({ name: secrets.needAuthorName, email: secrets.needAuthorEmail });
  const need = await db().need.create({ data: { areaId: f.communities[0]!.id, authorId: author.id, title: `=1+1 社区需求${s}`, description: `NEED-DESCRIPTION-${s}`, category: "PUBLIC_SERVICE" } });
  // a matter deliberating it, proposed by an account and remarked on by another: neither is named
  const matter = await db().matter.create({
    data: { areaId: f.communities[0]!.id, title: `社区议题${s}`, rationale: "居民反映的问题需要社区统一议定。", status: "PASSED", proposedById: author.id, needs: { create: [{ needId: need.id }] } },
  });
  await db().matterResolution.create({
    data: { matterId: matter.id, body: "REPRESENTATIVES_MEETING", meetingOn: new Date("2026-11-08T16:00:00Z"), place: "议事厅", entitled: 40, present: 30, votesFor: 16, votesAgainst: 10, abstentions: 4, text: "同意。", quorate: true, passed: true, rules: {}, recordedById: author.id },
  });
  await db().matterRemark.create({ data: { matterId: matter.id, step: "RESOLUTION", authorId: author.id, body: "程序合规。" } });

  // a small wish taken and fulfilled by a volunteer (who is never named), with its hours, and two
  // shifts on the project of which one was reversed
  const volunteerUser = await makeUser({ name: `志愿者真名${s}`, email: `pii-volunteer-${s}@secret-mail.example` });
  const volunteer = await db().volunteer.create({ data: { userId: volunteerUser.id, areaId: f.communities[0]!.id, skills: "维修", availability: "周末", status: "CONFIRMED", partyMember: true, partyBranch: `BRANCH-SECRET-${s}` } });
  const wishNeed = await db().need.create({ data: { areaId: f.communities[0]!.id, authorId: author.id, title: `微心愿${s}`, description: `WISH-DESCRIPTION-${s}`, category: "PUBLIC_SERVICE" } });
  const wish = await db().wish.create({
    data: { needId: wishNeed.id, areaId: f.communities[0]!.id, valueFen: 15_000, status: "CONFIRMED", markedById: author.id, takerVolunteerId: volunteer.id, takenById: volunteerUser.id, takenAt: new Date(), fulfilledAt: new Date(), fulfilmentNote: `WISH-NOTE-SECRET-${s}`, fulfilmentMinutes: 90 },
  });
  await db().volunteerHours.create({ data: { areaId: f.communities[0]!.id, volunteerId: volunteer.id, minutes: 90, wishId: wish.id, servedOn: new Date(), note: wishNeed.title } });
  const shiftOf = (minutes: number, reversesId: string | null = null) =>
    db().volunteerHours.create({ data: { areaId: f.communities[0]!.id, volunteerId: volunteer.id, minutes, projectId: f.project.id, servedOn: new Date(), note: `SHIFT-NOTE-SECRET-${s}`, reversesId } });
  await shiftOf(180);
  const mistaken = await shiftOf(120);
  await shiftOf(-120, mistaken.id);

  // an objection to the published award, by a resident whose identity must stay with officials
  const objector = await makeUser({ name: secrets.objectorName, email: secrets.objectorEmail });
  const award = await db().award.findUniqueOrThrow({ where: { id: f.project.awardId }, select: { id: true, proposalId: true } });
  const objection = await db().objection.create({
    data: { roundId: f.round.id, awardId: award.id, proposalId: award.proposalId, userId: objector.id, reason: `评分有误，请复核 ${s}`, status: "DISMISSED", resolution: "经复核，评分无误", resolvedById: f.official.id, resolvedAt: new Date() },
  });

  // milestone reports: one approved, one submitted and not yet decided
  const [m1, m2] = f.project.milestones;
  await db().milestoneReport.create({
    data: { projectId: f.project.id, milestoneId: m1!.id, status: "APPROVED", narrative: `第一阶段完成，开展助餐 40 次 ${s}`, beneficiariesServed: 57, authorId: f.grantee.id, submittedAt: new Date(), decidedById: f.official.id, decidedAt: new Date(), comment: `COMMENT-SECRET-report-${s}` },
  });
  await db().milestoneReport.create({
    data: { projectId: f.project.id, milestoneId: (m2 ?? m1)!.id, status: "SUBMITTED", narrative: `UNAPPROVED-REPORT-SECRET-${s}`, beneficiariesServed: 999, authorId: f.grantee.id, submittedAt: new Date() },
  });

  return { f, g, s, secrets, objection, objector, wishNeed, volunteerUser, named: named.donation, anon, pending: pending.donation, campaign, matched: matched.donation, need, receiptSha: sha, expenseId: approved.id };
}

let world: Awaited<ReturnType<typeof seed>>;

beforeAll(async () => {
  deliverInProcess();
  world = await seed();
});

describe("open data downloads", () => {
  it("serves every dataset as CSV (BOM, RFC 4180, header = documented columns) and JSON (same columns, in order)", async () => {
    for (const d of datasets) {
      const names = d.columns.map((c) => c.name);
      const csv = await csvOf(d.name);
      expect(csv.response.status).toBe(200);
      expect(csv.response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(csv.response.headers.get("content-disposition")).toBe(`attachment; filename="${d.name}.csv"`);
      expect(csv.response.headers.get("cache-control")).toBe("public, max-age=300");
      expect([...csv.bytes.slice(0, 3)], d.name).toEqual([0xef, 0xbb, 0xbf]);
      expect(csv.text.startsWith("\uFEFF"), d.name).toBe(true);
      expect(csv.text.split("\r\n")[0]).toBe(`\uFEFF${names.join(",")}`);
      expect(csv.records[0], d.name).toEqual(names);
      for (const r of csv.records) expect(r, d.name).toHaveLength(names.length);

      const json = await jsonOf(d.name);
      expect(json.response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(json.response.headers.get("content-disposition")).toContain(`filename="${d.name}.json"`);
      expect(json.body.dataset).toBe(d.name);
      expect(json.body.columns.map((c) => c.name)).toEqual(names);
      expect(json.body.columns.map((c) => c.type)).toEqual(d.columns.map((c) => c.type));
      for (const row of json.body.rows) expect(Object.keys(row), d.name).toEqual(names);
      // the same rows either way
      expect(json.body.rows.length, d.name).toBe(csv.records.length - 1);
      expect(json.body.rows.length, d.name).toBeGreaterThan(0);
    }
  });

  it("types every JSON value as documented: integers for *_fen, +08:00 instants, Shanghai days", async () => {
    for (const d of datasets) {
      const { body } = await jsonOf(d.name);
      for (const row of body.rows) {
        for (const c of d.columns) {
          const v = row[c.name];
          if (v === null) continue;
          const where = `${d.name}.${c.name}=${String(v)}`;
          if (c.type === "integer") expect(Number.isSafeInteger(v), where).toBe(true);
          if (c.type === "number") expect(typeof v, where).toBe("number");
          if (c.type === "string") expect(typeof v, where).toBe("string");
          if (c.type === "datetime") expect(v, where).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
          if (c.type === "date") expect(v, where).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        }
      }
    }
  });

  it("publishes a donor's name and message only with the consent to be named (otherwise 爱心人士, no message), never pending checkouts", async () => {
    const { body } = await jsonOf("donations");
    const byRef = new Map(body.rows.map((r) => [r.ref, r]));
    expect(byRef.get(world.named.ref)).toMatchObject({
      foundation_slug: world.f.foundation.slug,
      donor_name: `公开捐赠者${world.s}`,
      amount_fen: 30_000,
      refunded_fen: 0,
      status: "SUCCEEDED",
      earmark_project_ref: world.f.project.referenceNo,
      earmark_round_code: null,
      frequency: "ONCE",
      message: "=HYPERLINK(\"http://x\")",
    });
    expect(byRef.get(world.named.ref)!.paid_at).toMatch(/\+08:00$/);
    expect(byRef.get(world.anon.ref)).toMatchObject({ donor_name: "爱心人士", message: null, amount_fen: 5_000 });
    expect(byRef.get(world.matched.ref)).toMatchObject({ matched_fen: 10_000, campaign_slug: world.campaign.slug });
    expect(byRef.has(world.pending.ref)).toBe(false);
    // in CSV a cell a spreadsheet would run as a formula is neutralised; JSON keeps the text
    const csv = objects((await csvOf("donations")).records).find((r) => r.ref === world.named.ref)!;
    expect(csv.message).toBe("'=HYPERLINK(\"http://x\")");
    expect(csv.amount_fen).toBe("30000");
    expect(csv.earmark_round_code).toBe("");
  });

  it("computes money from the ledger: foundation balances, campaign pools, project paid and spent", async () => {
    const foundations = (await jsonOf("foundations")).body.rows;
    const f = foundations.find((r) => r.slug === world.f.foundation.slug)!;
    expect(f.balance_fen).toBe(await balanceFen(db(), accountCodes.foundationAvailable(world.f.foundation.id)));
    expect(f.earmarked_fen).toBe(30_000);
    const campaign = (await jsonOf("campaigns")).body.rows.find((r) => r.slug === world.campaign.slug)!;
    expect(campaign).toMatchObject({ foundation_slug: world.g.foundation.slug, pool_funded_fen: 50_000, matched_fen: 10_000, remaining_fen: 40_000, sponsor_kind: "GOVERNMENT", ratio_sponsor: 1, ratio_donor: 1 });
    const project = (await jsonOf("projects")).body.rows.find((r) => r.ref === world.f.project.referenceNo)!;
    expect(project).toMatchObject({ round_code: world.f.round.code, award_fen: 1_000_000, paid_fen: world.f.project.tranches[0]!.amountFen, spent_fen: 120_000, status: "ACTIVE" });
    const tranches = (await jsonOf("tranches")).body.rows.filter((r) => r.project_ref === world.f.project.referenceNo);
    expect(tranches.map((t) => [t.position, t.status])).toEqual([
      [1, "RELEASED"],
      [2, "PENDING"],
      [3, "PENDING"],
    ]);
    expect(tranches[0]!.released_at).toMatch(/\+08:00$/);
    const expenses = (await jsonOf("expenses")).body.rows.filter((r) => r.project_ref === world.f.project.referenceNo);
    expect(expenses).toEqual([
      {
        expense_id: world.expenseId,
        project_ref: world.f.project.referenceNo,
        spent_on: "2026-08-01",
        budget_line_position: 1,
        budget_line_item: world.f.project.budgetLines[0]!.item,
        budget_line_category: world.f.project.budgetLines[0]!.category,
        amount_fen: 120_000,
        description: "买米面油",
        receipt_count: 1,
        receipt_hash_prefixes: world.receiptSha.slice(0, 12),
      },
    ]);
    const callbacks = (await jsonOf("callback-summaries")).body.rows.find((r) => r.project_ref === world.f.project.referenceNo);
    expect(callbacks).toEqual({ project_ref: world.f.project.referenceNo, samples: 1, calls: 2, satisfied: 1, partly: 0, not_satisfied: 0, unreached: 0, pending: 1 });
    const award = (await jsonOf("awards")).body.rows.find((r) => r.proposal_ref === world.f.project.referenceNo);
    expect(award).toMatchObject({ round_code: world.f.round.code, outcome: "FUNDED", status: "FINAL", award_fen: 1_000_000, score: 85 });
    const need = (await jsonOf("needs")).body.rows.find((r) => r.number === world.need.number);
    expect(need).toMatchObject({ status: "OPEN", area_code: world.f.communities[0]!.code, vote_count: 0, round_code: null });
    const round = (await jsonOf("rounds")).body.rows.find((r) => r.code === world.f.round.code);
    expect(round).toMatchObject({ foundation_slug: world.f.foundation.slug, phase: "IMPLEMENTATION", pool_fen: 5_000_000 });
  });

  it("lists each ledger transaction's balanced entries, without the bank transfer reference", async () => {
    const { body } = await jsonOf("ledger-transactions");
    const byTx = new Map<string, Record<string, unknown>[]>();
    for (const r of body.rows) byTx.set(r.transaction_id as string, [...(byTx.get(r.transaction_id as string) ?? []), r]);
    for (const [id, entries] of byTx) expect(entries.reduce((s, e) => s + (e.amount_fen as number), 0), id).toBe(0);
    const release = body.rows.find((r) => r.kind === "TRANCHE_RELEASE" && r.account_code === accountCodes.granteePaid(world.f.project.awardId))!;
    expect(release.memo).toBe(`${world.f.project.referenceNo} 第1期拨付 / tranche 1 paid`);
    expect(release.amount_fen).toBe(world.f.project.tranches[0]!.amountFen);
    const gift = body.rows.filter((r) => r.kind === "DONATION" && (r.memo as string).includes(world.named.ref));
    expect(gift.map((e) => e.amount_fen).sort()).toEqual([-30_000, 30_000]);
  });

  it("never contains personal data, in any dataset, in either format", async () => {
    const { secrets } = world;
    const people = await db().beneficiary.findMany({ where: { projectId: world.f.project.id }, select: { nameEnc: true, phoneEnc: true, phoneHmac: true } });
    const forbidden = [
      secrets.email,
      secrets.anonymousEmail,
      secrets.anonymousName,
      secrets.anonymousMessage,
      secrets.payee,
      secrets.bankRef,
      secrets.needAuthorName,
      secrets.needAuthorEmail,
      ...secrets.beneficiaryNames,
      ...secrets.beneficiaryPhones,
      ...secrets.beneficiaryPhones.map((p) => p.slice(3)),
      ...people.flatMap((p) => [p.nameEnc, p.phoneEnc, p.phoneHmac]),
      "CONSENT-SECRET",
      "CALL-NOTE-SECRET",
      "COMMENT-SECRET",
      "RETURNED-SECRET",
      "NEED-DESCRIPTION",
      "UNAPPROVED-REPORT-SECRET",
      secrets.objectorName,
      secrets.objectorEmail,
      world.objector.id,
      "PENDING-DONOR",
      world.named.token,
      world.named.email,
      world.f.grantee.id,
      world.f.official.id,
      "@secret-mail.example",
      world.volunteerUser.name,
      world.volunteerUser.id,
      "BRANCH-SECRET",
      "WISH-NOTE-SECRET",
      "WISH-DESCRIPTION",
      "SHIFT-NOTE-SECRET",
    ];
    for (const d of datasets) {
      for (const text of [(await csvOf(d.name)).text, (await jsonOf(d.name)).text]) {
        for (const s of forbidden) expect(text.includes(s), `${d.name} contains ${s}`).toBe(false);
      }
    }
  });

  it("lists eligible proposals of rounds past screening, without the applicant or the writer", async () => {
    const { body } = await jsonOf("eligible-proposals");
    const proposal = await db().proposal.findUniqueOrThrow({ where: { id: world.f.project.proposalId }, select: { referenceNo: true, title: true, requestedFen: true, category: true, createdById: true, organization: { select: { name: true } } } });
    const row = body.rows.find((r) => r.ref === proposal.referenceNo);
    expect(row).toMatchObject({ round_code: world.f.round.code, title: proposal.title, requested_fen: proposal.requestedFen, category: proposal.category });
    const text = JSON.stringify(body.rows);
    expect(text).not.toContain(proposal.createdById);
    // a round still screening publishes none of its proposals
    await db().round.update({ where: { id: world.f.round.id }, data: { phase: "SCREENING" } });
    try {
      expect((await jsonOf("eligible-proposals")).body.rows.some((r) => r.round_code === world.f.round.code)).toBe(false);
    } finally {
      await db().round.update({ where: { id: world.f.round.id }, data: { phase: "IMPLEMENTATION" } });
    }
  });

  it("lists objections with grounds and ruling, never the objector", async () => {
    const { body, text } = await jsonOf("objections");
    const row = body.rows.find((r) => (r.grounds as string).includes(world.s));
    expect(row).toMatchObject({ round_code: world.f.round.code, proposal_ref: world.f.project.referenceNo, status: "DISMISSED", ruling: "经复核，评分无误" });
    expect(row!.filed_at).toMatch(/\+08:00$/);
    expect(row!.ruled_at).toMatch(/\+08:00$/);
    for (const secret of [world.secrets.objectorName, world.secrets.objectorEmail, world.objector.id, world.f.official.id]) expect(text).not.toContain(secret);
    expect((await csvOf("objections")).text).not.toContain(world.secrets.objectorName);
  });

  it("lists approved milestone reports only, with people served", async () => {
    const { body, text } = await jsonOf("milestone-reports");
    const rows = body.rows.filter((r) => r.project_ref === world.f.project.referenceNo);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ milestone_position: world.f.project.milestones[0]!.position, people_served: 57, photo_count: 0 });
    expect(rows[0]!.report_text).toContain(world.s);
    expect(text).not.toContain("UNAPPROVED-REPORT-SECRET");
    expect(text).not.toContain("COMMENT-SECRET");
  });

  it("lists areas with their parents and the project budget lines with planned and approved amounts", async () => {
    const areasJson = (await jsonOf("areas")).body.rows;
    const community = world.f.communities[0]!;
    const parent = await db().area.findUniqueOrThrow({ where: { id: community.id }, select: { parent: { select: { code: true } }, level: true } });
    expect(areasJson.find((r) => r.code === community.code)).toMatchObject({ name_zh: community.nameZh, level: parent.level, parent_code: parent.parent?.code ?? null });
    const lines = (await jsonOf("budget-lines")).body.rows.filter((r) => r.project_ref === world.f.project.referenceNo);
    expect(lines.map((l) => [l.position, l.category, l.item, l.planned_fen, l.approved_fen])).toEqual(
      world.f.project.budgetLines.map((l) => [l.position, l.category, l.item, l.agreedFen, l.budgetFen]),
    );
  });

  it("lists small wishes with an amount band and the hours, and each community's volunteer hours net of reversals", async () => {
    const wish = (await jsonOf("wishes")).body.rows.find((r) => r.need_number === world.wishNeed.number);
    expect(wish).toMatchObject({ area_code: world.f.communities[0]!.code, category: "PUBLIC_SERVICE", status: "CONFIRMED", amount_band: "100-299", taker_kind: "VOLUNTEER", hours: 1.5 });
    expect(wish!.fulfilled_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const hours = (await jsonOf("volunteer-hours")).body.rows.find((r) => r.area_code === world.f.communities[0]!.code);
    expect(hours).toEqual({ area_code: world.f.communities[0]!.code, volunteers: 1, wish_entries: 1, wish_hours: 1.5, project_shifts: 1, project_hours: 3, total_hours: 4.5 });
  });

  it("answers 404 for unknown datasets and formats", async () => {
    for (const file of ["secrets.csv", "donations.xlsx", "donations", "users.json", "..%2Fdonations.csv"]) {
      const status = await openDataResponse(file).then(
        (r) => r.status,
        (e: unknown) => httpStatusOf(e),
      );
      expect(status, file).toBe(404);
      const viaRoute = await fileLoader({ request: new Request(`http://localhost/open-data/${file}`), params: { file }, context: {} } as never).then(
        (r) => r.status,
        (e: unknown) => httpStatusOf(e),
      );
      expect(viaRoute, file).toBe(404);
    }
  });

  it("streams a dataset larger than one batch in several batches, every row once", async () => {
    const total = await db().donation.count({ where: { status: { in: ["SUCCEEDED", "PARTIALLY_REFUNDED", "REFUNDED", "DISPUTED"] } } });
    expect(total).toBeGreaterThan(2);
    let batches = 0;
    const refs: string[] = [];
    for await (const batch of datasetRows("donations", { batchSize: 2 })) {
      batches++;
      expect(batch.length).toBeLessThanOrEqual(2);
      refs.push(...batch.map((r) => r.ref as string));
    }
    expect(batches).toBe(Math.ceil(total / 2));
    expect(new Set(refs).size).toBe(total);
    expect(refs).toEqual([...refs].sort());
    // the files, with a batch of 2, hold exactly what one big batch gives
    const small = await jsonOf("donations", 2);
    const big = await jsonOf("donations", 10_000);
    expect(small.body.rows).toEqual(big.body.rows);
    expect((await csvOf("donations", 2)).text.split("\r\n").slice(1)).toEqual((await csvOf("donations", 10_000)).text.split("\r\n").slice(1));
    // ledger transactions come in batches of transactions; tranches page on (project, position)
    const ledgerSmall = (await jsonOf("ledger-transactions", 3)).body.rows;
    expect(ledgerSmall).toEqual((await jsonOf("ledger-transactions", 100_000)).body.rows);
    expect((await jsonOf("tranches", 2)).body.rows).toEqual((await jsonOf("tranches", 100_000)).body.rows);
  });

  it("gives the append-only ledger an ETag: 304 while nothing was posted, a new one after", async () => {
    const first = await openDataResponse("ledger-transactions.csv");
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^W\/".+-csv"$/);
    await first.body?.cancel();
    const again = await openDataResponse("ledger-transactions.csv", { ifNoneMatch: etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect((await openDataResponse("ledger-transactions.json", { ifNoneMatch: etag })).status).toBe(200);
    await paidGift(world.g.foundation.slug, { amount: "1" });
    const after = await openDataResponse("ledger-transactions.csv", { ifNoneMatch: etag });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(etag);
    await after.body?.cancel();
  });
});

describe("open data catalogue page", () => {
  it("lists every dataset with its row count, latest change, columns and both addresses", async () => {
    const catalogue = await openDataCatalogue();
    expect(catalogue.map((d) => d.name)).toEqual(datasets.map((d) => d.name));
    const donations = catalogue.find((d) => d.name === "donations")!;
    expect(donations.rows).toBe((await jsonOf("donations")).body.rows.length);
    expect(donations.lastUpdated).not.toBeNull();
    const ledger = catalogue.find((d) => d.name === "ledger-transactions")!;
    expect(ledger.rows).toBe((await jsonOf("ledger-transactions")).body.rows.length);

    const data = await catalogueLoader();
    for (const locale of ["zh-CN", "en"] as const) {
      const html = renderRoute(OpenDataPage as never, data, undefined, locale);
      for (const d of datasets) {
        expect(html).toContain(`href="/open-data/${d.name}.csv"`);
        expect(html).toContain(`href="/open-data/${d.name}.json"`);
        for (const c of d.columns) expect(html).toContain(escapeHtml(locale === "en" ? c.en : c.zh));
      }
      expect(html).toContain("CC BY 4.0");
    }
  });
});
