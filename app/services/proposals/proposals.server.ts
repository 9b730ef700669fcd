import { sha256 } from "~/lib/crypto.server";
import { canonicalJson } from "~/domain/audit-chain";
import type { CategoryDefinition } from "~/domain/categories";
import { z } from "zod";
import { decodeCursor, NO_NUMBERED_PAGES, numberedLinksOf, numberedPage, parsePageNumber } from "~/domain/keyset";
import { formatFen } from "~/domain/money";
import type { Actor } from "~/services/accounts/actor.server";
import { eligibilityOf, eligibilityProblems, type OrganizationStanding } from "~/domain/eligibility";
import {
  ACTIVE_STATUSES,
  budgetCapsOf,
  canWithdraw,
  PROPOSAL_STATUSES,
  completeness,
  dayStart,
  problemsAsFieldErrors,
  proposalTotals,
  referenceNumber,
  shanghaiDay,
  snapshotOf,
  draftProgress,
  unmetRules,
  type Draft,
  type RulesContext,
  type RuleProblem,
  type ProposalSnapshot,
  type RoundRules,
} from "~/domain/proposals";
import type { Prisma } from "~/generated/prisma/client";
import { type Client, db } from "~/lib/db.server";
import { appUrl } from "~/lib/env.server";
import { withParams } from "~/domain/messages";
import { formatDateTime, fromDbLocale } from "~/lib/i18n";
import { notify } from "~/lib/notify.server";
import { queueUserEmail } from "~/lib/outbox.server";
import { notFound } from "~/lib/permissions.server";
import { fail, ok, type Result } from "~/lib/result";
import { audit } from "~/services/books/audit.server";
import { readUpload, saveUpload, UploadError } from "~/lib/uploads.server";
import { storage } from "~/lib/storage.server";
import { requireMember, requireReader, requireRoundVisible } from "./access.server";

/**
 * Proposals (接单): drafts kept by the members of an organization, submitted exactly once into
 * a frozen snapshot, withdrawn while the round still takes proposals. See
 * docs/decisions/008-proposal-drafts-and-snapshots.md.
 */

/** Attachments a proposal may carry: documents, spreadsheets, PDFs and images. */
export const ATTACHMENT_KINDS = ["pdf", "image", "document", "spreadsheet"] as const;
export const MAX_ATTACHMENTS = 10;

const categoriesOf = (json: unknown): CategoryDefinition[] =>
  Array.isArray(json)
    ? json.filter((c): c is CategoryDefinition => !!c && typeof c === "object" && typeof (c as CategoryDefinition).key === "string")
    : [];

/** The user ids of an organization's members with accounts. */
async function memberUserIds(client: Client, organizationId: string) {
  const rows = await client.organizationMember.findMany({ where: { organizationId, userId: { not: null } }, select: { userId: true } });
  return rows.map((r) => r.userId!);
}

// ───────────────────────────── eligibility ─────────────────────────────

/** What the eligibility rules read about an organization (domain/eligibility.ts). */
async function organizationStanding(client: Client, organizationId: string): Promise<OrganizationStanding> {
  // one after the other: `client` may be a transaction, whose one connection takes one query at a time
  const org = await client.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { kind: true, area: { select: { path: true } } } });
  const openProjects = await client.project.count({ where: { organizationId, status: { not: "CLOSED" } } });
  const troubled = await client.project.findMany({
    where: {
      organizationId,
      status: { not: "CLOSED" },
      OR: [{ status: "EVALUATION_FAILED" }, { alerts: { some: { kind: "OVERDUE", resolvedAt: null } } }],
    },
    select: { referenceNo: true },
    orderBy: { referenceNo: "asc" },
  });
  return { kind: org.kind, areaPath: org.area.path, openProjects, troubledProjects: troubled.map((t) => t.referenceNo) };
}

type EligibilityRound = Parameters<typeof eligibilityOf>[0] & { area: { path: string } };

/** The rules of `round` that the organization fails, as translatable messages (key|params); empty = eligible. */
async function eligibilityMessages(client: Client, round: EligibilityRound, organizationId: string): Promise<string[]> {
  const rules = eligibilityOf(round);
  if (!rules.kinds.length && !rules.inRoundArea && rules.maxOpenProjects === null && !rules.refuseTroubled) return [];
  const problems = eligibilityProblems(rules, await organizationStanding(client, organizationId), round.area.path);
  return problems.map((p) => (p.params ? withParams(p.key, p.params) : p.key));
}

// ───────────────────────────── starting a draft ─────────────────────────────

/**
 * A member of `organizationId` starts a draft for the round `roundCode`, while it takes
 * proposals. An organization keeps one draft per round: when it already has one, that draft is
 * the answer (`existing`), so a second click or a second member continues it instead of starting
 * a blank one; and none starts once the organization has as many active proposals as the round
 * allows. Both are decided under the organization's row lock (as submission is), so two starts at
 * once make one draft. The target community starts as the organization's own when it lies in the
 * round's area.
 */
