import crypto from "node:crypto";
import { addOutcome, CALL_NOTE_MAX, CALL_OUTCOMES, CALL_SAMPLE_SIZE_MAX, callSampleSize, emptyCounts, isMonthKey, isValidSeed, monthKey, MONTHLY_CALL_TARGET, satisfactionScore, type CallOutcome, type OutcomeCounts } from "~/domain/callbacks";
import type { Actor } from "~/services/accounts/actor.server";
import { drawSample } from "~/domain/sampling";
import { type Client, db } from "~/lib/db.server";
import { notFound } from "~/lib/permissions.server";
import { audit } from "~/services/books/audit.server";
import { maskedRow } from "./beneficiaries.server";
import { fail, ok, type Result } from "~/lib/result";
import { calling, lockProject, requireProject, type ProjectRow } from "./access.server";

/**
 * Call-backs (回访, PRODUCT.md step 10), officials only: once a month a random sample of a
 * project's beneficiaries is drawn with a recorded seed (domain/sampling.ts — anyone can redraw
 * it), each sampled person is called and the outcome recorded; the satisfaction score follows
 * (domain/callbacks.ts). Beneficiaries appear masked; dialling needs the audited reveal
 * (beneficiaries.server.ts `revealBeneficiary`).
 */

const isUniqueViolation = (e: unknown) => !!e && typeof e === "object" && (e as { code?: string }).code === "P2002";

/** "/d/s/c/" → ["/d/", "/d/s/", "/d/s/c/"] */
const ancestorPaths = (path: string) => {
  const parts = path.split("/").filter(Boolean);
  return parts.map((_, i) => `/${parts.slice(0, i + 1).join("/")}/`);
};

/** Active projects in the project's subdistrict (or in its round's area when it has none): the default size divides 250 among them. */
async function activeProjectsAround(client: Client, project: ProjectRow): Promise<number> {
  const subdistrict = await client.area.findFirst({ where: { level: "SUBDISTRICT", path: { in: ancestorPaths(project.areaPath) } }, select: { path: true } });
  const scope = subdistrict?.path ?? project.round.area.path;
  return client.project.count({ where: { status: "ACTIVE", areaPath: { startsWith: scope } } });
}

async function plannedSize(client: Client, project: ProjectRow) {
  // one after the other: `client` may be a transaction, whose one connection takes one query at a time
  const configured = (await client.project.findUniqueOrThrow({ where: { id: project.id }, select: { callSampleSize: true } })).callSampleSize;
  const beneficiaries = await client.beneficiary.count({ where: { projectId: project.id } });
  const activeProjects = await activeProjectsAround(client, project);
  return { configured, beneficiaries, activeProjects, size: callSampleSize({ configured, activeProjects, beneficiaries }) };
}

/** Outcome counts and score per month, and overall, for one project. */
export async function projectSatisfaction(client: Client, projectId: string) {
  const samples = await client.callSample.findMany({ where: { projectId }, select: { id: true, month: true, size: true, seed: true }, orderBy: { month: "desc" } });
  const groups = await client.callRecord.groupBy({ by: ["sampleId", "outcome"], where: { sample: { projectId } }, _count: { _all: true } });
  const byMonth = new Map<string, OutcomeCounts>(samples.map((s) => [s.id, emptyCounts()]));
  const overall = emptyCounts();
  for (const g of groups) {
    addOutcome(byMonth.get(g.sampleId) ?? emptyCounts(), g.outcome, g._count._all);
    addOutcome(overall, g.outcome, g._count._all);
  }
  return {
    months: samples.map((s) => {
      const counts = byMonth.get(s.id)!;
      return { month: s.month, size: s.size, seed: s.seed, counts, score: satisfactionScore(counts) };
    }),
    overall: { counts: overall, score: satisfactionScore(overall) },
  };
}

