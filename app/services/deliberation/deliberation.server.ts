/**
 * Deliberation of community matters (一征三议两公开): proposing a matter of needs (提议), the review
 * meeting's record (审议), the residents' body's resolution (决议), supervision remarks, and the
 * self-government roles that take these steps. Every step is one transaction with its audit
 * record; the tables move the public-data version (their triggers), so the public pages showing
 * the steps (两公开) are fresh at once. Rules: domain/deliberation.ts.
 */
import {
  afterResolution,
  afterReview,
  AmendSchema,
  GrantRoleSchema,
  HOLDING_STATUSES,
  mayAmend,
  ProposeSchema,
  RemarkSchema,
  ResolutionSchema,
  RulesFormSchema,
  ReviewSchema,
  rulesOf,
  tally,
  type CommunityRole,
  type MatterStatus,
  type RemarkStep,
  type ResolutionRules,
} from "~/domain/deliberation";
import type { z } from "zod";
import { withParams } from "~/domain/messages";
import { NEED_AREA_LEVELS, type NeedEvent } from "~/domain/needs";
import type { Actor } from "~/services/accounts/actor.server";
import type { Prisma } from "~/generated/prisma/client";
import { type Client, db, type Tx } from "~/lib/db.server";
import { notFound } from "~/lib/permissions.server";
import { fail, fromIssues, invalid, ok, type Result } from "~/lib/result";
import { dayStart, shanghaiDay } from "~/lib/time";
import { saveUpload, UploadError } from "~/lib/uploads.server";
import { audit } from "~/services/books/audit.server";
import { tellFollowers } from "~/services/needs/conversation.server";
import { requirePropose, requireRecord, requireRemark, requireRoleGrantor, stepsAllowed } from "./access.server";

/** Photos and scanned sign-in sheets of one review meeting. */
export const MAX_REVIEW_ATTACHMENTS = 6;
export const REVIEW_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

// ───────────────────────────── reads ─────────────────────────────

/** The statuses of the matters holding a need (publishing it as a topic asks for a PASSED one). */
export async function matterStatusesOf(client: Client, needId: string): Promise<MatterStatus[]> {
  const rows = await client.matterNeed.findMany({ where: { needId }, select: { matter: { select: { status: true } } } });
  return rows.map((r) => r.matter.status as MatterStatus);
}

/**
 * The live matter (PROPOSED, FORWARDED, PASSED) holding a need, or null. While one holds it the
 * need belongs to the community's deliberation: curators may not reject it or merge it away.
 */
export async function liveMatterOf(client: Client, needId: string): Promise<{ number: number; status: MatterStatus } | null> {
  const row = await client.matterNeed.findFirst({
    where: { needId, matter: { status: { in: [...HOLDING_STATUSES] } } },
    select: { matter: { select: { number: true, status: true } } },
  });
  return row ? { number: row.matter.number, status: row.matter.status as MatterStatus } : null;
}

const areaOf = async (code: string) => {
  const area = await db().area.findUnique({ where: { code }, select: { id: true, code: true, nameZh: true, nameEn: true, level: true, path: true, deliberationRules: true } });
  if (!area || !(NEED_AREA_LEVELS as readonly string[]).includes(area.level)) notFound();
  return area;
};

const stepSelect = {
  id: true,
  number: true,
  title: true,
  rationale: true,
  status: true,
  proposedAt: true,
  updatedAt: true,
  area: { select: { code: true, nameZh: true, nameEn: true, path: true, deliberationRules: true } },
  needs: { select: { need: { select: { number: true, title: true, status: true, round: { select: { code: true, title: true, titleEn: true } } } } }, orderBy: { need: { number: "asc" as const } } },
  reviews: {
    select: {
      id: true,
      body: true,
      meetingOn: true,
      place: true,
      attendeesEntitled: true,
      attendeesPresent: true,
      officeHolders: true,
      minutes: true,
      outcome: true,
      reasons: true,
      createdAt: true,
      attachments: { select: { id: true, upload: { select: { originalName: true, mimeType: true } } }, orderBy: { createdAt: "asc" as const } },
    },
    orderBy: { createdAt: "asc" as const },
  },
  resolution: true,
  remarks: { select: { id: true, step: true, reviewId: true, body: true, createdAt: true }, orderBy: { createdAt: "asc" as const } },
} as const;