export async function startDraft(actor: Actor, roundCode: string, organizationId: string): Promise<Result<{ id: string; existing: boolean }>> {
  const round = await db().round.findUnique({
    where: { code: roundCode },
    select: {
      id: true,
      phase: true,
      proposalsDeadline: true,
      maxProposalsPerOrg: true,
      area: { select: { path: true } },
      eligibleOrgKinds: true,
      orgInRoundArea: true,
      maxOpenProjects: true,
      refuseTroubledOrgs: true,
    },
  });
  if (!round) notFound();
  await requireMember(db(), actor, organizationId);
  if (round.phase !== "PROPOSALS") return fail(409, "proposal.problem.roundClosed");
  if (round.proposalsDeadline.getTime() <= Date.now()) return fail(409, "proposal.problem.deadlinePassed");
  // nobody writes a proposal in vain: an organization the round does not accept cannot start one
  const ineligible = await eligibilityMessages(db(), round, organizationId);
  if (ineligible.length) return fail(409, ineligible);
  const org = await db().organization.findUniqueOrThrow({ where: { id: organizationId }, select: { area: { select: { id: true, path: true, level: true } } } });
  const ownCommunity =
    ["COMMUNITY", "VILLAGE"].includes(org.area.level) && org.area.path.startsWith(round.area.path) ? org.area.id : null;
  return db().$transaction(
    async (tx): Promise<Result<{ id: string; existing: boolean }>> => {
      // serialises starts (and submissions) of one organization: the checks below hold until commit
      await tx.$executeRaw`SELECT 1 FROM "Organization" WHERE id = ${organizationId} FOR UPDATE`;
      const draft = await tx.proposal.findFirst({
        where: { organizationId, roundId: round.id, status: "DRAFT" },
        select: { id: true },
        orderBy: { createdAt: "asc" },
      });
      if (draft) return ok({ id: draft.id, existing: true });
      const active = await tx.proposal.count({ where: { organizationId, roundId: round.id, status: { in: [...ACTIVE_STATUSES] } } });
      if (active >= round.maxProposalsPerOrg) return fail(409, withParams("proposal.problem.tooManyActive", { max: round.maxProposalsPerOrg }));
      const p = await tx.proposal.create({
        data: { roundId: round.id, organizationId, createdById: actor.id, updatedById: actor.id, communityId: ownCommunity },
        select: { id: true },
      });
      await audit(tx, {
        actorId: actor.id,
        action: "proposal.start",
        objectType: "Proposal",
        objectId: p.id,
        after: { roundId: round.id, organizationId, status: "DRAFT" },
      });
      return ok({ id: p.id, existing: false });
    },
    { maxWait: 20_000, timeout: 30_000 },
  );
}

/**
 * A member deletes a draft of their organization (asked to confirm first): the draft, its rows
 * and its attachments go, the attachments' stored files too (after the commit: a file is removed
 * only once no row can point at it). Audited with what was deleted. A submitted proposal is
 * never deleted (it is withdrawn instead).
 */
export async function deleteDraft(actor: Actor, id: string): Promise<Result<{ roundCode: string }>> {
  const { p, member } = await authorizedProposal(db(), actor, id);
  if (!member) notFound();
  const done = await db().$transaction(async (tx): Promise<Result<{ keys: string[] }>> => {
    await tx.$executeRaw`SELECT 1 FROM "Organization" WHERE id = ${p.organizationId} FOR UPDATE`;
    const now = await tx.proposal.findUnique({
      where: { id },
      select: { status: true, title: true, attachments: { select: { id: true, upload: { select: { id: true, storageKey: true, originalName: true, sha256: true } } } } },
    });
    if (!now) return fail(404, "proposal.problem.notDraft");
    if (now.status !== "DRAFT") return fail(409, "proposal.problem.notDraft");
    const uploads = now.attachments.map((a) => a.upload);
    await tx.proposal.delete({ where: { id } });
    // the uploads were this draft's alone (each attachment saves its own Upload row)
    if (uploads.length) await tx.upload.deleteMany({ where: { id: { in: uploads.map((u) => u.id) } } });
    await audit(tx, {
      actorId: actor.id,
      action: "proposal.deleteDraft",
      objectType: "Proposal",
      objectId: id,
      before: {
        status: "DRAFT",
        roundId: p.roundId,
        organizationId: p.organizationId,
        title: now.title,
        attachments: uploads.map((u) => ({ name: u.originalName, sha256: u.sha256 })),
      },
    });
    return ok({ keys: uploads.map((u) => u.storageKey) });
  });
  if (!done.ok) return done;
  for (const key of done.keys) await storage().delete(key);
  return ok({ roundCode: p.round.code });
}

/** The round's rules a proposal is checked against, as every proposal query reads them. */
const roundRulesSelect = {
  id: true,
  code: true,
  title: true,
  titleEn: true,
  phase: true,
  minAwardFen: true,
  maxAwardFen: true,
  labourCapPercent: true,
  budgetCaps: true,
  maxProposalsPerOrg: true,
  eligibleOrgKinds: true,
  orgInRoundArea: true,
  maxOpenProjects: true,
  refuseTroubledOrgs: true,
  categories: true,
  proposalsDeadline: true,
  implementationStartsAt: true,
  implementationEndsAt: true,
} as const;

