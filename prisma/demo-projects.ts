/**
 * JN6's funded projects as a visitor finds them on 2026-11-30: every state a project
 * goes through, each reached the way the app reaches it — agreements accepted and countersigned,
 * tranches prepared by one official and approved by another (ledger: award-committed →
 * grantee-paid), milestone reports with photos approved or returned, expenses with receipts,
 * beneficiaries registered with consent (name and phone encrypted), monthly call-back samples drawn
 * with a recorded seed, final evaluations, and closing with unspent money returned.
 *
 *   JN6-0001 友邻社工中心 (applicant@)   awaiting the applicant's acceptance (the e2e journey starts here)
 *   JN6-0002 凤凰邻里互助队 (team@)       mid-way: two milestones approved, two tranches paid, a report to decide
 *   …                                     see PLAN below
 */
import sharp from "sharp";
import { EVALUATION_ITEMS } from "../app/domain/evaluation.ts";
import { encodeConsent } from "../app/domain/pii.ts";
import { drawSample, prng } from "../app/domain/sampling.ts";

/** Whole numbers from a seeded generator. */
function ints(seed: number) {
  const next = prng(seed);
  return { int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)) };
}
import type { Tx } from "../app/lib/db.server.ts";
import { makeThumbnail } from "../app/lib/thumbnails.server.ts";
import { encryptPii, phoneHmac } from "../app/lib/pii.server.ts";
import { closeProject, createProjectsForRound, evaluationDecided, milestoneApproved, postTrancheRelease } from "../app/services/projects/projects.server.ts";
import { saveUpload } from "../app/lib/uploads.server.ts";
import { demoAt as at, demoMonth } from "./demo-clock.ts";


export type DemoProjectState = "AWAITING_ACCEPTANCE" | "AWAITING_COUNTERSIGN" | "MIDWAY" | "OVERDUE" | "EVALUATED" | "PAID_OUT" | "CLOSED" | "FAILED";

/** The state each JN6 project is left in, by reference number (JN6-0009 and -0013 were ineligible). */
export const PLAN: Record<string, DemoProjectState> = {
  "JN6-0001": "AWAITING_ACCEPTANCE",
  "JN6-0002": "MIDWAY",
  "JN6-0003": "AWAITING_COUNTERSIGN",
  "JN6-0004": "MIDWAY",
  "JN6-0005": "MIDWAY",
  "JN6-0006": "OVERDUE",
  "JN6-0007": "OVERDUE",
  "JN6-0008": "EVALUATED",
  "JN6-0010": "PAID_OUT",
  "JN6-0011": "CLOSED",
  "JN6-0012": "CLOSED",
  "JN6-0014": "FAILED",
};

/**
 * Beneficiaries registered for call-backs. Their names and phone numbers are personal data: the
 * e2e suite scans every public page for them.
 */
export const DEMO_BENEFICIARY_NAMES = ["金阿婆", "沈老伯", "陆奶奶", "顾爷爷", "朱阿姨", "徐大伯", "蒋婆婆", "屠老师", "俞师傅", "戴阿姨", "胡奶奶", "马爷爷"];
export const demoBeneficiaryPhone = (project: number, i: number) => `139${String(5730_0000 + project * 100 + i).padStart(8, "0")}`;

export interface DemoProjectsContext {
  officialId: string;
  reviewerId: string;
}

interface ProjectRow {
  id: string;
  referenceNo: string;
  awardId: string;
  awardFen: number;
  organizationId: string;
  milestones: { id: string; position: number; dueOn: Date | null }[];
  tranches: { id: string; position: number; amountFen: number; trigger: string }[];
  budgetLines: { id: string; position: number; budgetFen: number; item: string; category: string }[];
  round: { foundationId: string };
}

/** A photo: a coloured scene (no text, no faces) as a JPEG, different for every seed. */
async function demoPhoto(seed: number): Promise<Buffer> {
  const r = ints(seed);
  const hue = () => `hsl(${r.int(0, 359)}, ${r.int(35, 70)}%, ${r.int(45, 70)}%)`;
  const shapes = Array.from({ length: 9 }, () => `<circle cx="${r.int(0, 800)}" cy="${r.int(200, 600)}" r="${r.int(30, 120)}" fill="${hue()}" opacity="0.8"/>`).join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600"><rect width="800" height="600" fill="${hue()}"/><rect y="380" width="800" height="220" fill="${hue()}"/>${shapes}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 70 }).toBuffer();
}

/**
 * A receipt as the PDF of an electronic invoice (电子发票): a one-page PDF written by hand (ASCII
 * text in a standard font, no rendering), unique per seed — so its SHA-256 is too.
 */