type MatterRow = Prisma.MatterGetPayload<{ select: typeof stepSelect }>;

/** A matter as the public sees it: every step, with the supervision committee's remarks. */
function publicMatter(m: MatterRow) {
  const rules = m.resolution ? (m.resolution.rules as unknown as ResolutionRules) : rulesOf(m.area.deliberationRules);
  return {
    number: m.number,
    title: m.title,
    rationale: m.rationale,
    status: m.status as MatterStatus,
    proposedAt: m.proposedAt.toISOString(),
    area: { code: m.area.code, nameZh: m.area.nameZh, nameEn: m.area.nameEn },
    needs: m.needs.map((n) => n.need),
    reviews: m.reviews.map((r) => ({
      ...r,
      meetingOn: shanghaiDay(r.meetingOn),
      createdAt: r.createdAt.toISOString(),
      remarks: m.remarks.filter((x) => x.step === "REVIEW" && x.reviewId === r.id).map(remarkDto),
    })),
    resolution: m.resolution
      ? {
          body: m.resolution.body,
          meetingOn: shanghaiDay(m.resolution.meetingOn),
          place: m.resolution.place,
          entitled: m.resolution.entitled,
          present: m.resolution.present,
          votesFor: m.resolution.votesFor,
          votesAgainst: m.resolution.votesAgainst,
          abstentions: m.resolution.abstentions,
          text: m.resolution.text,
          quorate: m.resolution.quorate,
          passed: m.resolution.passed,
          createdAt: m.resolution.createdAt.toISOString(),
          remarks: m.remarks.filter((x) => x.step === "RESOLUTION").map(remarkDto),
        }
      : null,
    proposalRemarks: m.remarks.filter((x) => x.step === "PROPOSAL").map(remarkDto),
    rules,
  };
}

const remarkDto = (r: { id: string; body: string; createdAt: Date }) => ({ id: r.id, body: r.body, createdAt: r.createdAt.toISOString() });

export type PublicMatter = ReturnType<typeof publicMatter>;

/** A matter's public page, with the steps the viewer may take. */
export async function matterDetail(number: number, viewer: Pick<Actor, "id" | "grants"> | null) {
  const m = await db().matter.findUnique({ where: { number }, select: stepSelect });
  if (!m) notFound();
  return { matter: publicMatter(m), allowed: { ...(await stepsAllowed(viewer, m.area.path)), amend: mayAmend(m.status as MatterStatus) } };
}

/** The matters holding a need, each with every step (shown on the need's public page). */
export async function mattersOfNeed(needId: string) {
  const rows = await db().matter.findMany({ where: { needs: { some: { needId } } }, select: stepSelect, orderBy: { proposedAt: "asc" } });
  return rows.map(publicMatter);
}

/**
 * A community's public deliberation list (newest first), and for those who may propose, the
 * community's open needs not held by a live matter.
 */
export async function communityDeliberation(code: string, viewer: Pick<Actor, "id" | "grants"> | null) {
  const area = await areaOf(code);
  const matters = await db().matter.findMany({
    where: { areaId: area.id },
    select: { number: true, title: true, status: true, proposedAt: true, _count: { select: { needs: true, remarks: true } }, resolution: { select: { passed: true, votesFor: true, present: true } } },
    orderBy: [{ proposedAt: "desc" }, { number: "desc" }],
    take: 200,
  });
  const allowed = await stepsAllowed(viewer, area.path);
  const openNeeds = allowed.propose
    ? await db().need.findMany({
        where: { areaId: area.id, status: "OPEN", matters: { none: { matter: { status: { in: [...HOLDING_STATUSES] } } } } },
        select: { number: true, title: true, voteCount: true },
        orderBy: [{ voteCount: "desc" }, { number: "asc" }],
        take: 50,
      })
    : [];
  return {
    area: { code: area.code, nameZh: area.nameZh, nameEn: area.nameEn },
    rules: rulesOf(area.deliberationRules),
    matters: matters.map((m) => ({
      number: m.number,
      title: m.title,
      status: m.status as MatterStatus,
      proposedAt: m.proposedAt.toISOString(),
      needs: m._count.needs,
      remarks: m._count.remarks,
      resolution: m.resolution,
    })),
    allowed,
    openNeeds,
  };
}