/** What /rounds/:code/apply shows: the round's key rules and the viewer's organizations with their proposals in it. */
export async function applyPage(actor: Actor, roundCode: string) {
  const round = await db().round.findUnique({
    where: { code: roundCode },
    select: { ...roundRulesSelect, area: { select: { nameZh: true, nameEn: true, path: true } } },
  });
  if (!round) notFound();
  // a round still being set up is not public yet
  requireRoundVisible(actor, { phase: round.phase, areaPath: round.area.path });
  const orgs = await db().organization.findMany({
    where: { members: { some: { userId: actor.id } } },
    select: {
      id: true,
      name: true,
      kind: true,
      proposals: {
        where: { roundId: round.id },
        select: { id: true, status: true, referenceNo: true, title: true },
        orderBy: { createdAt: "asc" },
      },
    },
    orderBy: { createdAt: "asc" },
  });
  const eligibility = new Map<string, string[]>();
  for (const o of orgs) eligibility.set(o.id, await eligibilityMessages(db(), round, o.id));
  const rules = eligibilityOf(round);
  return {
    round: {
      code: round.code,
      title: round.title,
      titleEn: round.titleEn,
      phase: round.phase as string,
      open: round.phase === "PROPOSALS" && round.proposalsDeadline.getTime() > Date.now(),
      eligibility: { kinds: rules.kinds.slice(), inRoundArea: rules.inRoundArea, maxOpenProjects: rules.maxOpenProjects, refuseTroubled: rules.refuseTroubled },
      budgetCaps: budgetCapsOf(round.budgetCaps),
      area: { nameZh: round.area.nameZh, nameEn: round.area.nameEn },
      minAwardFen: round.minAwardFen,
      maxAwardFen: round.maxAwardFen,
      labourCapPercent: round.labourCapPercent,
      maxProposalsPerOrg: round.maxProposalsPerOrg,
      categories: categoriesOf(round.categories),
      proposalsDeadline: round.proposalsDeadline.toISOString(),
      implementationFrom: shanghaiDay(round.implementationStartsAt),
      implementationTo: shanghaiDay(round.implementationEndsAt),
    },
    organizations: orgs.map((o) => ({ id: o.id, name: o.name, kind: o.kind as string, proposals: o.proposals, ineligible: eligibility.get(o.id) ?? [] })),
  };
}

// ───────────────────────────── reading ─────────────────────────────

const proposalInclude = {
  round: {
    select: { ...roundRulesSelect, area: { select: { id: true, path: true, level: true } } },
  },
  organization: { select: { id: true, name: true, kind: true } },
  milestones: { orderBy: { position: "asc" } },
  budgetLines: { orderBy: { position: "asc" } },
  team: { orderBy: { position: "asc" } },
  needs: { select: { needId: true } },
  attachments: { include: { upload: { select: { originalName: true, sizeBytes: true, mimeType: true, sha256: true } } }, orderBy: { createdAt: "asc" } },
  screening: { orderBy: { createdAt: "desc" }, take: 1, select: { outcome: true, reason: true, createdAt: true } },
} satisfies Prisma.ProposalInclude;

type LoadedProposal = Prisma.ProposalGetPayload<{ include: typeof proposalInclude }>;

/** What a draft holds, as the domain rules read it (also for the pending-work list on /me). */
export function draftOf(
  p: Pick<LoadedProposal, "title" | "summary" | "communityId" | "category" | "beneficiaryGroups" | "beneficiaryCount" | "activityPlan" | "coFundingFen"> & {
    needs: readonly { needId: string }[];
    milestones: readonly { title: string; dueOn: Date | null; deliverable: string }[];
    budgetLines: readonly { category: string; item: string; quantity: number; unitPriceFen: number }[];
    team: readonly { name: string; role: string; experience: string }[];
  },
): Draft {
  return {
    title: p.title,
    summary: p.summary,
    communityId: p.communityId,
    category: p.category,
    needIds: p.needs.map((n) => n.needId),
    beneficiaryGroups: p.beneficiaryGroups,
    beneficiaryCount: p.beneficiaryCount,
    activityPlan: p.activityPlan,
    coFundingFen: p.coFundingFen,
    milestones: p.milestones.map((m) => ({ title: m.title, dueOn: m.dueOn ? shanghaiDay(m.dueOn) : null, deliverable: m.deliverable })),
    budgetLines: p.budgetLines.map((l) => ({ category: l.category, item: l.item, quantity: l.quantity, unitPriceFen: l.unitPriceFen })),
    team: p.team.map((m) => ({ name: m.name, role: m.role, experience: m.experience })),
  };
}

function rulesOf(round: LoadedProposal["round"]): RoundRules {
  return {
    code: round.code,
    phase: round.phase,
    areaPath: round.area.path,
    minAwardFen: round.minAwardFen,
    maxAwardFen: round.maxAwardFen,
    labourCapPercent: round.labourCapPercent,
    budgetCaps: budgetCapsOf(round.budgetCaps),
    maxProposalsPerOrg: round.maxProposalsPerOrg,
    categories: categoriesOf(round.categories),
    proposalsDeadline: round.proposalsDeadline,
    implementationStartsAt: round.implementationStartsAt,
    implementationEndsAt: round.implementationEndsAt,
  };
}

/**
 * What the round's rules read besides the draft (`unmetRules`): now, the organization's other
 * active proposals in the round, the chosen community, the round's topics, and — when the round
 * restricts who may apply — the organization's standing. `client` may be a transaction.
 */
