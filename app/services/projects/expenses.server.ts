import { budgetCapsOf } from "~/domain/proposals";
import {
  adjustmentCapProblems,
  adjustmentProblem,
  applyAdjustment,
  expenseEditable,
  MAX_FILES_PER_REQUEST,
  MONITORING_PAGE_SIZE,
  parseDecision,
  RECEIPT_MAX_BYTES,
  shanghaiDay,
  dayStart,
  spendingByLine,
  validateAdjustment,
  validateExpense,
  type AdjustmentInput,
  type ExpenseInput,
  EXPENSE_FILTERS,
  type ExpenseFilter,
} from "~/domain/monitoring";
import { formatFen, pageOf } from "~/domain/money";
import type { Actor } from "~/services/accounts/actor.server";
import { type Client, db, type Tx } from "~/lib/db.server";
import { advisoryLock } from "~/lib/locks.server";
import { notify } from "~/lib/notify.server";
import { notFound } from "~/lib/permissions.server";
import { audit } from "~/services/books/audit.server";
import { fail, ok, type FieldErrors, type Result } from "~/lib/result";
import { lockProject, projectOfficials, requireProject, requireReadable, workspaceHeader, writable, type ProjectAccess } from "./access.server";
import { officialDecision, tellGranteeOfDecision, uploadFieldErrors } from "./reports.server";
import { saveUpload, sanitizeFileName, UploadError } from "~/lib/uploads.server";

/**
 * Expenses with receipts, spending per budget line, and budget adjustments (监测).
 *
 * A receipt's SHA-256 is stored; when the same bytes were already submitted as a receipt of any
 * expense in the round's area (this project or another), the new expense is flagged
 * (`duplicateReceipt`) and officials see where the other copy is. Two submissions of the same
 * file at once are serialised by a transaction-scoped advisory lock on the hash.
 */

const expensesLink = (ref: string) => `/projects/${encodeURIComponent(ref)}/expenses`;
const budgetLink = (ref: string) => `/projects/${encodeURIComponent(ref)}/budget`;
/** "#1a2b3c4d": how an expense is referred to (its id's first characters). */
export const expenseRef = (id: string) => `#${id.slice(0, 8)}`;

async function projectLines(client: Client, projectId: string) {
  return client.projectBudgetLine.findMany({ where: { projectId }, orderBy: { position: "asc" }, select: { id: true, position: true, category: true, item: true, agreedFen: true, budgetFen: true } });
}

/** The round's caps per budget category that adjustments keep to (domain/monitoring.ts `adjustmentCapProblems`). */
async function roundCaps(client: Client, roundId: string) {
  const r = await client.round.findUniqueOrThrow({ where: { id: roundId }, select: { labourCapPercent: true, budgetCaps: true } });
  return { labourCapPercent: r.labourCapPercent, budgetCaps: budgetCapsOf(r.budgetCaps) };
}

// ───────────────────────────── the expenses page ─────────────────────────────