/** The upload of a review attachment of matter `number` (public, as the record is), or null. */
export async function reviewAttachmentUpload(number: number, attachmentId: string): Promise<string | null> {
  const a = await db().matterAttachment.findFirst({ where: { id: attachmentId, review: { matter: { number } } }, select: { uploadId: true } });
  return a?.uploadId ?? null;
}

// ───────────────────────────── steps ─────────────────────────────

interface LockedMatter {
  id: string;
  number: number;
  title: string;
  status: MatterStatus;
  areaPath: string;
  rationale: string;
  deliberationRules: unknown;
}

/** The matter, locked (steps on one matter run one after another); 404 when there is none. */
async function lockMatter(tx: Tx, number: number): Promise<LockedMatter> {
  const rows = await tx.$queryRaw<LockedMatter[]>`
    SELECT m.id, m.number, m.title, m.status::text AS status, a.path AS "areaPath", m.rationale, a."deliberationRules"
    FROM "Matter" m JOIN "Area" a ON a.id = m."areaId"
    WHERE m.number = ${number}
    FOR UPDATE OF m`;
  if (!rows[0]) notFound();
  return rows[0];
}

/** The step a matter's move is, as its needs' followers hear it. */
const EVENT_OF: Record<MatterStatus, NeedEvent> = { PROPOSED: "PROPOSED", FORWARDED: "FORWARDED", DROPPED: "DROPPED", PASSED: "PASSED", FAILED: "FAILED" };

/**
 * Tells the followers of each of the matter's needs (ADR 030) of the step it reached, in the
 * step's transaction: an inbox notice and an e-mail, never to the person who took the step, and
 * once to a person who follows several of the needs.
 */
async function tellNeedFollowers(tx: Tx, matter: { id: string; number: number; title: string }, event: NeedEvent, actorId: string): Promise<void> {
  const needs = await tx.matterNeed.findMany({ where: { matterId: matter.id }, select: { need: { select: { id: true, number: true, title: true } } }, orderBy: { need: { number: "asc" } } });
  // one notice per person and step, however many of the matter's needs they follow (the first, by number)
  const told = new Set<string>();
  for (const { need } of needs) await tellFollowers(tx, need, event, { detail: matter.title, matter: matter.number }, { except: [actorId], told });
}

/** A meeting cannot be recorded before it happened. */
const meetingDayProblem = (day: string) => (day > shanghaiDay(new Date()) ? invalid({ meetingOn: ["deliberation.error.future"] }) : null);

/**
 * One step on an existing matter (amend, review, resolve, remark): in one transaction the matter
 * is locked (steps on it run one after another; 404 when there is none), the actor must be allowed
 * the step in its community (403, before anything about the input is said), the input must pass
 * `schema` (400 next to its fields), then `take` records the step with its audit record.
 */
async function matterStep<S extends z.ZodType, T extends object>(
  actor: Actor,
  number: number,
  step: { schema: S; allowed: (actor: Actor, areaPath: string, tx: Tx) => Promise<void> },
  raw: unknown,
  take: (tx: Tx, m: LockedMatter, input: z.output<S>) => Promise<Result<T>>,
): Promise<Result<T>> {
  const parsed = step.schema.safeParse(raw);
  return db().$transaction(async (tx): Promise<Result<T>> => {
    const m = await lockMatter(tx, number);
    await step.allowed(actor, m.areaPath, tx);
    if (!parsed.success) return fromIssues(parsed.error.issues);
    return take(tx, m, parsed.data);
  });
}

/**
 * 提议: proposes needs of the community as one matter, with a rationale. The needs must be open,
 * of this community, and not held by another live matter (they are locked, in id order, so two
 * proposals of the same need cannot both take it).
 */