async function rulesContext(client: Client, p: Pick<LoadedProposal, "id" | "organizationId" | "roundId" | "communityId" | "round">, now = new Date()): Promise<RulesContext> {
  const activeCount = await client.proposal.count({
    where: { organizationId: p.organizationId, roundId: p.roundId, status: { in: [...ACTIVE_STATUSES] }, id: { not: p.id } },
  });
  const community = p.communityId ? await client.area.findUnique({ where: { id: p.communityId }, select: { path: true, level: true } }) : null;
  const topics = await client.need.findMany({ where: { roundId: p.roundId, status: "PUBLISHED" }, select: { id: true } });
  const rules = eligibilityOf(p.round);
  const restricted = rules.kinds.length > 0 || rules.inRoundArea || rules.maxOpenProjects !== null || rules.refuseTroubled;
  return {
    now,
    activeCount,
    community: community ? { path: community.path, level: community.level } : null,
    publishedNeedIds: topics.map((t) => t.id),
    eligibility: restricted ? { rules, standing: await organizationStanding(client, p.organizationId) } : undefined,
  };
}

/** What a draft's progress reads of its round (`draftProgressOf`), for lists that show drafts. */
export const draftRoundSelect = proposalInclude.round.select;

/**
 * A draft's progress as its own page shows it (`draftProgress`): the fields still to fill in and
 * the round's rules it breaks (`unmetRules`, read as submission reads them), so that a list of
 * drafts never calls "ready" a draft that submission would refuse.
 */
export async function draftProgressOf(
  p: Parameters<typeof draftOf>[0] & Pick<LoadedProposal, "id" | "organizationId" | "roundId" | "communityId" | "round">,
  now = new Date(),
) {
  const draft = draftOf(p);
  return draftProgress(draft, unmetRules(draft, rulesOf(p.round), await rulesContext(db(), p, now)));
}

/** The proposal when `actor` may see it (access.server.ts `requireReader`), else 404. */
async function authorizedProposal(client: Client, actor: Actor, id: string) {
  const p = await client.proposal.findUnique({ where: { id }, include: proposalInclude });
  if (!p) notFound();
  const { member } = await requireReader(client, actor, { organizationId: p.organizationId, status: p.status, roundAreaPath: p.round.area.path });
  return { p, member };
}

/** Everything the read view and the edit form show, shaped for the browser. */
export async function loadProposalFor(actor: Actor, id: string) {
  const { p, member } = await authorizedProposal(db(), actor, id);
  const draft = draftOf(p);
  const lastSaver = p.updatedById ? await db().user.findUnique({ where: { id: p.updatedById }, select: { name: true } }) : null;
  const rules = rulesOf(p.round);
  // shown above the draft form, so that nobody fills in a proposal the round will refuse
  const ineligible = member && p.status === "DRAFT" ? await eligibilityMessages(db(), p.round, p.organizationId) : [];
  // the progress bar reads the same rules as submission: never "ready" while submission would refuse
  const unmet = member && p.status === "DRAFT" ? unmetRules(draft, rules, await rulesContext(db(), p)) : [];
  // a draft's preview names its community and the needs it answers, as the snapshot will
  const draftCommunity =
    p.status === "DRAFT" && p.communityId
      ? await db().area.findUnique({ where: { id: p.communityId }, select: { id: true, code: true, nameZh: true, nameEn: true } })
      : null;
  const draftNeeds =
    p.status === "DRAFT" && draft.needIds.length
      ? await db().need.findMany({ where: { id: { in: draft.needIds } }, select: { id: true, number: true, title: true }, orderBy: { number: "asc" } })
      : [];
  return {
    id: p.id,
    status: p.status as string,
    ineligible,
    version: p.version,
    referenceNo: p.referenceNo,
    isMember: member,
    canEdit: member && p.status === "DRAFT",
    canWithdraw: member && canWithdraw(p.status, p.round.phase),
    round: {
      code: p.round.code,
      title: p.round.title,
      phase: p.round.phase as string,
      minAwardFen: rules.minAwardFen,
      maxAwardFen: rules.maxAwardFen,
      labourCapPercent: rules.labourCapPercent,
      budgetCaps: rules.budgetCaps,
      maxProposalsPerOrg: rules.maxProposalsPerOrg,
      categories: categoriesOf(p.round.categories),
      proposalsDeadline: p.round.proposalsDeadline.toISOString(),
      implementationFrom: shanghaiDay(p.round.implementationStartsAt),
      implementationTo: shanghaiDay(p.round.implementationEndsAt),
    },
    organization: { id: p.organization.id, name: p.organization.name, kind: p.organization.kind as string },
    draft,
    totals: proposalTotals(draft.budgetLines),
    completeness: completeness(draft),
    progress: draftProgress(draft, unmet),
    draftCommunity,
    draftNeeds,
    attachments: p.attachments.map((a) => ({
      id: a.id,
      label: a.label,
      name: a.upload.originalName,
      sizeBytes: a.upload.sizeBytes,
      mimeType: a.upload.mimeType,
    })),
    requestedFen: p.requestedFen,
    snapshot: p.status === "DRAFT" ? null : (p.snapshot as unknown as ProposalSnapshot | null),
    snapshotSha256: p.snapshotSha256,
    submittedAt: p.submittedAt?.toISOString() ?? null,
    withdrawnAt: p.withdrawnAt?.toISOString() ?? null,
    screening: p.screening[0]
      ? { outcome: p.screening[0].outcome as string, reason: p.screening[0].reason, at: p.screening[0].createdAt.toISOString() }
      : null,
    lastSaved: { by: lastSaver?.name ?? null, at: p.updatedAt.toISOString() },
  };
}