export async function expensesPage(viewer: Actor, referenceNo: string, options: { page?: unknown; status?: string | null } = {}) {
  const access = await requireProject(viewer, referenceNo, "member");
  requireReadable(access);
  const projectId = access.project.id;
  const status = (EXPENSE_FILTERS as readonly string[]).includes(options.status ?? "") ? (options.status as ExpenseFilter) : "all";
  const where = { projectId, ...(status === "all" ? {} : { status }) };
  const [total, lines, counts] = await Promise.all([
    db().expense.count({ where }),
    projectLines(db(), projectId),
    db().expense.groupBy({ by: ["status"], where: { projectId }, _count: { _all: true } }),
  ]);
  const page = pageOf(options.page, total, MONITORING_PAGE_SIZE);
  const rows = await db().expense.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    skip: page.skip,
    take: page.take,
    select: {
      id: true,
      spentOn: true,
      payee: true,
      amountFen: true,
      budgetLineId: true,
      description: true,
      status: true,
      comment: true,
      decidedAt: true,
      duplicateReceipt: true,
      version: true,
      createdAt: true,
      receipts: { orderBy: { createdAt: "asc" }, select: { id: true, sha256: true, upload: { select: { originalName: true, mimeType: true, sizeBytes: true } } } },
    },
  });
  // where else the same receipt bytes were submitted (officials only)
  const duplicates = new Map<string, { referenceNo: string; expenseId: string }[]>();
  if (access.isOfficial) {
    const flagged = rows.filter((r) => r.duplicateReceipt);
    const shas = [...new Set(flagged.flatMap((r) => r.receipts.map((x) => x.sha256)))];
    if (shas.length) {
      const others = await db().expenseReceipt.findMany({
        where: { sha256: { in: shas }, expense: { project: { areaPath: { startsWith: access.project.round.area.path } } } },
        select: { sha256: true, expenseId: true, expense: { select: { project: { select: { referenceNo: true } } } } },
        orderBy: { createdAt: "asc" },
      });
      for (const e of flagged) {
        const mine = new Set(e.receipts.map((x) => x.sha256));
        const seen = new Set<string>();
        const list = others
          .filter((o) => mine.has(o.sha256) && o.expenseId !== e.id && !seen.has(o.expenseId) && seen.add(o.expenseId))
          .map((o) => ({ referenceNo: o.expense.project.referenceNo, expenseId: o.expenseId }));
        duplicates.set(e.id, list);
      }
    }
  }
  const lineOf = new Map(lines.map((l) => [l.id, l]));
  return {
    project: workspaceHeader(access),
    status,
    page: page.page,
    pages: page.pages,
    total,
    counts: Object.fromEntries(counts.map((c) => [c.status, c._count._all])) as Partial<Record<"SUBMITTED" | "RETURNED" | "APPROVED", number>>,
    lines: lines.map((l) => ({ id: l.id, position: l.position, category: l.category, item: l.item })),
    agreementDay: agreementDayOf(access),
    today: shanghaiDay(new Date()),
    expenses: rows.map((r) => {
      const line = r.budgetLineId ? lineOf.get(r.budgetLineId) : null;
      return {
        id: r.id,
        ref: expenseRef(r.id),
        spentOn: shanghaiDay(r.spentOn),
        payee: r.payee,
        amountFen: r.amountFen,
        budgetLineId: r.budgetLineId,
        line: line ? { position: line.position, category: line.category, item: line.item } : null,
        description: r.description,
        status: r.status,
        comment: r.comment,
        decidedAt: r.decidedAt?.toISOString() ?? null,
        duplicateReceipt: access.isOfficial ? r.duplicateReceipt : false,
        duplicates: (duplicates.get(r.id) ?? []).map((d) => ({ referenceNo: d.referenceNo, expenseRef: expenseRef(d.expenseId) })),
        version: r.version,
        createdAt: r.createdAt.toISOString(),
        receipts: r.receipts.map((x) => ({ id: x.id, name: x.upload.originalName, mimeType: x.upload.mimeType, sizeBytes: x.upload.sizeBytes })),
        canEdit: access.isGrantee && writable(access) && expenseEditable(r.status),
        canDecide: access.isOfficial && writable(access) && r.status === "SUBMITTED",
      };
    }),
  };
}

/** The day the grantee signed the agreement (Shanghai): no expense is older. */
function agreementDayOf(access: ProjectAccess): string | null {
  const at = access.project.acceptedAt ?? access.project.countersignedAt;
  return at ? shanghaiDay(at) : null;
}

// ───────────────────────────── submitting and correcting ─────────────────────────────

export type ExpenseResult = Result<{ expenseId: string; duplicateReceipt: boolean }>;

/** Stores the receipts of one expense and tells whether any of them was already submitted in the area. */
async function storeReceipts(tx: Tx, input: { expenseId: string; areaRoot: string; files: readonly File[]; uploaderId: string }): Promise<boolean> {
  const uploads = [];
  for (const file of input.files) {
    const upload = await saveUpload(tx, { file, kinds: ["image", "pdf"], maxBytes: RECEIPT_MAX_BYTES, uploaderId: input.uploaderId }).catch((e: unknown) => {
      if (e instanceof UploadError) throw Object.assign(e, { fileName: sanitizeFileName(file.name) });
      throw e;
    });
    if (upload.mimeType === "image/gif") throw Object.assign(new UploadError("wrong-type", "monitoring.upload.receiptType"), { fileName: upload.originalName });
    uploads.push(upload);
  }
  // the same file chosen twice in one form is one receipt
  const bySha = new Map(uploads.map((u) => [u.sha256, u]));
  const shas = [...bySha.keys()].sort();
  // serialise submissions of the same bytes so two at once still see each other; always in
  // hash order, so two requests sharing several receipts cannot deadlock
  for (const sha of shas) await advisoryLock(tx, `receipt:${sha}`);
  const other = shas.length
    ? await tx.expenseReceipt.findFirst({
        where: { sha256: { in: shas }, expenseId: { not: input.expenseId }, expense: { project: { areaPath: { startsWith: input.areaRoot } } } },
        select: { id: true },
      })
    : null;
  for (const sha of shas) await tx.expenseReceipt.create({ data: { expenseId: input.expenseId, uploadId: bySha.get(sha)!.id, sha256: sha } });
  return !!other;
}