function demoReceipt(seed: number): Buffer {
  const lines = [`E-INVOICE No. 3304${String(20260000 + seed).padStart(10, "0")}`, `Check code ${String((seed * 7_919) % 100_000).padStart(5, "0")}`, "Issued via the national e-invoice service (demo)"];
  const text = lines.map((l, i) => `BT /F1 12 Tf 60 ${760 - i * 22} Td (${l}) Tj ET`).join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
  ];
  let pdf = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, "latin1");
}

/** Photos and their thumbnails are drawn once and reused: a handful of scenes is enough for a demo. */
const PHOTO_POOL = 6;
const photoCache = new Map<number, Promise<{ photo: Buffer; thumbnail: Buffer }>>();
function pooledPhoto(seed: number) {
  const key = seed % PHOTO_POOL;
  let entry = photoCache.get(key);
  if (!entry) {
    entry = (async () => {
      const photo = await demoPhoto(key + 1);
      const thumb = await makeThumbnail(photo);
      if (!thumb.ok) throw new Error("seed: thumbnail failed");
      return { photo, thumbnail: thumb.thumbnail };
    })();
    photoCache.set(key, entry);
  }
  return entry;
}

export async function seedJn6Projects(tx: Tx, jn6Id: string, ctx: DemoProjectsContext, finalizedAt: Date) {
  await createProjectsForRound(tx, jn6Id, finalizedAt);
  const projects = (await tx.project.findMany({
    where: { roundId: jn6Id },
    orderBy: { referenceNo: "asc" },
    select: {
      id: true,
      referenceNo: true,
      awardId: true,
      awardFen: true,
      organizationId: true,
      milestones: { orderBy: { position: "asc" }, select: { id: true, position: true, dueOn: true } },
      tranches: { orderBy: { position: "asc" }, select: { id: true, position: true, amountFen: true, trigger: true } },
      budgetLines: { orderBy: { position: "asc" }, select: { id: true, position: true, budgetFen: true, item: true, category: true } },
      round: { select: { foundationId: true } },
    },
  })) as ProjectRow[];
  // the agreements were generated when the awards became final
  await tx.project.updateMany({ where: { roundId: jn6Id }, data: { createdAt: finalizedAt } });

  let photoSeed = 1;
  let receiptSeed = 1;
  const counts: Record<string, number> = {};
  for (const [index, p] of projects.entries()) {
    const state = PLAN[p.referenceNo];
    if (!state) throw new Error(`seed: no demo state for ${p.referenceNo}`);
    counts[state] = (counts[state] ?? 0) + 1;
    const leader = await tx.organizationMember.findFirstOrThrow({ where: { organizationId: p.organizationId, userId: { not: null } }, select: { userId: true } });
    const granteeId = leader.userId!;
    if (state === "AWAITING_ACCEPTANCE") continue;

    // ── the agreement: accepted, then countersigned ──
    await tx.project.update({ where: { id: p.id }, data: { status: "AWAITING_COUNTERSIGN", acceptedById: granteeId, acceptedAt: at("2026-02-03", 9 + (index % 5)) } });
    if (state === "AWAITING_COUNTERSIGN") continue;
    const signed = at("2026-02-05", 10);
    await tx.project.update({ where: { id: p.id }, data: { status: "ACTIVE", countersignedById: ctx.officialId, countersignedAt: signed } });
    await tx.tranche.updateMany({ where: { projectId: p.id, trigger: "AGREEMENT" }, data: { status: "RELEASABLE", releasableAt: signed } });
    await release(tx, p, p.tranches[0]!, ctx, at("2026-02-10"));

    const approvedThrough = { MIDWAY: 2, OVERDUE: 1, EVALUATED: 3, PAID_OUT: 3, CLOSED: 3, FAILED: 3 }[state];
    const served = [18, 26, 34];
    for (const m of p.milestones) {
      const month = ["2026-04", "2026-08", "2026-11"][m.position - 1]!;
      if (m.position <= approvedThrough) {
        const submitted = at(`${month}-0${2 + (index % 6)}`, 15);
        const decided = at(`${month}-${12 + (index % 6)}`, 11);
        // one report of JN6-0004 went back once for missing sign-in sheets
        const returnedFirst = p.referenceNo === "JN6-0004" && m.position === 1;
        const report = await tx.milestoneReport.create({
          data: {
            projectId: p.id,
            milestoneId: m.id,
            status: "APPROVED",
            narrative: REPORT_TEXT[m.position - 1]!,
            beneficiariesServed: served[m.position - 1]! + index,
            authorId: granteeId,
            submittedAt: submitted,
            decidedById: ctx.officialId,
            decidedAt: decided,
            comment: "材料齐全，同意通过。",
            version: returnedFirst ? 3 : 2,
            createdAt: submitted,
            updatedAt: decided,
          },
        });
        if (returnedFirst) {
          await tx.reportDecision.create({ data: { reportId: report.id, decision: "RETURNED", comment: "请补充活动签到表照片。", decidedById: ctx.officialId, createdAt: at(`${month}-08`, 16) } });
        }
        await tx.reportDecision.create({ data: { reportId: report.id, decision: "APPROVED", comment: "材料齐全，同意通过。", decidedById: ctx.officialId, createdAt: decided } });
        for (let k = 0; k < 2; k++) await addPhoto(tx, report.id, granteeId, photoSeed++);
        await milestoneApproved(tx, m.id, ctx.officialId);
        await tx.projectMilestone.update({ where: { id: m.id }, data: { approvedAt: decided } });
      } else if (state === "MIDWAY" && m.position === approvedThrough + 1 && p.referenceNo === "JN6-0002") {
        // the report of the last milestone, submitted, waiting for an official
        const report = await tx.milestoneReport.create({
          data: { projectId: p.id, milestoneId: m.id, status: "SUBMITTED", narrative: REPORT_TEXT[2]!, beneficiariesServed: 31, authorId: granteeId, submittedAt: at("2026-11-26", 16), version: 1 },
        });
        await addPhoto(tx, report.id, granteeId, photoSeed++);
      }
    }
    // mid-term tranches opened by the approvals are paid
    const midterms = p.tranches.filter((t) => t.trigger === "MIDTERM");
    for (const t of midterms) {
      const row = await tx.tranche.findUniqueOrThrow({ where: { id: t.id }, select: { status: true } });
      if (row.status === "RELEASABLE") await release(tx, p, t, ctx, at("2026-08-25"));
    }

    // ── expenses, against the budget lines ──
    const paid = await paidFen(tx, p.id);
    const spendShare = { MIDWAY: 0.55, OVERDUE: 0.35, EVALUATED: 0.8, PAID_OUT: 0.9, CLOSED: 0.92, FAILED: 0.7 }[state];
    const spend = Math.floor((p.awardFen * spendShare) / 100) * 100;
    let left = Math.min(spend, paid);
    for (const [k, line] of p.budgetLines.entries()) {
      if (left <= 0) break;
      const amount = k === p.budgetLines.length - 1 ? left : Math.min(left, Math.floor((line.budgetFen * spendShare) / 100) * 100);
      if (amount <= 0) continue;
      left -= amount;
      await addExpense(tx, p, granteeId, ctx.officialId, {
        spentOn: at(`2026-0${3 + k}-1${k}`),
        payee: demoPayee(line.category),
        amountFen: amount,
        budgetLineId: line.id,
        description: `${line.item}`,
        status: "APPROVED",
        receiptSeed: receiptSeed++,
      });
    }
    // purchases of goods go against the materials line (the first line is the labour subsidies)
    const goods = p.budgetLines.find((l) => l.category === "MATERIALS") ?? p.budgetLines[0]!;
    if (state === "OVERDUE" && p.referenceNo === "JN6-0006") {
      // over budget on the materials line by more than 10 %, and one purchase outside the budget
      const first = goods;
      await addExpense(tx, p, granteeId, ctx.officialId, { spentOn: at("2026-06-18"), payee: "平湖市当湖惠民超市", amountFen: Math.floor(first.budgetFen * 0.9), budgetLineId: first.id, description: "追加采购", status: "SUBMITTED", receiptSeed: receiptSeed++ });
      await addExpense(tx, p, granteeId, ctx.officialId, { spentOn: at("2026-07-02"), payee: "平湖市新华书店", amountFen: 38_000, budgetLineId: null, description: "图书（预算外）", status: "SUBMITTED", receiptSeed: receiptSeed++ });
    }
    if (state === "MIDWAY" && p.referenceNo === "JN6-0002") {
      // a returned expense, and one submitted with a receipt already used elsewhere in the area (flagged)
      await addExpense(tx, p, granteeId, ctx.officialId, { spentOn: at("2026-10-20"), payee: "平湖市当湖惠民超市", amountFen: 26_000, budgetLineId: goods.id, description: "活动茶点", status: "RETURNED", comment: "票据抬头与组织名称不一致，请重新开具。", receiptSeed: receiptSeed++ });
      await addExpense(tx, p, granteeId, ctx.officialId, { spentOn: at("2026-11-12"), payee: demoPayee("MATERIALS"), amountFen: 15_000, budgetLineId: goods.id, description: "活动物资", status: "SUBMITTED", receiptSeed: 1, duplicate: true });
    }

    // ── beneficiaries with consent, and monthly call-backs ──
    const people = 8 + (index % 4);
    const beneficiaries = [];
    for (let i = 0; i < people; i++) {
      const phone = demoBeneficiaryPhone(index + 1, i + 1);
      beneficiaries.push(
        await tx.beneficiary.create({
          data: {
            projectId: p.id,
            nameEnc: encryptPii(DEMO_BENEFICIARY_NAMES[(index + i) % DEMO_BENEFICIARY_NAMES.length]!),
            phoneEnc: encryptPii(phone),
            phoneHmac: phoneHmac(phone),
            consentAt: at("2026-03-01"),
            consentNote: encodeConsent(i % 3 === 0 ? "WRITTEN" : "ORAL", i % 3 === 0 ? "签署知情同意书" : "首次服务时口头同意"),
            registeredById: granteeId,
            createdAt: at("2026-03-01"),
          },
        }),
      );
    }
    const months = state === "OVERDUE" ? ["2026-09"] : ["2026-09", "2026-10"];
    for (const storyMonth of months) {
      const month = demoMonth(storyMonth);
      const seed = `${p.referenceNo}-${month}`;
      const size = Math.min(4, beneficiaries.length);
      const sample = await tx.callSample.create({ data: { projectId: p.id, month, seed, size, drawnById: ctx.officialId, drawnAt: at(`${storyMonth}-05`) } });
      const drawn = drawSample(
        beneficiaries.map((b) => b.id),
        size,
        seed,
      );
      const outcomes = state === "FAILED" ? (["PARTLY", "NOT_SATISFIED", "UNREACHED", "SATISFIED"] as const) : (["SATISFIED", "SATISFIED", "PARTLY", "UNREACHED"] as const);
      for (const [k, id] of drawn.entries()) {
        await tx.callRecord.create({
          data: { sampleId: sample.id, beneficiaryId: id, outcome: outcomes[k % outcomes.length]!, note: k === 2 ? "希望增加活动次数" : "", calledById: ctx.officialId, calledAt: at(`${storyMonth}-1${k}`, 14) },
        });
      }
    }

    // ── the final evaluation, the last tranche, closing ──
    if (state === "EVALUATED" || state === "PAID_OUT" || state === "CLOSED" || state === "FAILED") {
      const passed = state !== "FAILED";
      const scores = Object.fromEntries(EVALUATION_ITEMS.map((item) => [item.key, passed ? Math.round(item.max * (0.78 + (index % 3) * 0.05)) : Math.round(item.max * 0.5)]));
      const total = Object.values(scores).reduce((s, n) => s + n, 0);
      const reasons = passed ? "" : "服务记录与签到表不一致，回访满意度偏低；尾款暂缓拨付，待整改后复评。";
      const evaluation = await tx.evaluation.create({
        data: { projectId: p.id, evaluatorId: ctx.reviewerId, status: passed ? "PASSED" : "FAILED", scores, total, reasons, unspentFen: 0, invitedById: ctx.officialId, submittedAt: at("2026-11-20", 15), createdAt: at("2026-11-16") },
      });
      await evaluationDecided(tx, { projectId: p.id, evaluationId: evaluation.id, passed, reasons, actorId: ctx.reviewerId });
      if (passed && state !== "EVALUATED") {
        const last = p.tranches.find((t) => t.trigger === "FINAL")!;
        await release(tx, p, last, ctx, at("2026-11-24"));
      }
      if (state === "CLOSED") {
        const spent = await approvedSpendFen(tx, p.id);
        const unspent = Math.max(0, (await paidFen(tx, p.id)) - spent);
        await tx.evaluation.update({ where: { id: evaluation.id }, data: { unspentFen: unspent } });
        const closed = await closeProject(tx, { projectId: p.id, unspentFen: unspent, actorId: ctx.officialId, at: at("2026-11-27", 16) });
        if (!closed.ok) throw new Error(`seed: cannot close ${p.referenceNo}: ${closed.problem.formErrors.join(", ")}`);
      }
    }
  }
  return { projects: projects.length, states: counts };
}