export type ProposalView = Awaited<ReturnType<typeof loadProposalFor>>;

/** Choices of the draft form: the communities of the round's area and its published topics (派单). */
export async function draftFormOptions(actor: Actor, id: string) {
  const { p } = await authorizedProposal(db(), actor, id);
  const area = p.round.area;
  const communities = await db().area.findMany({
    where: { path: { startsWith: area.path }, level: { in: ["COMMUNITY", "VILLAGE"] } },
    select: { id: true, nameZh: true, nameEn: true, level: true },
    orderBy: [{ sortOrder: "asc" }, { nameZh: "asc" }],
  });
  const topics = await db().need.findMany({
    where: { roundId: p.round.id, status: "PUBLISHED" },
    select: { id: true, number: true, title: true, area: { select: { nameZh: true, nameEn: true } } },
    orderBy: { number: "asc" },
  });
  return { communities, topics };
}

// ───────────────────────────── saving a draft ─────────────────────────────

/**
 * The draft as it is now, when a save or submit is refused because of it: someone saved in
 * between (status DRAFT, a newer version, who saved and when) or it is no longer a draft.
 */
export interface DraftState {
  status: string;
  version: number;
  savedBy: string | null;
  savedAt: string;
}

/** A saved draft's new version, and what became of an attachment sent with it (its message, `withParams`, or its id). */
export type SaveResult = Result<{ version: number; upload: { error: string } | { id: string } | null }, DraftState>;

/** 409 with the draft as it is now: someone else saved it in between, or it is no longer a draft. */
async function draftConflict(client: Client, id: string) {
  const now = await client.proposal.findUniqueOrThrow({ where: { id }, select: { status: true, version: true, updatedById: true, updatedAt: true } });
  const by = now.updatedById ? await client.user.findUnique({ where: { id: now.updatedById }, select: { name: true } }) : null;
  const state: DraftState = { status: now.status, version: now.version, savedBy: by?.name ?? null, savedAt: now.updatedAt.toISOString() };
  return fail(409, now.status === "DRAFT" ? "proposal.conflict.short" : "proposal.problem.notDraft", { detail: state });
}

export interface NewAttachment {
  file: File;
  label?: string;
}

/**
 * Saves a draft as it is — complete or not — if nobody saved it since `expectedVersion`
 * (otherwise nothing is written and the result names who saved last and when). Child rows are
 * replaced in the same transaction. A refused attachment does not stop the rest being saved:
 * its message comes back with the new version.
 */
export async function saveDraft(
  actor: Actor,
  id: string,
  draft: Draft,
  expectedVersion: number,
  attachment?: NewAttachment,
): Promise<SaveResult> {
  const { p } = await authorizedProposal(db(), actor, id);
  if (p.status !== "DRAFT") return draftConflict(db(), id);
  // references that cannot be stored are dropped rather than failing the save
  const community = draft.communityId ? await db().area.findUnique({ where: { id: draft.communityId }, select: { id: true } }) : null;
  const needs = draft.needIds.length
    ? await db().need.findMany({ where: { id: { in: draft.needIds }, roundId: p.roundId }, select: { id: true } })
    : [];
  const needIds = draft.needIds.filter((n) => needs.some((x) => x.id === n));

  return db().$transaction(async (tx): Promise<SaveResult> => {
    const updated = await tx.proposal.updateMany({
      where: { id, version: expectedVersion, status: "DRAFT" },
      data: {
        title: draft.title,
        summary: draft.summary,
        communityId: community?.id ?? null,
        category: draft.category,
        beneficiaryGroups: draft.beneficiaryGroups,
        beneficiaryCount: draft.beneficiaryCount,
        activityPlan: draft.activityPlan,
        coFundingFen: draft.coFundingFen,
        updatedById: actor.id,
        version: { increment: 1 },
      },
    });
    if (updated.count === 0) return draftConflict(tx, id);
    await tx.proposalMilestone.deleteMany({ where: { proposalId: id } });
    await tx.proposalBudgetLine.deleteMany({ where: { proposalId: id } });
    await tx.proposalTeamMember.deleteMany({ where: { proposalId: id } });
    await tx.proposalNeed.deleteMany({ where: { proposalId: id } });
    await tx.proposalMilestone.createMany({
      data: draft.milestones.map((m, position) => ({ proposalId: id, position, title: m.title, dueOn: m.dueOn ? dayStart(m.dueOn) : null, deliverable: m.deliverable })),
    });
    await tx.proposalBudgetLine.createMany({
      data: draft.budgetLines.map((l, position) => ({
        proposalId: id,
        position,
        category: l.category,
        item: l.item,
        quantity: l.quantity,
        unitPriceFen: l.unitPriceFen,
        totalFen: l.quantity * l.unitPriceFen,
      })),
    });
    await tx.proposalTeamMember.createMany({
      data: draft.team.map((m, position) => ({ proposalId: id, position, name: m.name, role: m.role, experience: m.experience })),
    });
    await tx.proposalNeed.createMany({ data: needIds.map((needId) => ({ proposalId: id, needId })) });

    let upload: { error: string } | { id: string } | null = null;
    if (attachment && attachment.file.size > 0) {
      const count = await tx.proposalAttachment.count({ where: { proposalId: id } });
      if (count >= MAX_ATTACHMENTS) upload = { error: withParams("proposal.attachment.tooMany", { max: MAX_ATTACHMENTS }) };
      else {
        try {
          const row = await saveUpload(tx, { file: attachment.file, kinds: ATTACHMENT_KINDS, uploaderId: actor.id });
          const a = await tx.proposalAttachment.create({ data: { proposalId: id, uploadId: row.id, label: attachment.label?.trim().slice(0, 100) ?? "" } });
          upload = { id: a.id };
        } catch (e) {
          if (!(e instanceof UploadError)) throw e;
          upload = { error: Object.keys(e.params).length ? withParams(e.messageKey, e.params) : e.messageKey };
        }
      }
    }
    await audit(tx, {
      actorId: actor.id,
      action: "proposal.saveDraft",
      objectType: "Proposal",
      objectId: id,
      before: { version: expectedVersion },
      after: {
        version: expectedVersion + 1,
        title: draft.title,
        totalFen: proposalTotals(draft.budgetLines).totalFen,
        rows: { milestones: draft.milestones.length, budgetLines: draft.budgetLines.length, team: draft.team.length, needs: needIds.length },
        attachmentAdded: upload && "id" in upload ? upload.id : undefined,
      },
    });
    return ok({ version: expectedVersion + 1, upload });
  });
}

