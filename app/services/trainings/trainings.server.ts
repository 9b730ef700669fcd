/**
 * Trainings (能力培训): an official of an area publishes one; members of organizations it is
 * open to sign up for their organization (seats counted under the training's row lock, so never
 * over capacity) and may cancel; attendance is checked in with the signed code shown at the
 * venue (the signed-in person only, once) or marked by an official; materials are attached
 * through the upload machinery; an attendee downloads a certificate (PDF). Rules:
 * domain/trainings.ts. Every step is one transaction with its audit record.
 */
import {
  cancelProblem,
  cancelTrainingProblem,
  changedFields,
  checkInProblem,
  editProblem,
  issueCheckInCode,
  mayHaveCertificate,
  mayRunTrainings,
  MATERIAL_MAX_BYTES,
  missedRequired,
  seatsLeft,
  signupProblem,
  TrainingEditSchema,
  TrainingSchema,
  verifyCheckInCode,
  type TrainingAudience,
  type TrainingDetails,
} from "~/domain/trainings";
import { shanghaiLocalToDate } from "~/domain/campaigns";
import { canonicalJson } from "~/domain/audit-chain";
import { withParams } from "~/domain/messages";
import type { Actor } from "~/services/accounts/actor.server";
import { sha256 } from "~/lib/crypto.server";
import { db, type Tx } from "~/lib/db.server";
import { appUrl } from "~/lib/env.server";
import { queueUserEmail } from "~/lib/outbox.server";
import type { TemplateProps } from "../../../emails";
import type { Locale } from "~/lib/i18n";
import { forbidden, notFound } from "~/lib/permissions.server";
import { secretHmac } from "~/lib/pii.server";
import { fail, fromIssues, invalid, ok, type Result } from "~/lib/result";
import { formatBytes, saveUpload, UploadError } from "~/lib/uploads.server";
import { audit } from "~/services/books/audit.server";
import { auditDownload, type PdfFile } from "~/services/documents/documents.server";
import { renderTrainingCertificatePdf } from "~/services/documents/render.server";

type Viewer = Pick<Actor, "id" | "grants"> | null;

/** HMAC-SHA256 of a check-in message under a key derived from the app's secret. */
const signCheckIn = (message: string) => secretHmac("training-check-in", message);

const LIST_MAX = 50;

/** "/a/b/c/" → ["/a/", "/a/b/", "/a/b/c/"]: the area and those above it. */
const selfAndAncestors = (path: string) => path.split("/").filter(Boolean).map((_, i, parts) => `/${parts.slice(0, i + 1).join("/")}/`);

/** Trainings of the area, of the areas below it, and of those above it (a subdistrict's training is for its communities too). */
const aroundArea = (path: string) => ({ OR: [{ area: { path: { startsWith: path } } }, { area: { path: { in: selfAndAncestors(path) } } }] });

const areaOf = async (code: string) => {
  const area = await db().area.findUnique({ where: { code }, select: { id: true, code: true, nameZh: true, nameEn: true, path: true } });
  if (!area) notFound();
  return area;
};

const trainingSelect = {
  id: true,
  number: true,
  topic: true,
  trainer: true,
  description: true,
  startsAt: true,
  endsAt: true,
  place: true,
  onlineUrl: true,
  capacity: true,
  audience: true,
  requiredForGrantees: true,
  cancelledAt: true,
  cancelReason: true,
  updatedAt: true,
  round: { select: { id: true, code: true, title: true } },
  area: { select: { id: true, code: true, nameZh: true, nameEn: true, path: true } },
} as const;

/** Active (not cancelled) sign-ups per training. */
async function activeCounts(ids: readonly string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db().trainingSignup.groupBy({ by: ["trainingId"], where: { trainingId: { in: [...ids] }, cancelledAt: null }, _count: { _all: true } });
  return new Map(rows.map((r) => [r.trainingId, r._count._all]));
}

// ───────────────────────────── who may sign up ─────────────────────────────

/**
 * The organizations of `userId` a training is open to: in the training's area (or below) for
 * all organizations; with a filed proposal in its round for the round's applicants; with a
 * funded project in the area (or below) for funded projects.
 */