const REPORT_TEXT = [
  "完成入户需求调研 46 户，招募志愿者 12 名并开展两次岗前培训；与社区卫生服务站对接了健康讲座资源。",
  "按计划开展中期活动 9 场，覆盖独居和高龄老人；志愿者轮值表已稳定运行，居民反馈积极。",
  "完成全部服务并召开成果分享会，整理服务台账与满意度调查，形成项目总结报告。",
];

async function release(tx: Tx, p: ProjectRow, t: { id: string; position: number; amountFen: number }, ctx: DemoProjectsContext, when: Date) {
  const ref = `ICBC-${when.getFullYear()}${String(when.getMonth() + 1).padStart(2, "0")}-${p.referenceNo.slice(-4)}${t.position}`;
  // the posting carries the day the money was paid, as the tranche's releasedAt
  const posted = await postTrancheRelease(tx, { referenceNo: p.referenceNo, awardId: p.awardId, foundationId: p.round.foundationId }, t, ref, ctx.reviewerId, when);
  await tx.tranche.update({
    where: { id: t.id },
    data: { status: "RELEASED", preparedById: ctx.officialId, preparedAt: new Date(when.getTime() - 86_400_000), transferRef: ref, approvedById: ctx.reviewerId, releasedAt: when, ledgerTransactionId: posted.transactionId },
  });
}