/** Removes an attachment from a draft (the stored file stays, unreachable). */
export async function removeAttachment(actor: Actor, id: string, attachmentId: string): Promise<Result> {
  const { p, member } = await authorizedProposal(db(), actor, id);
  if (!member) notFound();
  const a = p.attachments.find((x) => x.id === attachmentId);
  if (!a) notFound();
  if (p.status !== "DRAFT") return fail(409, "proposal.problem.notDraft");
  await db().$transaction(async (tx) => {
    await tx.proposalAttachment.delete({ where: { id: a.id } });
    await audit(tx, {
      actorId: actor.id,
      action: "proposal.removeAttachment",
      objectType: "Proposal",
      objectId: id,
      before: { attachmentId: a.id, name: a.upload.originalName, sha256: a.upload.sha256 },
    });
  });
  return ok();
}

/** An attachment's bytes for whoever may see the proposal. */
export async function attachmentFor(actor: Actor, id: string, attachmentId: string) {
  const { p } = await authorizedProposal(db(), actor, id);
  const a = p.attachments.find((x) => x.id === attachmentId);
  if (!a) notFound();
  const upload = await readUpload(a.uploadId);
  if (!upload) notFound();
  return upload;
}

// ───────────────────────────── submitting ─────────────────────────────

/**
 * A submission's reference number (`already`: it was submitted before), or why not: the rules it
 * breaks (400, each at its field of the draft, all of them in `detail.problems`), or the draft as
 * it is now (409, `detail` is its DraftState).
 */
export type SubmitResult = Result<{ referenceNo: string; already: boolean }, { problems: RuleProblem[] } | DraftState>;

/**
 * Whether the draft could be submitted now, without submitting it: the rules it breaks, as
 * `submit` reports them (400), or ok. Asked before the applicant confirms the submission, so that
 * nobody is asked to confirm what the round would refuse.
 */
export async function checkSubmission(actor: Actor, id: string): Promise<Result<object, { problems: RuleProblem[] }>> {
  const { p, member } = await authorizedProposal(db(), actor, id);
  if (!member) notFound();
  if (p.status !== "DRAFT") return fail(409, "proposal.problem.notDraft");
  const problems = unmetRules(draftOf(p), rulesOf(p.round), await rulesContext(db(), p));
  if (!problems.length) return ok();
  const { "": formErrors = [], ...fieldErrors } = problemsAsFieldErrors(problems);
  return fail(400, formErrors, { fieldErrors, detail: { problems } });
}

/**
 * Submits a draft exactly once. Under the organization's row lock it counts the organization's
 * active proposals in the round, runs every rule, takes the next reference number under the
 * round's row lock, writes the snapshot and its SHA-256 and sets SUBMITTED (from then on the
 * database refuses changes), audits, emails the receipt to the submitter and tells every member.
 * A repeated or concurrent submit of the same proposal returns the first result and writes nothing.
 */