async function eligibleOrganizations(
  client: Tx | ReturnType<typeof db>,
  userId: string,
  t: { audience: TrainingAudience | string; areaPath: string; roundId: string | null },
): Promise<{ id: string; name: string }[]> {
  const member = { members: { some: { userId } } };
  const where =
    t.audience === "ROUND_APPLICANTS"
      ? { ...member, proposals: { some: { roundId: t.roundId ?? "-", status: { not: "DRAFT" as const } } } }
      : t.audience === "FUNDED_PROJECTS"
        ? { ...member, projects: { some: { areaPath: { startsWith: t.areaPath } } } }
        : { ...member, area: { path: { startsWith: t.areaPath } } };
  return client.organization.findMany({ where, select: { id: true, name: true }, orderBy: { name: "asc" } });
}

// ───────────────────────────── reads ─────────────────────────────

/**
 * An area's trainings page: its upcoming trainings with the seats left (public: no names); for
 * its officials also the past ones and the form to publish, with the area's rounds.
 */
export async function areaTrainings(code: string, viewer: Viewer, now = new Date()) {
  const area = await areaOf(code);
  const official = !!viewer && mayRunTrainings(viewer, area.path);
  const inArea = aroundArea(area.path);
  const [upcoming, past, rounds] = await Promise.all([
    db().training.findMany({ where: { ...inArea, endsAt: { gt: now } }, select: trainingSelect, orderBy: [{ startsAt: "asc" }, { id: "asc" }], take: LIST_MAX }),
    official ? db().training.findMany({ where: { ...inArea, endsAt: { lte: now } }, select: trainingSelect, orderBy: [{ startsAt: "desc" }, { id: "asc" }], take: LIST_MAX }) : [],
    official ? db().round.findMany({ where: { area: { path: { startsWith: area.path } } }, select: { code: true, title: true }, orderBy: { code: "desc" }, take: 50 }) : [],
  ]);
  const counts = await activeCounts([...upcoming, ...past].map((t) => t.id));
  const dto = (t: (typeof upcoming)[number]) => ({
    number: t.number,
    topic: t.topic,
    trainer: t.trainer,
    startsAt: t.startsAt.toISOString(),
    endsAt: t.endsAt.toISOString(),
    place: t.place,
    online: !!t.onlineUrl,
    capacity: t.capacity,
    seatsLeft: seatsLeft(t.capacity, counts.get(t.id) ?? 0),
    audience: t.audience as TrainingAudience,
    round: t.round ? { code: t.round.code, title: t.round.title } : null,
    required: t.requiredForGrantees,
    cancelled: !!t.cancelledAt,
    area: { code: t.area.code, nameZh: t.area.nameZh, nameEn: t.area.nameEn },
  });
  return {
    area: { code: area.code, nameZh: area.nameZh, nameEn: area.nameEn },
    upcoming: upcoming.map(dto),
    past: past.map(dto),
    official,
    rounds,
  };
}

async function trainingRow(number: number) {
  const t = await db().training.findUnique({ where: { number }, select: trainingSelect });
  if (!t) notFound();
  return t;
}

/**
 * A training's page: what, when, where, seats left; the viewer's sign-up and the organizations
 * they may sign up for; for its officials the sign-ups with attendance, the check-in code to
 * show at the venue (during the window) and the materials form. Materials are for officials and
 * the people signed up.
 */