export async function proposeMatter(actor: Actor, communityCode: string, raw: unknown): Promise<Result<{ number: number }>> {
  const area = await areaOf(communityCode);
  const parsed = ProposeSchema.safeParse(raw);
  return db().$transaction(async (tx): Promise<Result<{ number: number }>> => {
    await requirePropose(actor, area.path, tx);
    if (!parsed.success) return fromIssues(parsed.error.issues);
    const input = parsed.data;
    const needs = await tx.$queryRaw<{ id: string; number: number; status: string; areaId: string }[]>`
      SELECT id, number, status::text AS status, "areaId" FROM "Need"
      WHERE number = ANY(${input.needs}::int[]) ORDER BY id FOR UPDATE`;
    const missing = input.needs.filter((n) => !needs.some((x) => x.number === n));
    if (missing.length) return invalid({ needs: [withParams("deliberation.error.needMissing", { numbers: missing.join(", ") })] });
    const foreign = needs.filter((n) => n.areaId !== area.id);
    if (foreign.length) return invalid({ needs: [withParams("deliberation.error.needElsewhere", { numbers: foreign.map((n) => n.number).join(", ") })] });
    const notOpen = needs.filter((n) => n.status !== "OPEN");
    if (notOpen.length) return invalid({ needs: [withParams("deliberation.error.needNotOpen", { numbers: notOpen.map((n) => n.number).join(", ") })] });
    const held = await tx.matterNeed.findMany({
      where: { needId: { in: needs.map((n) => n.id) }, matter: { status: { in: [...HOLDING_STATUSES] } } },
      select: { need: { select: { number: true } } },
    });
    if (held.length) return invalid({ needs: [withParams("deliberation.error.needHeld", { numbers: held.map((h) => h.need.number).join(", ") })] });

    const matter = await tx.matter.create({
      data: { areaId: area.id, title: input.title, rationale: input.rationale, proposedById: actor.id, needs: { create: needs.map((n) => ({ needId: n.id })) } },
      select: { id: true, number: true },
    });
    await audit(tx, {
      actorId: actor.id,
      action: "matter.propose",
      objectType: "Matter",
      objectId: matter.id,
      after: { number: matter.number, areaId: area.id, title: input.title, rationale: input.rationale, needs: input.needs },
    });
    await tellNeedFollowers(tx, { ...matter, title: input.title }, "PROPOSED", actor.id);
    return ok({ number: matter.number });
  });
}

/** Amends the rationale of a matter waiting for review (after a review asked for revision). */
export function amendMatter(actor: Actor, number: number, raw: unknown): Promise<Result> {
  return matterStep(actor, number, { schema: AmendSchema, allowed: requirePropose }, raw, async (tx, m, { rationale }): Promise<Result> => {
    if (!mayAmend(m.status)) return fail(409, "deliberation.error.notProposed");
    await tx.matter.update({ where: { id: m.id }, data: { rationale } });
    await audit(tx, { actorId: actor.id, action: "matter.amend", objectType: "Matter", objectId: m.id, before: { rationale: m.rationale }, after: { rationale } });
    return ok();
  });
}

/**
 * 审议: records the review meeting of a proposed matter, with its photos and scanned sign-in
 * sheets, and moves the matter by its outcome (forward, back for revision, drop).
 */
export async function recordReview(actor: Actor, number: number, raw: unknown, files: readonly File[]): Promise<Result> {
  // an empty file input still sends a nameless, empty part: that is "no file"
  const attached = files.filter((f) => f.size > 0 || f.name);
  try {
    return await matterStep(actor, number, { schema: ReviewSchema, allowed: requireRecord }, raw, async (tx, m, input): Promise<Result> => {
      const dayProblem = meetingDayProblem(input.meetingOn);
      if (dayProblem) return dayProblem;
      if (attached.length > MAX_REVIEW_ATTACHMENTS) return invalid({ attachments: [withParams("deliberation.error.tooManyFiles", { max: MAX_REVIEW_ATTACHMENTS })] });
      const next = afterReview(m.status, input.outcome);
      if ("problem" in next) return fail(409, next.problem);
      const uploads = [];
      for (const file of attached) uploads.push(await saveUpload(tx, { file, kinds: ["image", "pdf"], maxBytes: REVIEW_ATTACHMENT_MAX_BYTES, uploaderId: actor.id }));
      const review = await tx.matterReview.create({
        data: {
          matterId: m.id,
          body: input.body,
          meetingOn: dayStart(input.meetingOn),
          place: input.place,
          attendeesEntitled: input.attendeesEntitled,
          attendeesPresent: input.attendeesPresent,
          officeHolders: input.officeHolders,
          minutes: input.minutes,
          outcome: input.outcome,
          reasons: input.reasons,
          recordedById: actor.id,
          attachments: { create: uploads.map((u) => ({ uploadId: u.id })) },
        },
        select: { id: true },
      });
      await tx.matter.update({ where: { id: m.id }, data: { status: next.status } });
      await audit(tx, {
        actorId: actor.id,
        action: "matter.review",
        objectType: "Matter",
        objectId: m.id,
        before: { status: m.status },
        after: { status: next.status, reviewId: review.id, ...input, attachments: uploads.map((u) => u.id) },
      });
      // sent back for revision, the matter is PROPOSED again: followers hear it was returned
      await tellNeedFollowers(tx, m, input.outcome === "REVISE" ? "RETURNED" : EVENT_OF[next.status], actor.id);
      return ok();
    });
  } catch (e) {
    if (e instanceof UploadError) return invalid({ attachments: [Object.keys(e.params).length ? withParams(e.messageKey, e.params) : e.messageKey] });
    throw e;
  }
}