/** A refused receipt, next to the receipts field: which file, why, and that the files must be chosen again. */
function receiptProblem(e: UploadError) {
  const errors = uploadFieldErrors("receipts", e, (e as UploadError & { fileName?: string }).fileName ?? "");
  return fail(400, [], { fieldErrors: { receipts: [...errors.receipts!, "monitoring.upload.chooseAgain"] } });
}

async function notifyOfficials(tx: Tx, access: ProjectAccess, kind: string, params: Record<string, string | number>, link: string) {
  for (const official of await projectOfficials(tx, access.project.areaPath)) {
    await notify(tx, { userId: official.id, kind, params: { referenceNo: access.project.referenceNo, ...params }, link });
  }
}

/** A new expense with one or more receipts (images or PDFs), submitted for approval. */
export async function submitExpense(viewer: Actor, referenceNo: string, input: ExpenseInput, receipts: readonly File[]): Promise<ExpenseResult> {
  const access = await requireProject(viewer, referenceNo, "grantee");
  if (!writable(access)) return fail(409, "monitoring.notActive");
  const projectId = access.project.id;
  const lines = await projectLines(db(), projectId);
  const parsed = validateExpense(input, { today: shanghaiDay(new Date()), agreementDay: agreementDayOf(access), budgetLineIds: lines.map((l) => l.id) });
  const fieldErrors: FieldErrors = parsed.ok ? {} : { ...parsed.fieldErrors };
  if (receipts.length === 0) fieldErrors.receipts = ["monitoring.expense.error.receiptRequired"];
  if (receipts.length > MAX_FILES_PER_REQUEST) fieldErrors.receipts = ["monitoring.upload.tooMany"];
  if (!parsed.ok || Object.keys(fieldErrors).length) return fail(400, [], { fieldErrors });
  const v = parsed.value;
  try {
    return await db().$transaction(async (tx) => {
      await lockProject(tx, projectId);
      const expense = await tx.expense.create({
        data: { projectId, spentOn: dayStart(v.spentOn), payee: v.payee, amountFen: v.amountFen, budgetLineId: v.budgetLineId, description: v.description, submittedById: viewer.id },
        select: { id: true },
      });
      const duplicate = await storeReceipts(tx, { expenseId: expense.id, areaRoot: access.project.round.area.path, files: receipts, uploaderId: viewer.id });
      if (duplicate) await tx.expense.update({ where: { id: expense.id }, data: { duplicateReceipt: true } });
      await audit(tx, {
        actorId: viewer.id,
        action: "expense.submit",
        objectType: "Expense",
        objectId: expense.id,
        after: { project: access.project.referenceNo, spentOn: v.spentOn, payee: v.payee, amountFen: v.amountFen, budgetLineId: v.budgetLineId, receipts: receipts.length, duplicateReceipt: duplicate },
      });
      await notifyOfficials(tx, access, "monitoring.expenseSubmitted", { amount: formatFen(v.amountFen), payee: v.payee }, expensesLink(access.project.referenceNo));
      return ok({ expenseId: expense.id, duplicateReceipt: duplicate });
    });
  } catch (e) {
    if (e instanceof UploadError) return receiptProblem(e);
    throw e;
  }
}