export async function trainingPage(number: number, viewer: Viewer, now = new Date()) {
  const t = await trainingRow(number);
  const official = !!viewer && mayRunTrainings(viewer, t.area.path);
  const [active, mine, eligible, materials] = await Promise.all([
    db().trainingSignup.count({ where: { trainingId: t.id, cancelledAt: null } }),
    viewer
      ? db().trainingSignup.findUnique({
          where: { trainingId_userId: { trainingId: t.id, userId: viewer.id } },
          select: { id: true, cancelledAt: true, attendedAt: true, organization: { select: { name: true } } },
        })
      : null,
    viewer ? eligibleOrganizations(db(), viewer.id, { audience: t.audience, areaPath: t.area.path, roundId: t.round?.id ?? null }) : [],
    db().trainingMaterial.findMany({ where: { trainingId: t.id }, select: { id: true, createdAt: true, upload: { select: { originalName: true, sizeBytes: true } } }, orderBy: { createdAt: "asc" } }),
  ]);
  const signedUp = !!mine && !mine.cancelledAt;
  const signups = official
    ? await db().trainingSignup.findMany({
        where: { trainingId: t.id, cancelledAt: null },
        select: { id: true, attendedAt: true, attendedVia: true, createdAt: true, user: { select: { name: true } }, organization: { select: { name: true } } },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take: 2000,
      })
    : [];
  const code = official && !t.cancelledAt ? issueCheckInCode(t, now, signCheckIn) : null;
  return {
    training: {
      number: t.number,
      topic: t.topic,
      trainer: t.trainer,
      description: t.description,
      startsAt: t.startsAt.toISOString(),
      endsAt: t.endsAt.toISOString(),
      place: t.place,
      // the link is for those who take part (and the officials)
      onlineUrl: signedUp || official ? t.onlineUrl : null,
      online: !!t.onlineUrl,
      capacity: t.capacity,
      seatsLeft: seatsLeft(t.capacity, active),
      audience: t.audience as TrainingAudience,
      round: t.round ? { code: t.round.code, title: t.round.title } : null,
      required: t.requiredForGrantees,
      cancelled: !!t.cancelledAt,
      // the reason is told to those signed up (they were notified of it) and the officials
      cancelReason: t.cancelledAt && (official || signedUp) ? t.cancelReason : null,
      started: now >= t.startsAt,
      ended: now >= t.endsAt,
      area: { code: t.area.code, nameZh: t.area.nameZh, nameEn: t.area.nameEn },
    },
    mine: mine ? { organization: mine.organization.name, cancelled: !!mine.cancelledAt, attended: !!mine.attendedAt && !mine.cancelledAt, certificate: mayHaveCertificate(mine, t) } : null,
    eligible,
    official,
    signups: signups.map((s) => ({ id: s.id, name: s.user.name, organization: s.organization.name, attended: !!s.attendedAt, via: s.attendedVia })),
    checkIn: code ? { url: `${appUrl()}/trainings/${t.number}/check-in?code=${encodeURIComponent(code.code)}`, path: `/trainings/${t.number}/check-in?code=${encodeURIComponent(code.code)}`, expiresAt: code.expiresAt.toISOString() } : null,
    materials: signedUp || official ? materials.map((m) => ({ id: m.id, name: m.upload.originalName, size: formatBytes(m.upload.sizeBytes) })) : [],
    materialCount: materials.length,
  };
}

// ───────────────────────────── officials ─────────────────────────────

/** An official of the area publishes a training. */
export async function publishTraining(actor: Actor, code: string, raw: unknown): Promise<Result<{ number: number }>> {
  const area = await areaOf(code);
  if (!mayRunTrainings(actor, area.path)) forbidden();
  const parsed = TrainingSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const v = parsed.data;
  const startsAt = shanghaiLocalToDate(v.startsAt);
  const endsAt = shanghaiLocalToDate(v.endsAt);
  if (!startsAt || !endsAt) return invalid({ startsAt: ["trainings.error.when"] });
  let roundId: string | null = null;
  if (v.audience === "ROUND_APPLICANTS") {
    const round = await db().round.findFirst({ where: { code: v.roundCode, area: { path: { startsWith: area.path } } }, select: { id: true } });
    if (!round) return invalid({ roundCode: ["trainings.error.round"] });
    roundId = round.id;
  }
  return db().$transaction(async (tx) => {
    const t = await tx.training.create({
      data: {
        areaId: area.id,
        topic: v.topic,
        trainer: v.trainer,
        description: v.description,
        startsAt,
        endsAt,
        place: v.place || null,
        onlineUrl: v.onlineUrl || null,
        capacity: v.capacity,
        audience: v.audience,
        roundId,
        requiredForGrantees: v.requiredForGrantees,
        publishedById: actor.id,
      },
      select: { id: true, number: true },
    });
    await audit(tx, {
      actorId: actor.id,
      action: "training.publish",
      objectType: "Training",
      objectId: t.id,
      after: { areaId: area.id, topic: v.topic, trainer: v.trainer, startsAt, endsAt, capacity: v.capacity, audience: v.audience, roundId, requiredForGrantees: v.requiredForGrantees },
    });
    return ok({ number: t.number });
  });
}

