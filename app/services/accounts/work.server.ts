/**
 * Pending work ("待办") per role the viewer holds, for /me and the header's badge. Each role has
 * one counting statement (the badge runs only these: one query per role kind the viewer holds,
 * none for anonymous visitors) and, for /me, one query per kind for its oldest few items. Who sees
 * what is each wing's access rule: `officialProjectsWhere`/`officialPathSql` (projects),
 * `officialRoundsWhere` (awards), a judge's accepted seats (review), the viewer's organizations
 * (proposals, projects), `managedFoundationIds` (giving).
 */
import { commonListHref, expenseNeedsOwnLook, selectionToken, SHOWN_PER_KIND, workGroups, workTotal, type WorkGroupInput, type WorkKind } from "~/domain/work";
import { Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db.server";
import type { Actor } from "~/services/accounts/actor.server";
import { officialRoundsWhere } from "~/services/awards/access.server";
import { GIFT_STATUSES_TO_HANDLE, managedFoundationIds } from "~/services/giving/access.server";
import { officialPathSql, officialProjectsWhere } from "~/services/projects/access.server";
import { draftProgressOf, draftRoundSelect } from "~/services/proposals/proposals.server";
import { withParams } from "~/domain/messages";
import { officialRoots } from "~/domain/permissions";
import { missedRequiredTrainings } from "~/services/trainings/trainings.server";

type Counts = Partial<Record<WorkKind, number>>;
const take = SHOWN_PER_KIND;
const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
const enc = encodeURIComponent;

/** Projects whose reports, expenses and budget adjustments may still be decided (services/projects writable). */
const DECIDABLE_PROJECT = "ACTIVE" as const;
/** Projects whose tranches may still be released (as /admin/releases lists them). */
const RELEASING_PROJECT = ["ACTIVE", "EVALUATION_FAILED"] as const;

// ───────────────────────────── counts (one statement per role) ─────────────────────────────

/** What waits for an official in their areas, as one statement; null when the viewer is no official. */
export async function officialCounts(viewer: Pick<Actor, "id" | "grants">): Promise<Counts | null> {
  const inProjects = officialPathSql(viewer, Prisma.sql`p."areaPath"`);
  const inRounds = officialPathSql(viewer, Prisma.sql`ar.path`);
  if (!inProjects || !inRounds) return null;
  const [row] = await db().$queryRaw<Record<string, number>[]>`
    SELECT
      (SELECT count(*)::int FROM "MilestoneReport" r JOIN "Project" p ON p.id = r."projectId"
        WHERE r.status = 'SUBMITTED' AND p.status = 'ACTIVE' AND ${inProjects}) AS "reportsToReview",
      (SELECT count(*)::int FROM "Expense" e JOIN "Project" p ON p.id = e."projectId"
        WHERE e.status = 'SUBMITTED' AND p.status = 'ACTIVE' AND ${inProjects}) AS "expensesToApprove",
      (SELECT count(*)::int FROM "BudgetAdjustment" b JOIN "Project" p ON p.id = b."projectId"
        WHERE b.status = 'PENDING' AND p.status = 'ACTIVE' AND ${inProjects}) AS "adjustmentsToDecide",
      (SELECT count(*)::int FROM "Tranche" t JOIN "Project" p ON p.id = t."projectId"
        WHERE t.status = 'PREPARED' AND t."preparedById" IS DISTINCT FROM ${viewer.id}
          AND p.status IN ('ACTIVE', 'EVALUATION_FAILED') AND ${inProjects}) AS "releasesToApprove",
      (SELECT count(*)::int FROM "Objection" o JOIN "Round" rd ON rd.id = o."roundId" JOIN "Area" ar ON ar.id = rd."areaId"
        WHERE o.status = 'OPEN' AND ${inRounds}) AS "objectionsOpen",
      (SELECT count(*)::int FROM "Project" p
        WHERE p.status = 'ACTIVE' AND ${inProjects}
          AND NOT EXISTS (SELECT 1 FROM "ProjectMilestone" m WHERE m."projectId" = p.id AND m.status <> 'APPROVED')
          AND NOT EXISTS (SELECT 1 FROM "Evaluation" v WHERE v."projectId" = p.id AND v.status IN ('PASSED', 'FAILED'))) AS "evaluationsReady",
      (SELECT count(*)::int FROM "ProjectAlert" a JOIN "Project" p ON p.id = a."projectId"
        WHERE a."resolvedAt" IS NULL AND ${inProjects}) AS "alertsOpen",
      -- grantee organizations that sent nobody to a required training that has ended (domain/trainings.ts missedRequired)
      (SELECT count(*)::int FROM (SELECT DISTINCT t.id, p."organizationId" FROM "Training" t JOIN "Area" ta ON ta.id = t."areaId"
         JOIN "Project" p ON starts_with(p."areaPath", ta.path) AND p.status <> 'CLOSED'
        WHERE t."requiredForGrantees" AND t."cancelledAt" IS NULL AND t."endsAt" <= now() AND ${inProjects}
          AND NOT EXISTS (SELECT 1 FROM "TrainingSignup" s WHERE s."trainingId" = t.id AND s."organizationId" = p."organizationId"
                          AND s."attendedAt" IS NOT NULL AND s."cancelledAt" IS NULL)) missed) AS "trainingsMissed"`;
  return row ?? {};
}

/**
 * A judge's seats and the score sheets waiting for them, and the evaluations they were invited to,
 * as one statement (every signed-in viewer: the header needs the seats and evaluations anyway).
 * A sheet waits while its assignment is live on an accepted seat, it is not submitted, and the
 * round still takes scores (in REVIEW, awards not published: review/scoring.server.ts scoringOpen).
 */
export async function personalCounts(viewer: Pick<Actor, "id">): Promise<{ judgeSeats: number; evaluations: number; unread: number; counts: Counts }> {
  const [row] = await db().$queryRaw<{ seats: number; sheets: number; evaluations: number; invited: number; unread: number }[]>`
    SELECT
      (SELECT count(*)::int FROM "Notification" n WHERE n."userId" = ${viewer.id} AND n."readAt" IS NULL) AS unread,
      (SELECT count(*)::int FROM "RoundJudge" j WHERE j."userId" = ${viewer.id} AND j.status = 'ACCEPTED') AS seats,
      (SELECT count(*)::int FROM "ReviewAssignment" a
         JOIN "RoundJudge" j ON j.id = a."roundJudgeId"
         JOIN "Round" rd ON rd.id = a."roundId"
         LEFT JOIN "ScoreSheet" s ON s."assignmentId" = a.id
        WHERE j."userId" = ${viewer.id} AND j.status = 'ACCEPTED' AND a."endedAt" IS NULL
          AND rd.phase = 'REVIEW' AND rd."awardsPublishedAt" IS NULL
          AND (s.id IS NULL OR s.status = 'DRAFT')) AS sheets,
      (SELECT count(*)::int FROM "Evaluation" v WHERE v."evaluatorId" = ${viewer.id}) AS evaluations,
      (SELECT count(*)::int FROM "Evaluation" v JOIN "Project" p ON p.id = v."projectId"
        WHERE v."evaluatorId" = ${viewer.id} AND v.status = 'INVITED' AND p.status = 'ACTIVE') AS invited`;
  return {
    judgeSeats: row?.seats ?? 0,
    evaluations: row?.evaluations ?? 0,
    unread: row?.unread ?? 0,
    counts: { sheetsToScore: row?.sheets ?? 0, evaluationsInvited: row?.invited ?? 0 },
  };
}

/** What waits for an applicant's organizations, as one statement; null when the viewer belongs to none. */
export async function applicantCounts(viewer: Pick<Actor, "organizations">, now = new Date()): Promise<Counts | null> {
  const orgIds = viewer.organizations.map((o) => o.id);
  if (!orgIds.length) return null;
  const [row] = await db().$queryRaw<Record<string, number>[]>`
    SELECT
      (SELECT count(*)::int FROM "Proposal" d JOIN "Round" rd ON rd.id = d."roundId"
        WHERE d."organizationId" = ANY(${orgIds}::text[]) AND d.status = 'DRAFT'
          AND rd.phase = 'PROPOSALS' AND rd."proposalsDeadline" > ${now}) AS "draftsToSubmit",
      (SELECT count(*)::int FROM "MilestoneReport" r JOIN "Project" p ON p.id = r."projectId"
        WHERE p."organizationId" = ANY(${orgIds}::text[]) AND r.status = 'RETURNED' AND p.status = 'ACTIVE') AS "reportsReturned",
      (SELECT count(*)::int FROM "Expense" e JOIN "Project" p ON p.id = e."projectId"
        WHERE p."organizationId" = ANY(${orgIds}::text[]) AND e.status = 'RETURNED' AND p.status = 'ACTIVE') AS "expensesReturned"`;
  return row ?? {};
}

/** Gifts waiting for a foundation manager, as one statement; null when the viewer manages none. */
export async function foundationCounts(viewer: Pick<Actor, "grants">): Promise<Counts | null> {
  const ids = managedFoundationIds(viewer);
  if (!ids.length) return null;
  const [row] = await db().$queryRaw<{ disputed: number; held: number }[]>`
    SELECT count(*) FILTER (WHERE status = 'DISPUTED')::int AS disputed, count(*) FILTER (WHERE status = 'HELD')::int AS held
      FROM "Donation" WHERE "foundationId" = ANY(${ids}::text[]) AND status::text = ANY(${[...GIFT_STATUSES_TO_HANDLE]}::text[])`;
  return { giftsDisputed: row?.disputed ?? 0, giftsHeld: row?.held ?? 0 };
}

/**
 * Everything waiting for the viewer, for the header's badge: one statement per role kind held, plus
 * the personal one, which also counts the unread messages (the header's other badge).
 */
export async function pendingTotal(viewer: Actor): Promise<{ total: number; judgeSeats: number; evaluations: number; unread: number }> {
  const [personal, official, applicant, foundation] = await Promise.all([personalCounts(viewer), officialCounts(viewer), applicantCounts(viewer), foundationCounts(viewer)]);
  return {
    total: workTotal({ ...personal.counts, ...official, ...applicant, ...foundation }),
    judgeSeats: personal.judgeSeats,
    evaluations: personal.evaluations,
    unread: personal.unread,
  };
}

// ───────────────────────────── the items (for /me) ─────────────────────────────

const projectLabel = { referenceNo: true, title: true } as const;

/** An official's work: the counts and the oldest few of each kind, in their areas. */
export async function officialWork(viewer: Actor): Promise<WorkGroupInput[]> {
  const scope = officialProjectsWhere(viewer);
  const rounds = officialRoundsWhere(viewer);
  const counts = await officialCounts(viewer);
  if (!scope || !rounds || !counts) return [];
  const [reports, expenses, adjustments, releases, objections, ready, alerts, missed] = await Promise.all([
    counts.reportsToReview
      ? db().milestoneReport.findMany({
          where: { status: "SUBMITTED", project: { status: DECIDABLE_PROJECT, ...scope } },
          orderBy: [{ submittedAt: "asc" }, { id: "asc" }],
          take,
          select: { id: true, version: true, submittedAt: true, milestone: { select: { title: true } }, project: { select: projectLabel } },
        })
      : [],
    counts.expensesToApprove
      ? db().expense.findMany({
          where: { status: "SUBMITTED", project: { status: DECIDABLE_PROJECT, ...scope } },
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          take,
          select: { id: true, version: true, createdAt: true, payee: true, duplicateReceipt: true, budgetLineId: true, project: { select: projectLabel } },
        })
      : [],
    counts.adjustmentsToDecide
      ? db().budgetAdjustment.findMany({
          where: { status: "PENDING", project: { status: DECIDABLE_PROJECT, ...scope } },
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          take,
          select: { id: true, createdAt: true, reason: true, project: { select: projectLabel } },
        })
      : [],
    counts.releasesToApprove
      ? db().tranche.findMany({
          // four eyes: the official who prepared a release does not approve it (services/projects approveRelease)
          where: { status: "PREPARED", NOT: { preparedById: viewer.id }, project: { status: { in: [...RELEASING_PROJECT] }, ...scope } },
          orderBy: [{ preparedAt: "asc" }, { id: "asc" }],
          take,
          select: { id: true, position: true, preparedAt: true, project: { select: projectLabel } },
        })
      : [],
    counts.objectionsOpen
      ? db().objection.findMany({
          where: { status: "OPEN", round: rounds },
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          take,
          select: { id: true, createdAt: true, round: { select: { code: true } }, proposal: { select: { referenceNo: true, title: true } } },
        })
      : [],
    counts.evaluationsReady
      ? db().project.findMany({
          where: { status: "ACTIVE", ...scope, milestones: { every: { status: "APPROVED" } }, evaluations: { none: { status: { in: ["PASSED", "FAILED"] } } } },
          orderBy: { referenceNo: "asc" },
          take,
          select: { id: true, referenceNo: true, title: true },
        })
      : [],
    counts.alertsOpen
      ? db().projectAlert.findMany({
          where: { resolvedAt: null, project: scope },
          orderBy: [{ openedAt: "asc" }, { id: "asc" }],
          take,
          select: { id: true, kind: true, openedAt: true, project: { select: projectLabel } },
        })
      : [],
    counts.trainingsMissed ? missedInScope(viewer) : [],
  ]);
  const ws = (ref: string) => `/projects/${enc(ref)}`;
  return [
    {
      kind: "reportsToReview",
      count: counts.reportsToReview ?? 0,
      items: reports.map((r) => ({ id: r.id, ref: r.project.referenceNo, title: `${r.project.title} · ${r.milestone.title}`, href: `${ws(r.project.referenceNo)}/reports/${r.id}`, since: iso(r.submittedAt), select: selectionToken(r.id, r.version) })),
      listHref: commonListHref(reports.map((r) => `${ws(r.project.referenceNo)}/reports`), counts.reportsToReview ?? 0, null),
    },
    {
      kind: "expensesToApprove",
      count: counts.expensesToApprove ?? 0,
      items: expenses.map((e) => ({
        id: e.id,
        ref: e.project.referenceNo,
        title: `${e.project.title} · ${e.payee}`,
        href: `${ws(e.project.referenceNo)}/expenses?status=SUBMITTED`,
        since: iso(e.createdAt),
        // an expense that needs a look of its own (domain/work.ts) is not offered for approval with others
        select: expenseNeedsOwnLook(e) ? null : selectionToken(e.id, e.version),
      })),
      listHref: commonListHref(expenses.map((e) => `${ws(e.project.referenceNo)}/expenses?status=SUBMITTED`), counts.expensesToApprove ?? 0, null),
    },
    {
      kind: "adjustmentsToDecide",
      count: counts.adjustmentsToDecide ?? 0,
      items: adjustments.map((a) => ({ id: a.id, ref: a.project.referenceNo, title: `${a.project.title} · ${a.reason}`, href: `${ws(a.project.referenceNo)}/budget`, since: iso(a.createdAt) })),
      listHref: commonListHref(adjustments.map((a) => `${ws(a.project.referenceNo)}/budget`), counts.adjustmentsToDecide ?? 0, null),
    },
    {
      kind: "releasesToApprove",
      count: counts.releasesToApprove ?? 0,
      items: releases.map((t) => ({ id: t.id, ref: t.project.referenceNo, title: `${t.project.title} · #${t.position}`, href: `${ws(t.project.referenceNo)}/agreement`, since: iso(t.preparedAt) })),
      listHref: "/admin/releases",
    },
    {
      kind: "objectionsOpen",
      count: counts.objectionsOpen ?? 0,
      items: objections.map((o) => ({ id: o.id, ref: o.proposal.referenceNo, title: o.proposal.title, href: `/admin/rounds/${enc(o.round.code)}/objections`, since: iso(o.createdAt) })),
      listHref: commonListHref(objections.map((o) => `/admin/rounds/${enc(o.round.code)}/objections`), counts.objectionsOpen ?? 0, null),
    },
    {
      kind: "evaluationsReady",
      count: counts.evaluationsReady ?? 0,
      items: ready.map((p) => ({ id: p.id, ref: p.referenceNo, title: p.title, href: `${ws(p.referenceNo)}/evaluation`, since: null })),
      listHref: "/evaluations",
    },
    {
      kind: "alertsOpen",
      count: counts.alertsOpen ?? 0,
      items: alerts.map((a) => ({ id: a.id, ref: a.project.referenceNo, title: a.project.title, href: ws(a.project.referenceNo), since: iso(a.openedAt), missing: [`alerts.kind.${a.kind}`] })),
      listHref: "/admin/dashboard#alerts",
    },
    {
      kind: "trainingsMissed",
      count: counts.trainingsMissed ?? 0,
      items: missed.slice(0, take).map((m) => ({ id: `${m.trainingNumber}:${m.organizationId}`, ref: `T${m.trainingNumber}`, title: `${m.name} · ${m.topic}`, href: `/trainings/${m.trainingNumber}`, since: null })),
      listHref: "/admin/dashboard#missed-trainings",
    },
  ];
}

/** The missed required trainings in every area the official looks after (their topmost scopes). */
async function missedInScope(viewer: Actor) {
  const roots = officialRoots(viewer) ?? ["/"];
  const all = (await Promise.all(roots.map((r) => missedRequiredTrainings(r)))).flat();
  return [...new Map(all.map((m) => [`${m.trainingNumber}:${m.organizationId}`, m])).values()];
}

/** A judge's sheets to score and an evaluator's open invitations (anyone may hold either). */
export async function judgeWork(viewer: Pick<Actor, "id">): Promise<WorkGroupInput[]> {
  const { counts } = await personalCounts(viewer);
  const [sheets, evaluations] = await Promise.all([
    counts.sheetsToScore
      ? db().reviewAssignment.findMany({
          where: {
            endedAt: null,
            roundJudge: { userId: viewer.id, status: "ACCEPTED" },
            round: { phase: "REVIEW", awardsPublishedAt: null },
            OR: [{ sheet: { is: null } }, { sheet: { is: { status: "DRAFT" } } }],
          },
          orderBy: [{ round: { noticeStartsAt: "asc" } }, { proposal: { referenceNo: "asc" } }],
          take,
          select: { id: true, createdAt: true, round: { select: { noticeStartsAt: true } }, proposal: { select: { id: true, referenceNo: true, title: true } } },
        })
      : [],
    counts.evaluationsInvited
      ? db().evaluation.findMany({
          where: { evaluatorId: viewer.id, status: "INVITED", project: { status: "ACTIVE" } },
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          take,
          select: { id: true, createdAt: true, project: { select: projectLabel } },
        })
      : [],
  ]);
  return [
    {
      kind: "sheetsToScore",
      count: counts.sheetsToScore ?? 0,
      // the review deadline is the day the notice starts, as /judging shows it
      items: sheets.map((a) => ({ id: a.id, ref: a.proposal.referenceNo, title: a.proposal.title, href: `/judging/sheets/${a.proposal.id}`, since: iso(a.createdAt), deadline: iso(a.round.noticeStartsAt) })),
      listHref: "/judging",
    },
    {
      kind: "evaluationsInvited",
      count: counts.evaluationsInvited ?? 0,
      items: evaluations.map((e) => ({ id: e.id, ref: e.project.referenceNo, title: e.project.title, href: `/projects/${enc(e.project.referenceNo)}/evaluation`, since: iso(e.createdAt) })),
      listHref: "/evaluations",
    },
  ];
}

/** An applicant's drafts (what is missing, the round's deadline) and what officials sent back. */
export async function applicantWork(viewer: Pick<Actor, "organizations">, now = new Date()): Promise<WorkGroupInput[]> {
  const counts = await applicantCounts(viewer, now);
  if (!counts) return [];
  const orgIds = viewer.organizations.map((o) => o.id);
  const [drafts, reports, expenses] = await Promise.all([
    counts.draftsToSubmit
      ? db().proposal.findMany({
          where: { organizationId: { in: orgIds }, status: "DRAFT", round: { phase: "PROPOSALS", proposalsDeadline: { gt: now } } },
          orderBy: [{ round: { proposalsDeadline: "asc" } }, { updatedAt: "asc" }, { id: "asc" }],
          take,
          select: {
            id: true,
            organizationId: true,
            roundId: true,
            title: true,
            summary: true,
            communityId: true,
            category: true,
            beneficiaryGroups: true,
            beneficiaryCount: true,
            activityPlan: true,
            coFundingFen: true,
            updatedAt: true,
            round: { select: draftRoundSelect },
            needs: { select: { needId: true } },
            milestones: { select: { title: true, dueOn: true, deliverable: true }, orderBy: { position: "asc" } },
            budgetLines: { select: { category: true, item: true, quantity: true, unitPriceFen: true }, orderBy: { position: "asc" } },
            team: { select: { name: true, role: true, experience: true }, orderBy: { position: "asc" } },
          },
        })
      : [],
    counts.reportsReturned
      ? db().milestoneReport.findMany({
          where: { status: "RETURNED", project: { organizationId: { in: orgIds }, status: "ACTIVE" } },
          orderBy: [{ decidedAt: "asc" }, { id: "asc" }],
          take,
          select: { id: true, decidedAt: true, milestone: { select: { title: true } }, project: { select: projectLabel } },
        })
      : [],
    counts.expensesReturned
      ? db().expense.findMany({
          where: { status: "RETURNED", project: { organizationId: { in: orgIds }, status: "ACTIVE" } },
          orderBy: [{ decidedAt: "asc" }, { id: "asc" }],
          take,
          select: { id: true, decidedAt: true, payee: true, project: { select: projectLabel } },
        })
      : [],
  ]);
  // each draft's progress as its page shows it: fields to fill in and the round's rules it breaks
  const progress = await Promise.all(drafts.map((d) => draftProgressOf(d, now)));
  return [
    {
      kind: "draftsToSubmit",
      count: counts.draftsToSubmit ?? 0,
      items: drafts.map((d, i) => ({
        id: d.id,
        ref: null,
        title: d.title || d.round.title,
        href: `/proposals/${d.id}/edit`,
        since: iso(d.updatedAt),
        deadline: iso(d.round.proposalsDeadline),
        missing: [...new Set(progress[i]!.missing.map((m) => m.key))],
        unmet: [...new Set(progress[i]!.unmet.map((u) => (u.params ? withParams(u.key, u.params) : u.key)))],
        ready: progress[i]!.ready,
      })),
      listHref: "/proposals?status=DRAFT",
    },
    {
      kind: "reportsReturned",
      count: counts.reportsReturned ?? 0,
      items: reports.map((r) => ({ id: r.id, ref: r.project.referenceNo, title: `${r.project.title} · ${r.milestone.title}`, href: `/projects/${enc(r.project.referenceNo)}/reports/${r.id}`, since: iso(r.decidedAt) })),
      listHref: commonListHref(reports.map((r) => `/projects/${enc(r.project.referenceNo)}/reports`), counts.reportsReturned ?? 0, null),
    },
    {
      kind: "expensesReturned",
      count: counts.expensesReturned ?? 0,
      items: expenses.map((e) => ({ id: e.id, ref: e.project.referenceNo, title: `${e.project.title} · ${e.payee}`, href: `/projects/${enc(e.project.referenceNo)}/expenses?status=RETURNED`, since: iso(e.decidedAt) })),
      listHref: commonListHref(expenses.map((e) => `/projects/${enc(e.project.referenceNo)}/expenses?status=RETURNED`), counts.expensesReturned ?? 0, null),
    },
  ];
}

/** A foundation manager's disputed and held gifts. */
export async function foundationWork(viewer: Pick<Actor, "grants">): Promise<WorkGroupInput[]> {
  const counts = await foundationCounts(viewer);
  if (!counts || !(counts.giftsDisputed || counts.giftsHeld)) return [];
  const ids = managedFoundationIds(viewer);
  const oldest = (status: "DISPUTED" | "HELD") =>
    db().donation.findMany({
      where: { foundationId: { in: ids }, status },
      orderBy: [{ updatedAt: "asc" }, { id: "asc" }],
      take,
      select: { id: true, ref: true, updatedAt: true, foundation: { select: { slug: true } } },
    });
  const [disputed, held] = await Promise.all([counts.giftsDisputed ? oldest("DISPUTED") : [], counts.giftsHeld ? oldest("HELD") : []]);
  const group = (kind: "giftsDisputed" | "giftsHeld", status: "DISPUTED" | "HELD", rows: typeof disputed): WorkGroupInput => {
    // the manager's gift list filtered by this status, when the gifts are of one foundation
    const lists = [...new Set(rows.map((g) => `/admin/foundations/${enc(g.foundation.slug)}?status=${status}`))];
    return {
      kind,
      count: counts[kind] ?? 0,
      items: rows.map((g) => ({ id: g.id, ref: g.ref, title: g.ref, href: `/admin/foundations/${enc(g.foundation.slug)}/donations/${enc(g.ref)}`, since: iso(g.updatedAt) })),
      listHref: lists.length === 1 ? lists[0]! : null,
    };
  };
  return [group("giftsDisputed", "DISPUTED", disputed), group("giftsHeld", "HELD", held)];
}

/** The viewer's whole work list for /me: every role they hold, ordered and capped (domain/work.ts). */
export async function myWork(viewer: Actor, now = new Date()) {
  const parts = await Promise.all([officialWork(viewer), judgeWork(viewer), applicantWork(viewer, now), foundationWork(viewer)]);
  const groups = workGroups(parts.flat());
  return { groups, total: groups.reduce((sum, g) => sum + g.count, 0) };
}