/**
 * 决议: records the residents' body's vote on a forwarded matter. Whether it passed is computed
 * from the counts by the community's rules (kept with the resolution), never typed in.
 */
export function recordResolution(actor: Actor, number: number, raw: unknown): Promise<Result<{ passed: boolean }>> {
  return matterStep(actor, number, { schema: ResolutionSchema, allowed: requireRecord }, raw, async (tx, m, input): Promise<Result<{ passed: boolean }>> => {
    const dayProblem = meetingDayProblem(input.meetingOn);
    if (dayProblem) return dayProblem;
    const rules = rulesOf(m.deliberationRules);
    const result = tally(input, rules);
    const next = afterResolution(m.status, result.passed);
    if ("problem" in next) return fail(409, next.problem);
    await tx.matterResolution.create({
      data: {
        matterId: m.id,
        body: input.body,
        meetingOn: dayStart(input.meetingOn),
        place: input.place,
        entitled: input.entitled,
        present: input.present,
        votesFor: input.votesFor,
        votesAgainst: input.votesAgainst,
        abstentions: input.abstentions,
        text: input.text,
        quorate: result.quorate,
        passed: result.passed,
        rules: rules as unknown as Prisma.InputJsonValue,
        recordedById: actor.id,
      },
    });
    await tx.matter.update({ where: { id: m.id }, data: { status: next.status } });
    await audit(tx, {
      actorId: actor.id,
      action: "matter.resolve",
      objectType: "Matter",
      objectId: m.id,
      before: { status: m.status },
      after: { status: next.status, ...input, quorate: result.quorate, passed: result.passed, rules },
    });
    await tellNeedFollowers(tx, m, EVENT_OF[next.status], actor.id);
    return ok({ passed: result.passed });
  });
}

/** A supervision committee member's remark on a step of the matter, shown publicly. */
export function addRemark(actor: Actor, number: number, raw: unknown): Promise<Result> {
  return matterStep(actor, number, { schema: RemarkSchema, allowed: requireRemark }, raw, async (tx, m, input): Promise<Result> => {
    const { step, body } = input;
    const reviewId = step === "REVIEW" ? input.reviewId! : null;
    if (reviewId && !(await tx.matterReview.findFirst({ where: { id: reviewId, matterId: m.id }, select: { id: true } }))) return invalid({ step: ["deliberation.error.step"] });
    if (step === "RESOLUTION" && !(await tx.matterResolution.findUnique({ where: { matterId: m.id }, select: { id: true } }))) return invalid({ step: ["deliberation.error.step"] });
    const remark = await tx.matterRemark.create({ data: { matterId: m.id, step: step satisfies RemarkStep, reviewId, authorId: actor.id, body }, select: { id: true } });
    await audit(tx, { actorId: actor.id, action: "matter.remark", objectType: "Matter", objectId: m.id, after: { remarkId: remark.id, step, reviewId, body } });
    return ok();
  });
}

// ───────────────────────────── voting rules ─────────────────────────────

/** The community's voting rules, for the form of its officials (403 for anyone else). */
export async function communityRules(actor: Actor, code: string) {
  const area = await areaOf(code);
  requireRoleGrantor(actor, area.path);
  return { area: { code: area.code, nameZh: area.nameZh, nameEn: area.nameEn }, rules: rulesOf(area.deliberationRules), own: area.deliberationRules !== null };
}