/** A returned expense corrected by the grantee (fields, more receipts) and submitted again. */
export async function resubmitExpense(
  viewer: Actor,
  referenceNo: string,
  expenseId: string,
  input: ExpenseInput & { version: number },
  receipts: readonly File[],
): Promise<ExpenseResult> {
  const access = await requireProject(viewer, referenceNo, "grantee");
  const { version, ...rest } = input;
  if (!writable(access)) return fail(409, "monitoring.notActive");
  const projectId = access.project.id;
  const existing = await db().expense.findFirst({ where: { id: expenseId, projectId }, select: { id: true } });
  if (!existing) notFound();
  const lines = await projectLines(db(), projectId);
  const parsed = validateExpense(rest, { today: shanghaiDay(new Date()), agreementDay: agreementDayOf(access), budgetLineIds: lines.map((l) => l.id) });
  if (!parsed.ok) return fail(400, [], { fieldErrors: parsed.fieldErrors });
  if (receipts.length > MAX_FILES_PER_REQUEST) return fail(400, [], { fieldErrors: { receipts: ["monitoring.upload.tooMany"] } });
  const v = parsed.value;
  try {
    return await db().$transaction(async (tx) => {
      await lockProject(tx, projectId);
      const before = await tx.expense.findUniqueOrThrow({ where: { id: expenseId }, select: { status: true, version: true, spentOn: true, payee: true, amountFen: true, budgetLineId: true, description: true, duplicateReceipt: true } });
      if (!expenseEditable(before.status) || before.version !== version) return fail(409, "monitoring.stale");
      const duplicate = await storeReceipts(tx, { expenseId, areaRoot: access.project.round.area.path, files: receipts, uploaderId: viewer.id });
      await tx.expense.update({
        where: { id: expenseId },
        data: {
          spentOn: dayStart(v.spentOn),
          payee: v.payee,
          amountFen: v.amountFen,
          budgetLineId: v.budgetLineId,
          description: v.description,
          status: "SUBMITTED",
          duplicateReceipt: before.duplicateReceipt || duplicate,
          version: { increment: 1 },
        },
      });
      await audit(tx, {
        actorId: viewer.id,
        action: "expense.resubmit",
        objectType: "Expense",
        objectId: expenseId,
        before: { status: before.status, spentOn: shanghaiDay(before.spentOn), payee: before.payee, amountFen: before.amountFen, budgetLineId: before.budgetLineId },
        after: { status: "SUBMITTED", spentOn: v.spentOn, payee: v.payee, amountFen: v.amountFen, budgetLineId: v.budgetLineId, receiptsAdded: receipts.length, duplicateReceipt: before.duplicateReceipt || duplicate },
      });
      await notifyOfficials(tx, access, "monitoring.expenseSubmitted", { amount: formatFen(v.amountFen), payee: v.payee }, expensesLink(access.project.referenceNo));
      return ok({ expenseId, duplicateReceipt: before.duplicateReceipt || duplicate });
    });
  } catch (e) {
    if (e instanceof UploadError) return receiptProblem(e);
    throw e;
  }
}

/** An official approves a submitted expense or returns it with a comment. */
export async function decideExpense(viewer: Actor, referenceNo: string, expenseId: string, input: { decision: string; comment: string; version: number }): Promise<Result> {
  return officialDecision(viewer, referenceNo, input, async (tx, project, parsed) => {
    const e = await tx.expense.findFirst({ where: { id: expenseId, projectId: project.id }, select: { id: true, status: true, version: true, payee: true, amountFen: true, budgetLineId: true } });
    if (!e) notFound();
    if (e.status !== "SUBMITTED" || e.version !== input.version) return fail(409, "monitoring.stale");
    await tx.expense.update({ where: { id: e.id }, data: { status: parsed.decision, decidedById: viewer.id, decidedAt: new Date(), comment: parsed.comment || null, version: { increment: 1 } } });
    await audit(tx, {
      actorId: viewer.id,
      action: parsed.decision === "APPROVED" ? "expense.approve" : "expense.return",
      objectType: "Expense",
      objectId: e.id,
      before: { status: e.status },
      after: { status: parsed.decision, comment: parsed.comment, project: project.referenceNo, amountFen: e.amountFen, budgetLineId: e.budgetLineId },
    });
    const item = `${expenseRef(e.id)} ${e.payee} ${formatFen(e.amountFen)}`;
    await tellGranteeOfDecision(tx, project, {
      kind: `monitoring.expense.${parsed.decision}`,
      params: { item },
      link: expensesLink(project.referenceNo),
      // a returned expense needs the grantee to act: that is worth an email
      email: parsed.decision === "RETURNED" ? { subject: "expense", item, decision: "RETURNED", comment: parsed.comment } : null,
    });
    return ok();
  });
}