/** The training of `number`, locked: sign-ups of one training are decided one after another. */
async function lockTraining(tx: Tx, number: number) {
  const rows = await tx.$queryRaw<{ id: string; number: number; startsAt: Date; endsAt: Date; capacity: number; audience: string; roundId: string | null; areaPath: string; topic: string; cancelledAt: Date | null }[]>`
    SELECT t.id, t.number, t."startsAt", t."endsAt", t.capacity, t.audience::text AS audience, t."roundId", a.path AS "areaPath", t.topic, t."cancelledAt"
    FROM "Training" t JOIN "Area" a ON a.id = t."areaId" WHERE t.number = ${number} FOR UPDATE OF t`;
  if (!rows[0]) notFound();
  return rows[0];
}

/** The details of a training as the edit form shows them (times as Asia/Shanghai wall time). */
const detailsOf = (t: { topic: string; trainer: string; description: string; startsAt: Date; endsAt: Date; place: string | null; onlineUrl: string | null; capacity: number }): TrainingDetails => ({
  topic: t.topic,
  trainer: t.trainer,
  description: t.description,
  startsAt: t.startsAt,
  endsAt: t.endsAt,
  place: t.place,
  onlineUrl: t.onlineUrl,
  capacity: t.capacity,
});

/** The details whose change those signed up are told of: when and where the training is. */
const MOVING_FIELDS: readonly (keyof TrainingDetails)[] = ["startsAt", "endsAt", "place", "onlineUrl"];

/**
 * Queues `template` through the outbox (e-mail, or SMS for those who hear by SMS) to each person
 * signed up for the training and not withdrawn, with the props made from the training as it now
 * stands; how many notices were queued.
 */