export async function submit(actor: Actor, id: string, expectedVersion?: number): Promise<SubmitResult> {
  const first = await db().proposal.findUnique({ where: { id }, select: { organizationId: true } });
  if (!first) notFound();
  await requireMember(db(), actor, first.organizationId);

  return db().$transaction(
    async (tx): Promise<SubmitResult> => {
      // serialises submissions of one organization: the active count below stays true until commit
      await tx.$executeRaw`SELECT 1 FROM "Organization" WHERE id = ${first.organizationId} FOR UPDATE`;
      const p = await tx.proposal.findUniqueOrThrow({ where: { id }, include: proposalInclude });
      if (p.status !== "DRAFT") {
        if (p.referenceNo && p.status !== "WITHDRAWN") return ok({ referenceNo: p.referenceNo, already: true });
        return draftConflict(tx, id);
      }
      if (expectedVersion !== undefined && p.version !== expectedVersion) return draftConflict(tx, id);

      const draft = draftOf(p);
      const now = new Date();
      const community = p.communityId
        ? await tx.area.findUnique({ where: { id: p.communityId }, select: { id: true, code: true, path: true, level: true, nameZh: true, nameEn: true } })
        : null;
      const topics = await tx.need.findMany({ where: { roundId: p.roundId, status: "PUBLISHED" }, select: { id: true, number: true, title: true } });
      // the same rules the progress bar shows (domain/proposals.ts unmetRules), eligibility first
      const problems = unmetRules(draft, rulesOf(p.round), await rulesContext(tx, p, now));
      if (problems.length) {
        const { "": formErrors = [], ...fieldErrors } = problemsAsFieldErrors(problems);
        return fail(400, formErrors, { fieldErrors, detail: { problems } });
      }

      const [seq] = await tx.$queryRaw<{ seq: number }[]>`
        UPDATE "Round" SET "nextProposalSeq" = "nextProposalSeq" + 1 WHERE id = ${p.roundId} RETURNING "nextProposalSeq" - 1 AS seq`;
      const referenceNo = referenceNumber(p.round.code, Number(seq!.seq));
      const submitter = await tx.user.findUniqueOrThrow({ where: { id: actor.id }, select: { id: true, name: true, email: true, locale: true } });
      const totals = proposalTotals(draft.budgetLines);
      const snapshot = snapshotOf({
        referenceNo,
        submittedAt: now,
        submittedBy: { id: submitter.id, name: submitter.name },
        round: { id: p.round.id, code: p.round.code, title: p.round.title },
        organization: { id: p.organization.id, name: p.organization.name, kind: p.organization.kind },
        community: community ? { id: community.id, code: community.code, nameZh: community.nameZh, nameEn: community.nameEn } : null,
        needs: topics.filter((t) => draft.needIds.includes(t.id)),
        attachments: p.attachments.map((a) => ({
          id: a.id,
          uploadId: a.uploadId,
          label: a.label,
          name: a.upload.originalName,
          mimeType: a.upload.mimeType,
          sizeBytes: a.upload.sizeBytes,
          sha256: a.upload.sha256,
        })),
        draft,
      });
      const snapshotSha256 = sha256(canonicalJson(snapshot));
      const done = await tx.proposal.updateMany({
        where: { id, status: "DRAFT", version: p.version },
        data: {
          status: "SUBMITTED",
          referenceNo,
          requestedFen: totals.totalFen,
          snapshot: snapshot as unknown as Prisma.InputJsonValue,
          snapshotSha256,
          submittedAt: now,
          submittedById: actor.id,
          updatedById: actor.id,
        },
      });
      if (done.count !== 1) throw new Error(`proposal ${id} changed while it was being submitted`);
      await audit(tx, {
        actorId: actor.id,
        action: "proposal.submit",
        objectType: "Proposal",
        objectId: id,
        before: { status: "DRAFT", version: p.version },
        after: { status: "SUBMITTED", referenceNo, requestedFen: totals.totalFen, snapshotSha256 },
      });
      const link = `${appUrl()}/proposals/${id}`;
      await queueUserEmail(tx, submitter, "proposal-submitted", {
        referenceNo,
        title: draft.title,
        organization: p.organization.name,
        amount: formatFen(totals.totalFen),
        roundTitle: p.round.title,
        submittedAt: formatDateTime(fromDbLocale(submitter.locale), now),
        link,
      });
      for (const userId of await memberUserIds(tx, p.organizationId)) {
        await notify(tx, {
          userId,
          kind: "proposalSubmitted",
          params: { referenceNo, title: draft.title, by: submitter.name, amount: formatFen(totals.totalFen) },
          link: `/proposals/${id}`,
        });
      }
      return ok({ referenceNo, already: false });
    },
    // many members may press "submit" at once; each waits for the organization's lock in turn
    { maxWait: 20_000, timeout: 30_000 },
  );
}

// ───────────────────────────── withdrawing ─────────────────────────────

/** A member withdraws a submitted proposal while the round still takes proposals. Audited; members are told. */
export async function withdraw(actor: Actor, id: string, reason?: string): Promise<Result> {
  const { p, member } = await authorizedProposal(db(), actor, id);
  if (!member) notFound();
  return db().$transaction(async (tx): Promise<Result> => {
    // the phase cannot move on (to screening) while this withdrawal is being written
    const [round] = await tx.$queryRaw<{ phase: string }[]>`SELECT phase::text AS phase FROM "Round" WHERE id = ${p.roundId} FOR SHARE`;
    const now = await tx.proposal.findUniqueOrThrow({ where: { id }, select: { status: true, referenceNo: true, title: true } });
    if (!canWithdraw(now.status, round!.phase)) return fail(409, "proposal.withdraw.refused");
    const done = await tx.proposal.updateMany({
      where: { id, status: "SUBMITTED" },
      data: { status: "WITHDRAWN", withdrawnAt: new Date(), withdrawnById: actor.id },
    });
    if (done.count !== 1) return fail(409, "proposal.withdraw.refused");
    const why = reason?.trim().slice(0, 500) || null;
    await audit(tx, {
      actorId: actor.id,
      action: "proposal.withdraw",
      objectType: "Proposal",
      objectId: id,
      before: { status: "SUBMITTED" },
      after: { status: "WITHDRAWN", reason: why },
    });
    for (const userId of await memberUserIds(tx, p.organizationId)) {
      await notify(tx, {
        userId,
        kind: "proposalWithdrawn",
        params: { referenceNo: now.referenceNo ?? "", title: now.title, by: actor.name },
        link: `/proposals/${id}`,
      });
    }
    return ok();
  });
}