/** The upload of a receipt of this project, for its members and officials only. */
export async function receiptUpload(viewer: Actor, referenceNo: string, receiptId: string): Promise<string> {
  const access = await requireProject(viewer, referenceNo, "member");
  const receipt = await db().expenseReceipt.findFirst({ where: { id: receiptId, expense: { projectId: access.project.id } }, select: { uploadId: true } });
  if (!receipt) notFound();
  return receipt.uploadId;
}

// ───────────────────────────── the budget page ─────────────────────────────

async function approvedByLine(client: Client, projectId: string) {
  const sums = await client.expense.groupBy({ by: ["budgetLineId"], where: { projectId, status: "APPROVED" }, _sum: { amountFen: true } });
  return new Map(sums.map((s) => [s.budgetLineId, s._sum.amountFen ?? 0]));
}

/** Each line: agreed, current budget, approved and pending spend, % used, over budget; spending outside the budget; all adjustments. */
export async function budgetPage(viewer: Actor, referenceNo: string, requestedPage: unknown = 1) {
  const access = await requireProject(viewer, referenceNo, "member");
  requireReadable(access);
  const projectId = access.project.id;
  const [lines, sums, total] = await Promise.all([
    projectLines(db(), projectId),
    db().expense.groupBy({ by: ["budgetLineId", "status"], where: { projectId }, _sum: { amountFen: true } }),
    db().budgetAdjustment.count({ where: { projectId } }),
  ]);
  const spending = spendingByLine(
    lines.map((l) => ({ id: l.id, agreedFen: l.agreedFen, budgetFen: l.budgetFen })),
    sums.map((s) => ({ budgetLineId: s.budgetLineId, status: s.status, amountFen: s._sum.amountFen ?? 0 })),
  );
  const page = pageOf(requestedPage, total, MONITORING_PAGE_SIZE);
  const adjustments = await db().budgetAdjustment.findMany({
    where: { projectId },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    skip: page.skip,
    take: page.take,
    select: { id: true, fromLineId: true, toLineId: true, amountFen: true, reason: true, status: true, requestedById: true, decidedById: true, decidedAt: true, comment: true, createdAt: true },
  });
  const people = await db().user.findMany({
    where: { id: { in: [...new Set(adjustments.flatMap((a) => [a.requestedById, a.decidedById].filter((x): x is string => !!x)))] } },
    select: { id: true, name: true },
  });
  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  const lineOf = new Map(lines.map((l) => [l.id, l]));
  const label = (id: string) => {
    const l = lineOf.get(id);
    return l ? `${l.position}. ${l.item}` : "";
  };
  const canWrite = writable(access);
  return {
    project: workspaceHeader(access),
    lines: lines.map((l, i) => ({ ...spending.lines[i]!, position: l.position, category: l.category, item: l.item })),
    offBudget: spending.offBudget,
    totals: spending.totals,
    page: page.page,
    pages: page.pages,
    adjustments: adjustments.map((a) => ({
      id: a.id,
      from: label(a.fromLineId),
      to: label(a.toLineId),
      amountFen: a.amountFen,
      reason: a.reason,
      status: a.status,
      requestedBy: nameOf.get(a.requestedById) ?? "",
      decidedBy: a.decidedById ? (nameOf.get(a.decidedById) ?? "") : null,
      decidedAt: a.decidedAt?.toISOString() ?? null,
      comment: a.comment,
      createdAt: a.createdAt.toISOString(),
      canDecide: access.isOfficial && canWrite && a.status === "PENDING",
    })),
    canRequest: access.isGrantee && canWrite && lines.length >= 2,
  };
}