/**
 * An official of the community sets its voting rules (quorum, majority and its base), at least
 * as strict as the defaults. Resolutions recorded from now on are counted by them; those
 * recorded keep the rules they were counted by. Audited with the rules before and after.
 */
export async function setCommunityRules(actor: Actor, code: string, raw: unknown): Promise<Result> {
  const area = await areaOf(code);
  requireRoleGrantor(actor, area.path);
  const parsed = RulesFormSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const rules = parsed.data;
  return db().$transaction(async (tx): Promise<Result> => {
    // one change of the rules at a time: the audit record's "before" is the rules this one replaces
    const [row] = await tx.$queryRaw<{ deliberationRules: unknown }[]>`SELECT "deliberationRules" FROM "Area" WHERE id = ${area.id} FOR UPDATE`;
    await tx.area.update({ where: { id: area.id }, data: { deliberationRules: rules as unknown as Prisma.InputJsonValue } });
    await audit(tx, { actorId: actor.id, action: "area.deliberationRules", objectType: "Area", objectId: area.id, before: { rules: rulesOf(row?.deliberationRules) }, after: { rules } });
    return ok();
  });
}

// ───────────────────────────── roles ─────────────────────────────

/** The community's self-government roles, for its officials. */
export async function communityRoles(actor: Actor, code: string) {
  const area = await areaOf(code);
  requireRoleGrantor(actor, area.path);
  const grants = await db().communityRoleGrant.findMany({
    where: { areaId: area.id, revokedAt: null },
    select: { id: true, role: true, createdAt: true, user: { select: { name: true, email: true } } },
    orderBy: [{ role: "asc" }, { createdAt: "asc" }],
  });
  return {
    area: { code: area.code, nameZh: area.nameZh, nameEn: area.nameEn },
    grants: grants.map((g) => ({ id: g.id, role: g.role as CommunityRole, since: g.createdAt.toISOString(), name: g.user.name, email: g.user.email })),
  };
}

/** Grants a self-government role of the community to an existing account (by its e-mail). */
export async function grantCommunityRole(actor: Actor, code: string, raw: unknown): Promise<Result> {
  const area = await areaOf(code);
  requireRoleGrantor(actor, area.path);
  const parsed = GrantRoleSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const { email, role } = parsed.data;
  return db().$transaction(async (tx): Promise<Result> => {
    const user = await tx.user.findUnique({ where: { email }, select: { id: true, deletedAt: true } });
    if (!user || user.deletedAt) return invalid({ email: ["deliberation.error.noAccount"] });
    // one decision about a person's roles at a time: no duplicate grant from a double submit
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`community-role:${user.id}`}))`;
    const existing = await tx.communityRoleGrant.findFirst({ where: { userId: user.id, areaId: area.id, role, revokedAt: null }, select: { id: true } });
    if (existing) return invalid({ email: ["deliberation.error.alreadyHolds"] });
    const grant = await tx.communityRoleGrant.create({ data: { userId: user.id, areaId: area.id, role, grantedById: actor.id }, select: { id: true } });
    await audit(tx, { actorId: actor.id, action: "communityRole.grant", objectType: "CommunityRoleGrant", objectId: grant.id, after: { userId: user.id, areaId: area.id, role } });
    return ok();
  });
}

/** Revokes a self-government role of the community. */
export async function revokeCommunityRole(actor: Actor, code: string, grantId: string): Promise<Result> {
  const area = await areaOf(code);
  requireRoleGrantor(actor, area.path);
  return db().$transaction(async (tx): Promise<Result> => {
    const grant = await tx.communityRoleGrant.findFirst({ where: { id: grantId, areaId: area.id }, select: { id: true, userId: true, role: true, revokedAt: true } });
    if (!grant) notFound();
    if (grant.revokedAt) return fail(409, "deliberation.error.revoked");
    await tx.communityRoleGrant.update({ where: { id: grant.id }, data: { revokedAt: new Date() } });
    await audit(tx, { actorId: actor.id, action: "communityRole.revoke", objectType: "CommunityRoleGrant", objectId: grant.id, before: { userId: grant.userId, role: grant.role }, after: { revoked: true } });
    return ok();
  });
}