/** The call-backs page of one month (default: this month in Asia/Shanghai). */
export async function callbacksPage(viewer: Actor, referenceNo: string, requestedMonth?: string | null, now = new Date()) {
  const { project } = await requireProject(viewer, referenceNo, "official");
  const current = monthKey(now);
  const month = requestedMonth && isMonthKey(requestedMonth) && requestedMonth <= current ? requestedMonth : current;
  const sample = await db().callSample.findUnique({
    where: { projectId_month: { projectId: project.id, month } },
    select: {
      id: true,
      month: true,
      seed: true,
      size: true,
      drawnAt: true,
      drawnById: true,
      calls: {
        select: {
          id: true,
          outcome: true,
          note: true,
          calledAt: true,
          beneficiary: { select: { id: true, nameEnc: true, phoneEnc: true, consentNote: true, consentAt: true, createdAt: true } },
        },
      },
    },
  });
  const [planned, satisfaction, drawnBy] = await Promise.all([
    plannedSize(db(), project),
    projectSatisfaction(db(), project.id),
    sample ? db().user.findUnique({ where: { id: sample.drawnById }, select: { name: true } }) : null,
  ]);
  let calls: { id: string; outcome: CallOutcome | null; note: string; calledAt: string | null; beneficiary: ReturnType<typeof maskedRow> }[] = [];
  let verified: boolean | null = null;
  if (sample) {
    // the draw order: what drawSample gives for the seed over everyone registered before the draw
    const redraw = await verifySample(db(), sample.id);
    verified = redraw.matches;
    const order = new Map(redraw.drawn.map((id, i) => [id, i]));
    calls = sample.calls
      .map((c) => ({ id: c.id, outcome: c.outcome, note: c.note, calledAt: c.calledAt?.toISOString() ?? null, beneficiary: maskedRow(c.beneficiary) }))
      .sort((a, b) => (order.get(a.beneficiary.id) ?? 1e9) - (order.get(b.beneficiary.id) ?? 1e9));
  }
  const counts = addCounts(calls.map((c) => c.outcome));
  return {
    project: { referenceNo: project.referenceNo, title: project.title, status: project.status, organization: project.organization.name },
    month,
    currentMonth: current,
    canDraw: !sample && calling(project) && planned.size > 0,
    canRecord: calling(project),
    planned: { ...planned, monthlyTarget: MONTHLY_CALL_TARGET },
    sample: sample ? { id: sample.id, seed: sample.seed, size: sample.size, drawnAt: sample.drawnAt.toISOString(), drawnBy: drawnBy?.name ?? "", verified } : null,
    calls,
    monthCounts: counts,
    monthScore: satisfactionScore(counts),
    satisfaction,
  };
}

function addCounts(outcomes: (CallOutcome | null)[]) {
  const c = emptyCounts();
  for (const o of outcomes) addOutcome(c, o, 1);
  return c;
}

/**
 * Redraws a stored sample from its seed over the beneficiaries registered before it was drawn
 * (registrations and draws serialise on the project row) and compares with the recorded one.
 */
export async function verifySample(client: Client, sampleId: string) {
  const sample = await client.callSample.findUniqueOrThrow({ where: { id: sampleId }, select: { projectId: true, seed: true, size: true, drawnAt: true, calls: { select: { beneficiaryId: true } } } });
  const population = await client.beneficiary.findMany({ where: { projectId: sample.projectId, createdAt: { lte: sample.drawnAt } }, select: { id: true } });
  const drawn = drawSample(
    population.map((b) => b.id),
    sample.size,
    sample.seed,
  );
  const recorded = new Set(sample.calls.map((c) => c.beneficiaryId));
  const matches = drawn.length === recorded.size && drawn.every((id) => recorded.has(id));
  return { drawn, population: population.length, matches };
}

/**
 * Draws this month's sample (one per project per month): the seed the official typed, or a
 * random one; size from the project's setting or the area default, capped at the registered
 * beneficiaries. Audited with seed, size and population, so anyone can redraw it.
 */