async function addPhoto(tx: Tx, reportId: string, uploaderId: string, seed: number) {
  const { photo, thumbnail: thumb } = await pooledPhoto(seed);
  const original = await saveUpload(tx, { file: new File([new Uint8Array(photo)], `活动照片-${seed}.jpg`, { type: "image/jpeg" }), kinds: ["image"], uploaderId });
  const thumbnail = await saveUpload(tx, { file: new File([new Uint8Array(thumb)], `thumb-${seed}.jpg`, { type: "image/jpeg" }), kinds: ["image"], uploaderId });
  await tx.reportFile.create({ data: { reportId, kind: "PHOTO", uploadId: original.id, thumbnailUploadId: thumbnail.id, caption: "活动现场" } });
}

/**
 * Who the demo's expenses are paid to, by the budget line's category: a receipt matches the line
 * it is booked against (a print shop for publicity, a teacher's school for training …).
 */
export const DEMO_PAYEES: Record<string, string> = {
  LABOUR: "项目志愿者（服务补贴发放名册）",
  MATERIALS: "平湖市当湖惠民超市",
  PUBLICITY: "嘉兴市彩虹印务有限公司",
  VENUE: "当湖街道文化站",
  TRAINING: "平湖市社区学院",
};
export const demoPayee = (category: string) => DEMO_PAYEES[category] ?? DEMO_PAYEES.MATERIALS!;