// ───────────────────────────── lists ─────────────────────────────

/** A proposal's place in the viewer's list: [updatedAt in ms, id]. */
const MyProposalKey = z.tuple([z.number().int(), z.string().min(1).max(64)]);
type MyProposalKey = z.infer<typeof MyProposalKey>;
const MY_PROPOSAL_ROW = {
  id: true,
  status: true,
  referenceNo: true,
  title: true,
  requestedFen: true,
  updatedAt: true,
  submittedAt: true,
  round: { select: { code: true, title: true } },
  organization: { select: { name: true } },
  budgetLines: { select: { totalFen: true } },
} as const satisfies Prisma.ProposalSelect;

/**
 * The proposals of the viewer's organizations, last changed first, one numbered page
 * (`numberedPage` in `~/domain/keyset`: `page`, and the keyset `cursor` of previous / next, bound
 * to the viewer and the status filter; the index Proposal(organizationId, updatedAt, id) serves
 * previous / next from any page as a range, and a page asked by its number is located from the
 * nearer end over the sort keys only); and the rounds open for proposals now (in the viewer's
 * officials' areas or anywhere: rounds are public).
 */
export async function myProposals(actor: Actor, opts: { page?: string | null; cursor?: string | null; per: number; status?: string | null }) {
  const orgIds = (
    await db().organizationMember.findMany({ where: { userId: actor.id }, select: { organizationId: true } })
  ).map((m) => m.organizationId);
  const status = PROPOSAL_STATUSES.find((s) => s === opts.status);
  const where: Prisma.ProposalWhereInput = { organizationId: { in: orgIds }, ...(status ? { status } : {}) };
  const total = orgIds.length ? await db().proposal.count({ where }) : 0;
  const scope = JSON.stringify(["myProposals", actor.id, status ?? null]);
  const page = total
    ? await numberedPage<Prisma.ProposalGetPayload<{ select: typeof MY_PROPOSAL_ROW }>, MyProposalKey>({
        scope,
        cursor: decodeCursor(opts.cursor, scope, MyProposalKey),
        page: parsePageNumber(opts.page),
        per: opts.per,
        total,
        keyOf: (r) => [r.updatedAt.getTime(), r.id],
        fetch: ({ key, backward, take }) => {
          const at = key ? new Date(key[0]) : null;
          const beyond: Prisma.ProposalWhereInput | null =
            key && at
              ? backward
                ? { updatedAt: { gte: at }, OR: [{ updatedAt: { gt: at } }, { id: { gt: key[1] } }] }
                : { updatedAt: { lte: at }, OR: [{ updatedAt: { lt: at } }, { id: { lt: key[1] } }] }
              : null;
          const order = backward ? "asc" : "desc";
          return db().proposal.findMany({ where: beyond ? { AND: [where, beyond] } : where, select: MY_PROPOSAL_ROW, orderBy: [{ updatedAt: order }, { id: order }], take });
        },
        keyAt: async (skip, backward) => {
          const order = backward ? "asc" : "desc";
          const [r] = await db().proposal.findMany({ where, select: { updatedAt: true, id: true }, orderBy: [{ updatedAt: order }, { id: order }], skip, take: 1 });
          return r ? [r.updatedAt.getTime(), r.id] : null;
        },
      })
    : { items: [], ...NO_NUMBERED_PAGES };
  const rows = page.items;
  const openRounds = await db().round.findMany({
    where: { phase: "PROPOSALS", proposalsDeadline: { gt: new Date() } },
    select: { code: true, title: true, proposalsDeadline: true, minAwardFen: true, maxAwardFen: true, area: { select: { nameZh: true, nameEn: true } } },
    orderBy: { proposalsDeadline: "asc" },
    take: 20,
  });
  return {
    hasOrganization: orgIds.length > 0,
    total,
    pager: numberedLinksOf(page),
    proposals: rows.map((r) => ({
      id: r.id,
      status: r.status as string,
      referenceNo: r.referenceNo,
      title: r.title,
      // a draft's amount is what its lines add up to now; a submission's is frozen
      amountFen: r.requestedFen ?? r.budgetLines.reduce((a, l) => a + l.totalFen, 0),
      round: r.round,
      organization: r.organization.name,
      updatedAt: r.updatedAt.toISOString(),
      submittedAt: r.submittedAt?.toISOString() ?? null,
    })),
    openRounds: openRounds.map((r) => ({ ...r, proposalsDeadline: r.proposalsDeadline.toISOString() })),
  };
}