export async function drawCallSample(viewer: Actor, referenceNo: string, input: { month?: string; seed?: string }, now = new Date()): Promise<Result<{ seed: string; size: number }>> {
  const { project } = await requireProject(viewer, referenceNo, "official");
  if (!calling(project)) return fail(409, "callback.error.notActive");
  const current = monthKey(now);
  const month = (input.month ?? "").trim() || current;
  if (!isMonthKey(month)) return fail(400, "callback.error.month");
  if (month > current) return fail(400, "callback.error.futureMonth");
  const typed = (input.seed ?? "").trim();
  if (typed && !isValidSeed(typed)) return fail(400, "callback.error.seed");
  const seed = typed || crypto.randomBytes(8).toString("hex");
  try {
    return await db().$transaction(async (tx) => {
      await lockProject(tx, project.id);
      if (await tx.callSample.findUnique({ where: { projectId_month: { projectId: project.id, month } }, select: { id: true } })) {
        return fail(409, "callback.error.alreadyDrawn");
      }
      const planned = await plannedSize(tx, project);
      if (planned.size === 0) return fail(409, "callback.error.noBeneficiaries");
      const population = await tx.beneficiary.findMany({ where: { projectId: project.id }, select: { id: true } });
      const drawnAt = new Date();
      const ids = drawSample(
        population.map((b) => b.id),
        planned.size,
        seed,
      );
      const sample = await tx.callSample.create({ data: { projectId: project.id, month, seed, size: ids.length, drawnById: viewer.id, drawnAt }, select: { id: true } });
      await tx.callRecord.createMany({ data: ids.map((beneficiaryId) => ({ sampleId: sample.id, beneficiaryId })) });
      await audit(tx, {
        actorId: viewer.id,
        action: "callback.sample.draw",
        objectType: "CallSample",
        objectId: sample.id,
        after: { project: project.referenceNo, month, seed, size: ids.length, population: population.length, seedTyped: !!typed },
      });
      return ok({ seed, size: ids.length });
    });
  } catch (e) {
    if (isUniqueViolation(e)) return fail(409, "callback.error.alreadyDrawn");
    throw e;
  }
}

/** Records (or corrects) the outcome of one call. Audited: outcome and month; the note's text is not copied (it may name people). */
export async function recordCall(viewer: Actor, referenceNo: string, input: { callId: string; outcome: string; note?: string }): Promise<Result> {
  const { project } = await requireProject(viewer, referenceNo, "official");
  if (!calling(project)) return fail(409, "callback.error.notActive");
  if (!(CALL_OUTCOMES as readonly string[]).includes(input.outcome)) return fail(400, "callback.error.outcome");
  const note = (input.note ?? "").trim();
  if (note.length > CALL_NOTE_MAX) return fail(400, "callback.error.noteTooLong");
  const outcome = input.outcome as CallOutcome;
  return db().$transaction(async (tx) => {
    const call = await tx.callRecord.findFirst({ where: { id: input.callId, sample: { projectId: project.id } }, select: { id: true, outcome: true, sample: { select: { month: true } } } });
    if (!call) notFound();
    await tx.callRecord.update({ where: { id: call.id }, data: { outcome, note, calledById: viewer.id, calledAt: new Date() } });
    await audit(tx, {
      actorId: viewer.id,
      action: "callback.record",
      objectType: "CallRecord",
      objectId: call.id,
      before: call.outcome ? { outcome: call.outcome } : null,
      after: { project: project.referenceNo, month: call.sample.month, outcome, noteChars: note.length },
    });
    return ok();
  });
}

/**
 * Sets how many of this project's beneficiaries are called each month (blank = the area
 * default). Applies to samples drawn from now on; audited.
 */
export async function setCallSampleSize(viewer: Actor, referenceNo: string, input: { size: string }): Promise<Result> {
  const { project } = await requireProject(viewer, referenceNo, "official");
  const text = input.size.trim();
  const size = text === "" ? null : /^\d+$/.test(text) ? Number(text) : NaN;
  if (size !== null && (!Number.isInteger(size) || size < 1 || size > CALL_SAMPLE_SIZE_MAX)) return fail(400, "callback.error.size");
  return db().$transaction(async (tx) => {
    await lockProject(tx, project.id);
    const before = await tx.project.findUniqueOrThrow({ where: { id: project.id }, select: { callSampleSize: true } });
    await tx.project.update({ where: { id: project.id }, data: { callSampleSize: size } });
    await audit(tx, { actorId: viewer.id, action: "callback.sampleSize", objectType: "Project", objectId: project.id, before: { callSampleSize: before.callSampleSize }, after: { callSampleSize: size } });
    return ok();
  });
}

/** The beneficiary behind one sampled call, for the audited reveal on the call-backs page. */
export async function callBeneficiaryId(viewer: Actor, referenceNo: string, callId: string): Promise<string> {
  const { project } = await requireProject(viewer, referenceNo, "official");
  const call = await db().callRecord.findFirst({ where: { id: callId, sample: { projectId: project.id } }, select: { beneficiaryId: true } });
  if (!call) notFound();
  return call.beneficiaryId;
}
