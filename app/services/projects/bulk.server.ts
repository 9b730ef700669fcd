import { isOfficialFor } from "~/domain/permissions";
import { BULK_MAX, expenseNeedsOwnLook, parseSelection, selectionToken, type BulkKind } from "~/domain/work";
import { db } from "~/lib/db.server";
import { logger } from "~/lib/logger.server";
import { forbidden, httpStatusOf } from "~/lib/permissions.server";
import { fail, ok, type Result } from "~/lib/result";
import type { Actor } from "~/services/accounts/actor.server";
import { officialProjectsWhere } from "./access.server";
import { decideExpense } from "./expenses.server";
import { decideReport } from "./reports.server";

/**
 * Approving several submitted expenses or milestone reports in one action (/me/approve/:kind,
 * docs/decisions/028). Every item is approved by the same use-case as on its own page —
 * `decideExpense` / `decideReport` with decision APPROVED, the version the official confirmed and
 * no comment — so the per-project access check, the project lock, the optimistic version check,
 * the audit record, the milestone and tranche effects and the grantee's notice are exactly the
 * single approval's.
 *
 * One transaction per item: an item is approved wholly or not at all (a failure rolls back that
 * item's transaction, nothing of it stays), and one item's failure does not undo or stop the
 * others; the answer lists what was approved and what was not, and why. Before anything is
 * approved, every selected id must be an item of that kind in a project the official looks after:
 * one that is not (another area's, or unknown) refuses the whole request (403), approving nothing.
 */

const log = logger.child({ component: "bulk-approval" });

/** One item as the bulk page lists it and the confirmation shows it. */
export interface BulkItem {
  id: string;
  /** `id:version`, what the form sends back */
  token: string;
  version: number;
  referenceNo: string;
  projectTitle: string;
  /** the payee, or the milestone's title */
  label: string;
  /** expenses: the amount in fen */
  amountFen: number | null;
  /** when it was submitted (ISO) */
  since: string | null;
  /** still SUBMITTED */
  submitted: boolean;
  /** why it must be decided on its own page (message key), or null */
  ownLook: string | null;
  /** its own page */
  href: string;
}

const enc = encodeURIComponent;

interface Row {
  id: string;
  version: number;
  status: string;
  since: Date | null;
  label: string;
  amountFen: number | null;
  ownLook: string | null;
  project: { referenceNo: string; title: string; areaPath: string; status: string };
}

const projectSelect = { referenceNo: true, title: true, areaPath: true, status: true } as const;

async function rows(kind: BulkKind, where: { ids?: string[]; scope?: NonNullable<ReturnType<typeof officialProjectsWhere>> }): Promise<Row[]> {
  const take = BULK_MAX;
  if (kind === "expenses") {
    const found = await db().expense.findMany({
      where: where.ids ? { id: { in: where.ids } } : { status: "SUBMITTED", project: { status: "ACTIVE", ...where.scope } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take,
      select: { id: true, version: true, status: true, createdAt: true, payee: true, amountFen: true, duplicateReceipt: true, budgetLineId: true, project: { select: projectSelect } },
    });
    return found.map((e) => ({ id: e.id, version: e.version, status: e.status, since: e.createdAt, label: e.payee, amountFen: e.amountFen, ownLook: expenseNeedsOwnLook(e), project: e.project }));
  }
  const found = await db().milestoneReport.findMany({
    where: where.ids ? { id: { in: where.ids } } : { status: "SUBMITTED", project: { status: "ACTIVE", ...where.scope } },
    orderBy: [{ submittedAt: "asc" }, { id: "asc" }],
    take,
    select: { id: true, version: true, status: true, submittedAt: true, milestone: { select: { position: true, title: true } }, project: { select: projectSelect } },
  });
  return found.map((r) => ({ id: r.id, version: r.version, status: r.status, since: r.submittedAt, label: `${r.milestone.position}. ${r.milestone.title}`, amountFen: null, ownLook: null, project: r.project }));
}

function itemOf(kind: BulkKind, r: Row, version = r.version): BulkItem {
  const ref = r.project.referenceNo;
  return {
    id: r.id,
    token: selectionToken(r.id, version),
    version,
    referenceNo: ref,
    projectTitle: r.project.title,
    label: r.label,
    amountFen: r.amountFen,
    since: r.since?.toISOString() ?? null,
    submitted: r.status === "SUBMITTED" && r.project.status === "ACTIVE" && r.version === version,
    ownLook: r.ownLook,
    href: kind === "expenses" ? `/projects/${enc(ref)}/expenses?status=SUBMITTED` : `/projects/${enc(ref)}/reports/${r.id}`,
  };
}

/** The submitted items of this kind in the official's areas, oldest first, at most BULK_MAX; 403 for someone who is no official. */
export async function bulkCandidates(viewer: Actor, kind: BulkKind): Promise<BulkItem[]> {
  const scope = officialProjectsWhere(viewer);
  if (!scope) forbidden();
  return (await rows(kind, { scope })).map((r) => itemOf(kind, r));
}

/**
 * The selected items as the confirmation shows them, in the order selected. 400 for a malformed
 * or empty selection; 403 (thrown) when any of them is not an item of this kind in the viewer's
 * areas — nothing is shown or done for such a request.
 */
export async function bulkSelection(viewer: Actor, kind: BulkKind, tokens: readonly string[]): Promise<Result<{ items: BulkItem[] }>> {
  const selection = parseSelection(tokens);
  if (!selection) return fail(400, "work.bulk.error.selection");
  if (!selection.length) return fail(400, "work.bulk.error.none");
  const found = new Map((await rows(kind, { ids: selection.map((s) => s.id) })).map((r) => [r.id, r]));
  for (const s of selection) {
    const row = found.get(s.id);
    if (!row || !isOfficialFor(viewer, row.project.areaPath)) forbidden();
  }
  return ok({ items: selection.map((s) => itemOf(kind, found.get(s.id)!, s.version)) });
}

export interface BulkOutcome {
  approved: BulkItem[];
  /** with the message key saying why */
  notApproved: (BulkItem & { reason: string })[];
}

/** Approves the selected items one by one, each through the single approval's use-case; see the module comment. */
export async function bulkApprove(viewer: Actor, kind: BulkKind, tokens: readonly string[]): Promise<Result<BulkOutcome>> {
  const selected = await bulkSelection(viewer, kind, tokens);
  if (!selected.ok) return selected;
  const outcome: BulkOutcome = { approved: [], notApproved: [] };
  for (const item of selected.items) {
    if (item.ownLook) {
      outcome.notApproved.push({ ...item, reason: item.ownLook });
      continue;
    }
    const input = { decision: "APPROVED", comment: "", version: item.version };
    try {
      const r = kind === "expenses" ? await decideExpense(viewer, item.referenceNo, item.id, input) : await decideReport(viewer, item.referenceNo, item.id, input);
      if (r.ok) outcome.approved.push(item);
      else outcome.notApproved.push({ ...item, reason: r.problem.formErrors[0] ?? "work.bulk.failed" });
    } catch (error) {
      // the item's transaction was rolled back; the others go on
      const status = httpStatusOf(error);
      if (status === null) log.error({ err: error, kind, id: item.id }, "bulk approval of one item failed");
      outcome.notApproved.push({ ...item, reason: status === 403 || status === 404 ? "work.bulk.error.forbidden" : "work.bulk.failed" });
    }
  }
  log.info({ kind, approved: outcome.approved.length, notApproved: outcome.notApproved.length, actorId: viewer.id }, "bulk approval");
  return ok(outcome);
}