async function addExpense(
  tx: Tx,
  p: ProjectRow,
  granteeId: string,
  officialId: string,
  e: { spentOn: Date; payee: string; amountFen: number; budgetLineId: string | null; description: string; status: "APPROVED" | "SUBMITTED" | "RETURNED"; comment?: string; receiptSeed: number; duplicate?: boolean },
) {
  // a duplicate passes the seed of an earlier receipt: the very same file submitted again
  const bytes = demoReceipt(e.receiptSeed);
  const upload = await saveUpload(tx, { file: new File([new Uint8Array(bytes)], `电子发票-${e.receiptSeed}.pdf`, { type: "application/pdf" }), kinds: ["image", "pdf"], uploaderId: granteeId });
  const decided = e.status === "SUBMITTED" ? null : new Date(e.spentOn.getTime() + 5 * 86_400_000);
  await tx.expense.create({
    data: {
      projectId: p.id,
      spentOn: e.spentOn,
      payee: e.payee,
      amountFen: e.amountFen,
      budgetLineId: e.budgetLineId,
      description: e.description,
      status: e.status,
      submittedById: granteeId,
      decidedById: decided ? officialId : null,
      decidedAt: decided,
      comment: e.comment ?? (e.status === "APPROVED" ? "票据齐全" : null),
      duplicateReceipt: e.duplicate ?? false,
      createdAt: new Date(e.spentOn.getTime() + 86_400_000),
      receipts: { create: [{ uploadId: upload.id, sha256: upload.sha256 }] },
    },
  });
}

async function paidFen(tx: Tx, projectId: string) {
  const rows = await tx.tranche.findMany({ where: { projectId, status: "RELEASED" }, select: { amountFen: true } });
  return rows.reduce((s, r) => s + r.amountFen, 0);
}

async function approvedSpendFen(tx: Tx, projectId: string) {
  const rows = await tx.expense.aggregate({ where: { projectId, status: "APPROVED" }, _sum: { amountFen: true } });
  return rows._sum.amountFen ?? 0;
}