/** The grantee asks to move money from one line to another. */
export async function requestAdjustment(viewer: Actor, referenceNo: string, input: AdjustmentInput): Promise<Result<{ adjustmentId: string }>> {
  const access = await requireProject(viewer, referenceNo, "grantee");
  if (!writable(access)) return fail(409, "monitoring.notActive");
  const projectId = access.project.id;
  return db().$transaction(async (tx) => {
    await lockProject(tx, projectId);
    // one query at a time: a transaction is a single connection
    const lines = await projectLines(tx, projectId);
    const approved = await approvedByLine(tx, projectId);
    const parsed = validateAdjustment(input, lines.map((l) => ({ id: l.id, budgetFen: l.budgetFen, approvedFen: approved.get(l.id) ?? 0 })));
    if (!parsed.ok) return fail(400, [], { fieldErrors: parsed.fieldErrors });
    const v = parsed.value;
    const capProblems = adjustmentCapProblems(lines, v, await roundCaps(tx, access.project.roundId));
    if (capProblems.length) return fail(400, [], { fieldErrors: { amount: capProblems } });
    const created = await tx.budgetAdjustment.create({ data: { projectId, fromLineId: v.fromLineId, toLineId: v.toLineId, amountFen: v.amountFen, reason: v.reason, requestedById: viewer.id }, select: { id: true } });
    await audit(tx, { actorId: viewer.id, action: "budget.adjustment.request", objectType: "BudgetAdjustment", objectId: created.id, after: { project: access.project.referenceNo, ...v } });
    await notifyOfficials(tx, access, "monitoring.adjustmentRequested", { amount: formatFen(v.amountFen) }, budgetLink(access.project.referenceNo));
    return ok({ adjustmentId: created.id });
  });
}

/**
 * An official approves (both lines' budgets change, in this transaction, and the from line
 * never drops below what is already approved-spent on it) or rejects (comment required).
 */
export async function decideAdjustment(viewer: Actor, referenceNo: string, adjustmentId: string, input: { decision: string; comment: string }): Promise<Result> {
  const access = await requireProject(viewer, referenceNo, "official");
  if (!writable(access)) return fail(409, "monitoring.notActive");
  const decision = input.decision === "APPROVED" ? "APPROVED" : input.decision === "REJECTED" ? "REJECTED" : null;
  // the shared rule: a refusal needs a comment
  const parsed = parseDecision(decision === "REJECTED" ? "RETURNED" : (decision ?? ""), input.comment);
  if (!decision || !parsed.ok) return fail(400, parsed.ok ? "monitoring.decision.error.kind" : parsed.error);
  const project = access.project;
  return db().$transaction(async (tx) => {
    await lockProject(tx, project.id);
    const a = await tx.budgetAdjustment.findFirst({ where: { id: adjustmentId, projectId: project.id } });
    if (!a) notFound();
    if (a.status !== "PENDING") return fail(409, "monitoring.stale");
    let after: Record<string, unknown> = { status: decision, comment: parsed.comment };
    if (decision === "APPROVED") {
      const lines = await projectLines(tx, project.id);
      const approved = await approvedByLine(tx, project.id);
      const from = lines.find((l) => l.id === a.fromLineId);
      const to = lines.find((l) => l.id === a.toLineId);
      const problem = adjustmentProblem(from && { id: from.id, budgetFen: from.budgetFen, approvedFen: approved.get(from.id) ?? 0 }, to && { id: to.id, budgetFen: to.budgetFen, approvedFen: approved.get(to.id) ?? 0 }, a.amountFen);
      if (problem) return fail(409, problem);
      // the caps are checked again: other adjustments may have been approved since the request
      const capProblems = adjustmentCapProblems(lines, a, await roundCaps(tx, project.roundId));
      if (capProblems.length) return fail(409, capProblems);
      const next = applyAdjustment(from!, to!, a.amountFen);
      await tx.projectBudgetLine.update({ where: { id: from!.id }, data: { budgetFen: next.fromBudgetFen } });
      await tx.projectBudgetLine.update({ where: { id: to!.id }, data: { budgetFen: next.toBudgetFen } });
      after = { ...after, from: { line: from!.position, budgetFen: next.fromBudgetFen }, to: { line: to!.position, budgetFen: next.toBudgetFen } };
    }
    await tx.budgetAdjustment.update({ where: { id: a.id }, data: { status: decision, decidedById: viewer.id, decidedAt: new Date(), comment: parsed.comment || null } });
    await audit(tx, {
      actorId: viewer.id,
      action: decision === "APPROVED" ? "budget.adjustment.approve" : "budget.adjustment.reject",
      objectType: "BudgetAdjustment",
      objectId: a.id,
      before: { status: a.status, amountFen: a.amountFen },
      after: { project: project.referenceNo, ...after },
    });
    await tellGranteeOfDecision(tx, project, {
      kind: `monitoring.adjustment.${decision}`,
      params: { amount: formatFen(a.amountFen) },
      link: budgetLink(project.referenceNo),
      email: { subject: "adjustment", item: formatFen(a.amountFen), decision, comment: parsed.comment },
    });
    return ok();
  });
}