async function tellSignedUp<N extends "training-cancelled" | "training-changed">(
  tx: Tx,
  trainingId: string,
  template: N,
  props: (t: { number: number; topic: string; startsAt: Date; place: string | null; onlineUrl: string | null }) => Omit<TemplateProps<N>, "name" | "locale">,
): Promise<number> {
  const t = await tx.training.findUniqueOrThrow({ where: { id: trainingId }, select: { number: true, topic: true, startsAt: true, place: true, onlineUrl: true } });
  const signups = await tx.trainingSignup.findMany({
    where: { trainingId, cancelledAt: null },
    select: { user: { select: { id: true, email: true, name: true, locale: true } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  let notified = 0;
  for (const s of signups) {
    if (await queueUserEmail(tx, s.user, template, props(t) as Omit<TemplateProps<N>, "name">)) notified++;
  }
  return notified;
}

/**
 * An official of the area edits a published training (domain/trainings.ts editProblem): not once
 * cancelled (409); times only before it starts; seats never below those signed up (counted under
 * the row lock, so a sign-up at the same moment is counted). Audited with the changed fields
 * before and after; nothing changed, nothing written.
 */
export async function editTraining(actor: Actor, number: number, raw: unknown, now = new Date()): Promise<Result> {
  const parsed = TrainingEditSchema.safeParse(raw);
  if (!parsed.success) {
    const locked = await trainingRow(number);
    if (!mayRunTrainings(actor, locked.area.path)) forbidden();
    return fromIssues(parsed.error.issues);
  }
  const v = parsed.data;
  const startsAt = shanghaiLocalToDate(v.startsAt);
  const endsAt = shanghaiLocalToDate(v.endsAt);
  return db().$transaction(async (tx): Promise<Result> => {
    const locked = await lockTraining(tx, number);
    if (!mayRunTrainings(actor, locked.areaPath)) forbidden();
    if (!startsAt || !endsAt) return invalid({ startsAt: ["trainings.error.when"] });
    const current = await tx.training.findUniqueOrThrow({ where: { id: locked.id }, select: { topic: true, trainer: true, description: true, startsAt: true, endsAt: true, place: true, onlineUrl: true, capacity: true, cancelledAt: true } });
    const after: TrainingDetails = { topic: v.topic, trainer: v.trainer, description: v.description, startsAt, endsAt, place: v.place || null, onlineUrl: v.onlineUrl || null, capacity: v.capacity };
    const active = await tx.trainingSignup.count({ where: { trainingId: locked.id, cancelledAt: null } });
    const problem = editProblem(current, after, active, now);
    if (problem) return "problem" in problem ? fail(409, problem.problem) : invalid(problem.fields);
    const before = detailsOf(current);
    const changed = changedFields(before, after);
    if (changed.length === 0) return ok();
    // only what changed is written (a time sent back as the form showed it, to the minute, stays as stored)
    await tx.training.update({ where: { id: locked.id }, data: Object.fromEntries(changed.map((f) => [f, after[f]])) });
    // a new time or place is news to those signed up: each is told once, with the edit
    const moved = changed.some((f) => MOVING_FIELDS.includes(f));
    const notified = moved ? await tellSignedUp(tx, locked.id, "training-changed", (t) => ({ number: t.number, topic: t.topic, startsAt: t.startsAt.toISOString(), where: t.place ?? t.onlineUrl ?? "", link: `${appUrl()}/trainings/${t.number}` })) : 0;
    await audit(tx, {
      actorId: actor.id,
      action: "training.edit",
      objectType: "Training",
      objectId: locked.id,
      before: Object.fromEntries(changed.map((f) => [f, before[f]])),
      after: { ...Object.fromEntries(changed.map((f) => [f, after[f]])), ...(moved ? { notified } : {}) },
    });
    return ok();
  });
}

/**
 * An official of the area cancels a training before it starts, with a reason (domain/trainings.ts
 * cancelTrainingProblem). In one transaction, under the row lock: the training is marked
 * cancelled, each person signed up is sent a notice through the outbox (e-mail, or SMS when that
 * is how they chose to hear), and the step is audited. A second cancellation is refused (409),
 * so the notices go once. A cancelled training takes no sign-ups, check-ins or certificates, is
 * no missed required training and is not in the ranking's attendance.
 */
export async function cancelTraining(actor: Actor, number: number, reason: string, now = new Date()): Promise<Result<{ notified: number }>> {
  return db().$transaction(async (tx): Promise<Result<{ notified: number }>> => {
    const t = await lockTraining(tx, number);
    if (!mayRunTrainings(actor, t.areaPath)) forbidden();
    const problem = cancelTrainingProblem(t, now);
    if (problem) return fail(409, problem);
    const text = reason.trim();
    if (!text) return invalid({ reason: ["trainings.error.reason"] });
    await tx.training.update({ where: { id: t.id }, data: { cancelledAt: now, cancelReason: text } });
    const signups = await tx.trainingSignup.count({ where: { trainingId: t.id, cancelledAt: null } });
    const notified = await tellSignedUp(tx, t.id, "training-cancelled", (c) => ({
      number: c.number,
      topic: c.topic,
      startsAt: t.startsAt.toISOString(),
      reason: text,
      link: `${appUrl()}/trainings/${c.number}`,
    }));
    await audit(tx, {
      actorId: actor.id,
      action: "training.cancelTraining",
      objectType: "Training",
      objectId: t.id,
      before: { cancelledAt: null },
      after: { cancelledAt: now, cancelReason: text, signups, notified },
    });
    return ok({ notified });
  });
}

/** An official marks a sign-up attended (or not). */
export async function markAttendance(actor: Actor, number: number, raw: { signupId: string; attended: "yes" | "no" }): Promise<Result> {
  return db().$transaction(async (tx): Promise<Result> => {
    const t = await lockTraining(tx, number);
    if (!mayRunTrainings(actor, t.areaPath)) forbidden();
    if (t.cancelledAt) return fail(409, "trainings.error.cancelled");
    const s = await tx.trainingSignup.findFirst({ where: { id: raw.signupId, trainingId: t.id, cancelledAt: null }, select: { id: true, attendedAt: true } });
    if (!s) notFound();
    const attended = raw.attended === "yes";
    if (attended === !!s.attendedAt) return ok();
    await tx.trainingSignup.update({
      where: { id: s.id },
      data: attended ? { attendedAt: new Date(), attendedVia: "official", markedById: actor.id } : { attendedAt: null, attendedVia: null, markedById: actor.id },
    });
    await audit(tx, { actorId: actor.id, action: attended ? "training.markAttended" : "training.markAbsent", objectType: "TrainingSignup", objectId: s.id, before: { attended: !!s.attendedAt }, after: { attended } });
    return ok();
  });
}

/** An official attaches a file (slides, handouts) to the training. */
export async function addMaterial(actor: Actor, number: number, files: readonly File[]): Promise<Result> {
  const attached = files.filter((f) => f.size > 0 || f.name);
  if (attached.length !== 1) return invalid({ file: ["trainings.error.oneFile"] });
  try {
    return await db().$transaction(async (tx): Promise<Result> => {
      const t = await lockTraining(tx, number);
      if (!mayRunTrainings(actor, t.areaPath)) forbidden();
      const upload = await saveUpload(tx, { file: attached[0]!, kinds: ["pdf", "document", "spreadsheet", "image"], maxBytes: MATERIAL_MAX_BYTES, uploaderId: actor.id });
      const m = await tx.trainingMaterial.create({ data: { trainingId: t.id, uploadId: upload.id, addedById: actor.id }, select: { id: true } });
      await audit(tx, { actorId: actor.id, action: "training.material", objectType: "Training", objectId: t.id, after: { materialId: m.id, uploadId: upload.id, name: upload.originalName } });
      return ok();
    });
  } catch (e) {
    if (e instanceof UploadError) return invalid({ file: [Object.keys(e.params).length ? withParams(e.messageKey, e.params) : e.messageKey] });
    throw e;
  }
}

/** The upload of a training's material, for its officials and the people signed up; null otherwise. */
export async function materialUpload(number: number, materialId: string, viewer: Viewer): Promise<string | null> {
  if (!viewer) return null;
  const m = await db().trainingMaterial.findFirst({
    where: { id: materialId, training: { number } },
    select: { uploadId: true, training: { select: { id: true, area: { select: { path: true } } } } },
  });
  if (!m) return null;
  if (mayRunTrainings(viewer, m.training.area.path)) return m.uploadId;
  const s = await db().trainingSignup.findUnique({ where: { trainingId_userId: { trainingId: m.training.id, userId: viewer.id } }, select: { cancelledAt: true } });
  return s && !s.cancelledAt ? m.uploadId : null;
}

// ───────────────────────────── members ─────────────────────────────

/**
 * A member signs up for one of their organizations the training is open to. The training's row
 * is locked and the active sign-ups counted under the lock: of simultaneous sign-ups for the
 * last seat exactly one gets it.
 */
export async function signUp(actor: Actor, number: number, organizationId: string, now = new Date()): Promise<Result> {
  return db().$transaction(async (tx): Promise<Result> => {
    const t = await lockTraining(tx, number);
    const eligible = await eligibleOrganizations(tx, actor.id, t);
    if (!eligible.some((o) => o.id === organizationId)) return fail(403, "trainings.error.notEligible");
    const existing = await tx.trainingSignup.findUnique({ where: { trainingId_userId: { trainingId: t.id, userId: actor.id } }, select: { id: true, cancelledAt: true } });
    if (existing && !existing.cancelledAt) return fail(409, "trainings.error.alreadySignedUp");
    const active = await tx.trainingSignup.count({ where: { trainingId: t.id, cancelledAt: null } });
    const problem = signupProblem(t, active, now);
    if (problem) return fail(409, problem);
    const row = existing
      ? await tx.trainingSignup.update({ where: { id: existing.id }, data: { cancelledAt: null, organizationId, createdAt: now, attendedAt: null, attendedVia: null, markedById: null }, select: { id: true } })
      : await tx.trainingSignup.create({ data: { trainingId: t.id, userId: actor.id, organizationId, createdAt: now }, select: { id: true } });
    await audit(tx, { actorId: actor.id, action: "training.signup", objectType: "TrainingSignup", objectId: row.id, after: { trainingId: t.id, organizationId } });
    return ok();
  });
}

/** The member cancels their sign-up (before the training starts). */
export async function cancelSignup(actor: Actor, number: number, now = new Date()): Promise<Result> {
  return db().$transaction(async (tx): Promise<Result> => {
    const t = await lockTraining(tx, number);
    const s = await tx.trainingSignup.findUnique({ where: { trainingId_userId: { trainingId: t.id, userId: actor.id } }, select: { id: true, cancelledAt: true, attendedAt: true } });
    if (!s) return fail(409, "trainings.error.notSignedUp");
    const problem = cancelProblem(t, s, now);
    if (problem) return fail(409, problem);
    await tx.trainingSignup.update({ where: { id: s.id }, data: { cancelledAt: now } });
    await audit(tx, { actorId: actor.id, action: "training.cancel", objectType: "TrainingSignup", objectId: s.id, after: { trainingId: t.id } });
    return ok();
  });
}

/**
 * Checks the signed-in person in with the code shown at the venue: a valid, unexpired code of
 * this training, inside its window, and a sign-up of theirs. Only ever the caller's own sign-up,
 * and once: the update matches a sign-up not yet attended.
 */
export async function checkIn(actor: Actor, number: number, code: unknown, now = new Date()): Promise<Result> {
  const t = await trainingRow(number);
  const codeProblem = verifyCheckInCode(code, t, now, signCheckIn);
  if (codeProblem) return fail(codeProblem === "trainings.error.codeInvalid" ? 403 : 409, codeProblem);
  return db().$transaction(async (tx): Promise<Result> => {
    const s = await tx.trainingSignup.findUnique({ where: { trainingId_userId: { trainingId: t.id, userId: actor.id } }, select: { id: true, cancelledAt: true, attendedAt: true } });
    const problem = checkInProblem(s, t);
    if (problem) return fail(problem === "trainings.error.notSignedUp" ? 403 : 409, problem);
    // not once the training is cancelled (the cancellation locks the row and sets it in its own transaction)
    const changed = await tx.trainingSignup.updateMany({ where: { id: s!.id, attendedAt: null, cancelledAt: null, training: { cancelledAt: null } }, data: { attendedAt: now, attendedVia: "code" } });
    if (changed.count !== 1) return fail(409, "trainings.error.alreadyCheckedIn");
    await audit(tx, { actorId: actor.id, action: "training.checkIn", objectType: "TrainingSignup", objectId: s!.id, after: { trainingId: t.id, codeExpiresAt: String(code).split(".")[0] } });
    return ok();
  });
}

// ───────────────────────────── certificate ─────────────────────────────

/** The attendee's certificate (结业证明), or 404 for anyone who did not attend. Audited as a download. */
export async function certificate(actor: Actor, number: number, locale: Locale): Promise<PdfFile> {
  const t = await trainingRow(number);
  const s = await db().trainingSignup.findUnique({
    where: { trainingId_userId: { trainingId: t.id, userId: actor.id } },
    select: { id: true, cancelledAt: true, attendedAt: true, user: { select: { name: true } }, organization: { select: { name: true } } },
  });
  if (!mayHaveCertificate(s, t)) notFound();
  const data = {
    number: t.number,
    topic: t.topic,
    trainer: t.trainer,
    startsAt: t.startsAt.toISOString(),
    endsAt: t.endsAt.toISOString(),
    area: { nameZh: t.area.nameZh, nameEn: t.area.nameEn },
    attendee: s!.user.name,
    organization: s!.organization.name,
    attendedAt: s!.attendedAt!.toISOString(),
  };
  const bytes = await renderTrainingCertificatePdf({ ...data, sha256: sha256(canonicalJson(data)) }, locale);
  const file = { bytes, filename: `T${t.number}-${locale === "en" ? "certificate" : "培训证明"}.pdf` };
  await auditDownload(actor, "trainingCertificate", "TrainingSignup", s!.id, file);
  return file;
}

// ───────────────────────────── required trainings ─────────────────────────────

/**
 * Grantee organizations (with a project in the area or below that is not closed) that sent
 * nobody to a required training of the area (or above it, or below it) that has ended.
 */
export async function missedRequiredTrainings(areaPath: string, now = new Date()) {
  const trainings = await db().training.findMany({
    where: { requiredForGrantees: true, cancelledAt: null, endsAt: { lte: now }, ...aroundArea(areaPath) },
    select: { id: true, number: true, topic: true, startsAt: true, endsAt: true, cancelledAt: true, area: { select: { path: true } } },
    orderBy: { startsAt: "desc" },
    take: 100,
  });
  if (trainings.length === 0) return [];
  const projects = await db().project.findMany({
    where: { areaPath: { startsWith: areaPath }, status: { not: "CLOSED" } },
    select: { organizationId: true, areaPath: true, organization: { select: { name: true } } },
  });
  const grantees = [...new Map(projects.map((p) => [`${p.organizationId}:${p.areaPath}`, { organizationId: p.organizationId, name: p.organization.name, areaPath: p.areaPath }])).values()];
  const attended = await db().trainingSignup.findMany({
    where: { trainingId: { in: trainings.map((t) => t.id) }, cancelledAt: null, attendedAt: { not: null } },
    select: { trainingId: true, organizationId: true },
  });
  const missed = missedRequired(
    trainings.map((t) => ({ ...t, areaPath: t.area.path })),
    grantees,
    new Set(attended.map((a) => `${a.trainingId}:${a.organizationId}`)),
    now,
  );
  // one line per training and organization, whichever of its projects' communities matched
  return [...new Map(missed.map((m) => [`${m.trainingNumber}:${m.organizationId}`, m])).values()];
}
