import {
  MAX_FILES_PER_REQUEST,
  MONITORING_PAGE_SIZE,
  parseDecision,
  parseReportDraft,
  PHOTO_MAX_BYTES,
  PHOTO_MIME_TYPES,
  REPORT_FILE_MAX_BYTES,
  reportDecidable,
  reportEditable,
  submissionProblems,
  type Decision,
  type ReportInput,
} from "~/domain/monitoring";
import { withParams, type MessageParams } from "~/domain/messages";
import { pageOf } from "~/domain/money";
import type { Actor } from "~/services/accounts/actor.server";
import { type Client, db, type Tx } from "~/lib/db.server";
import { appUrl, env } from "~/lib/env.server";
import { notify } from "~/lib/notify.server";
import { queueUserEmail } from "~/lib/outbox.server";
import { notFound } from "~/lib/permissions.server";
import { makeThumbnail } from "~/lib/thumbnails.server";
import { audit } from "~/services/books/audit.server";
import { fail, ok, type FieldErrors, type Result } from "~/lib/result";
import { granteeUsers, lockProject, milestoneSelect, projectOfficials, requireProject, requireReadable, workspaceHeader, writable, type ProjectRow } from "./access.server";
import { milestoneApproved } from "./projects.server";
import { formatBytes, saveUpload, sanitizeFileName, UploadError } from "~/lib/uploads.server";

/**
 * Milestone reports (监测): the grantee writes a draft (text, photos with thumbnails, files),
 * submits it; an official approves it — which approves the milestone and makes its tranche
 * releasable, in the same transaction — or returns it with a comment, and the grantee edits
 * and submits again. Every decision is kept (ReportDecision) and audited.
 */

export const reportLink = (ref: string, reportId: string) => `/projects/${encodeURIComponent(ref)}/reports/${reportId}`;

// ───────────────────────────── the list ─────────────────────────────

/** The project's milestones, each with its report (if any), 20 per page. */
export async function reportsPage(viewer: Actor, referenceNo: string, requestedPage: unknown = 1) {
  const access = await requireProject(viewer, referenceNo, "member");
  requireReadable(access);
  const projectId = access.project.id;
  const total = await db().projectMilestone.count({ where: { projectId } });
  const page = pageOf(requestedPage, total, MONITORING_PAGE_SIZE);
  const milestones = await db().projectMilestone.findMany({
    where: { projectId },
    orderBy: { position: "asc" },
    skip: page.skip,
    take: page.take,
    select: {
      id: true,
      ...milestoneSelect,
      reports: { orderBy: { createdAt: "desc" }, take: 1, select: { id: true, status: true, submittedAt: true, updatedAt: true, _count: { select: { files: true } } } },
    },
  });
  const awaiting = await db().milestoneReport.count({ where: { projectId, status: "SUBMITTED" } });
  return {
    project: workspaceHeader(access),
    page: page.page,
    pages: page.pages,
    awaiting,
    milestones: milestones.map((m) => ({
      id: m.id,
      position: m.position,
      title: m.title,
      dueOn: m.dueOn?.toISOString() ?? null,
      deliverable: m.deliverable,
      status: m.status,
      approvedAt: m.approvedAt?.toISOString() ?? null,
      report: m.reports[0]
        ? { id: m.reports[0].id, status: m.reports[0].status, submittedAt: m.reports[0].submittedAt?.toISOString() ?? null, updatedAt: m.reports[0].updatedAt.toISOString(), files: m.reports[0]._count.files }
        : null,
    })),
  };
}

/**
 * The report of a milestone: the existing one (one per milestone), or a new draft. Only the
 * grantee starts one, only for a milestone not yet approved.
 */
export async function startReport(viewer: Actor, referenceNo: string, milestoneId: string): Promise<Result<{ reportId: string }>> {
  const access = await requireProject(viewer, referenceNo, "grantee");
  if (!writable(access)) return fail(409, "monitoring.notActive");
  return db().$transaction(async (tx) => {
    await lockProject(tx, access.project.id);
    const milestone = await tx.projectMilestone.findFirst({ where: { id: milestoneId, projectId: access.project.id }, select: { id: true, status: true } });
    if (!milestone) notFound();
    const existing = await tx.milestoneReport.findFirst({ where: { milestoneId }, orderBy: { createdAt: "desc" }, select: { id: true } });
    if (existing) return ok({ reportId: existing.id });
    if (milestone.status === "APPROVED") return fail(409, "monitoring.report.milestoneApproved");
    const report = await tx.milestoneReport.create({ data: { projectId: access.project.id, milestoneId, authorId: viewer.id }, select: { id: true } });
    return ok({ reportId: report.id });
  });
}

// ───────────────────────────── one report ─────────────────────────────

export async function reportView(viewer: Actor, referenceNo: string, reportId: string) {
  const access = await requireProject(viewer, referenceNo, "member");
  requireReadable(access);
  const report = await db().milestoneReport.findFirst({
    where: { id: reportId, projectId: access.project.id },
    select: {
      id: true,
      status: true,
      narrative: true,
      beneficiariesServed: true,
      submittedAt: true,
      decidedAt: true,
      comment: true,
      version: true,
      updatedAt: true,
      milestone: { select: { id: true, position: true, title: true, dueOn: true, deliverable: true, status: true } },
      files: {
        orderBy: { createdAt: "asc" },
        select: { id: true, kind: true, caption: true, thumbnailUploadId: true, upload: { select: { originalName: true, mimeType: true, sizeBytes: true } } },
      },
      decisions: { orderBy: { createdAt: "asc" }, select: { id: true, decision: true, comment: true, decidedById: true, createdAt: true } },
    },
  });
  if (!report) notFound();
  const people = await db().user.findMany({ where: { id: { in: [...new Set(report.decisions.map((d) => d.decidedById))] } }, select: { id: true, name: true } });
  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  const canWrite = writable(access);
  return {
    project: workspaceHeader(access),
    report: {
      id: report.id,
      status: report.status,
      narrative: report.narrative,
      beneficiariesServed: report.beneficiariesServed,
      submittedAt: report.submittedAt?.toISOString() ?? null,
      decidedAt: report.decidedAt?.toISOString() ?? null,
      comment: report.comment,
      version: report.version,
      updatedAt: report.updatedAt.toISOString(),
      milestone: { ...report.milestone, dueOn: report.milestone.dueOn?.toISOString() ?? null },
    },
    photos: report.files
      .filter((f) => f.kind === "PHOTO")
      .map((f) => ({ id: f.id, caption: f.caption, name: f.upload.originalName, sizeBytes: f.upload.sizeBytes, hasThumbnail: !!f.thumbnailUploadId })),
    files: report.files.filter((f) => f.kind === "FILE").map((f) => ({ id: f.id, name: f.upload.originalName, mimeType: f.upload.mimeType, sizeBytes: f.upload.sizeBytes })),
    decisions: report.decisions.map((d) => ({ id: d.id, decision: d.decision, comment: d.comment, by: nameOf.get(d.decidedById) ?? "", at: d.createdAt.toISOString() })),
    canEdit: access.isGrantee && canWrite && reportEditable(report.status),
    canDecide: access.isOfficial && canWrite && reportDecidable(report.status),
  };
}

// ───────────────────────────── saving and submitting ─────────────────────────────

/** A refused file as errors of its field: which file (as the person named it), and why. */
export function uploadFieldErrors(field: string, error: UploadError, fileName: string): FieldErrors {
  const reason = Object.keys(error.params).length ? withParams(error.messageKey, error.params as MessageParams) : error.messageKey;
  return { [field]: [withParams("monitoring.upload.failed", { name: fileName || "—" }), reason] };
}

/** What a refused save tells the page besides the errors: the report's version now (the text may have been saved). */
export interface SaveDetail {
  version: number;
}

/** An empty file input still sends a nameless, empty part: that is "no file". */
export const chosenFiles = (files: readonly (FormDataEntryValue | null)[]) =>
  files.filter((f): f is File => f instanceof File && (f.size > 0 || f.name !== ""));

interface PreparedPhoto {
  file: File;
  thumbnail: Buffer;
}

/** Checks every chosen photo (type, size, decodes) before anything is stored; throws UploadError naming the file. */
async function preparePhotos(photos: readonly File[]): Promise<PreparedPhoto[]> {
  const prepared: PreparedPhoto[] = [];
  for (const file of photos) {
    const name = sanitizeFileName(file.name);
    if (file.size === 0) throw named(new UploadError("empty", "upload.error.empty"), name);
    const limit = Math.min(PHOTO_MAX_BYTES, env().UPLOAD_MAX_BYTES);
    if (file.size > limit) throw named(new UploadError("too-large", "upload.error.tooLarge", { limit: formatBytes(limit) }), name);
    const thumb = await makeThumbnail(new Uint8Array(await file.arrayBuffer()));
    if (!thumb.ok) throw named(new UploadError("wrong-type", thumb.problem === "corrupt" ? "monitoring.upload.corrupt" : "monitoring.upload.photoType"), name);
    prepared.push({ file, thumbnail: thumb.thumbnail });
  }
  return prepared;
}

const FILE_NAME = Symbol("fileName");
const FIELD = Symbol("field");
type NamedUploadError = UploadError & { [FILE_NAME]?: string; [FIELD]?: string };
function named(error: UploadError, name: string, field = "photos"): UploadError {
  (error as NamedUploadError)[FILE_NAME] = name;
  (error as NamedUploadError)[FIELD] = field;
  return error;
}
const nameOf = (error: UploadError) => (error as NamedUploadError)[FILE_NAME] ?? "";
const fieldOf = (error: UploadError) => (error as NamedUploadError)[FIELD] ?? "photos";

async function storeFiles(tx: Tx, reportId: string, uploaderId: string, photos: readonly PreparedPhoto[], files: readonly File[]) {
  for (const p of photos) {
    const original = await saveUpload(tx, { file: p.file, kinds: ["image"], maxBytes: PHOTO_MAX_BYTES, uploaderId }).catch((e: unknown) => {
      throw e instanceof UploadError ? named(e, sanitizeFileName(p.file.name)) : e;
    });
    if (!(PHOTO_MIME_TYPES as readonly string[]).includes(original.mimeType)) throw named(new UploadError("wrong-type", "monitoring.upload.photoType"), original.originalName);
    const base = original.originalName.replace(/\.[^.]*$/, "");
    const thumbFile = new File([new Uint8Array(p.thumbnail)], `${base}-thumb.jpg`, { type: "image/jpeg" });
    const thumbnail = await saveUpload(tx, { file: thumbFile, kinds: ["image"], uploaderId });
    await tx.reportFile.create({ data: { reportId, kind: "PHOTO", uploadId: original.id, thumbnailUploadId: thumbnail.id } });
  }
  for (const file of files) {
    const upload = await saveUpload(tx, { file, kinds: ["pdf", "document", "spreadsheet", "image"], maxBytes: REPORT_FILE_MAX_BYTES, uploaderId }).catch((e: unknown) => {
      throw e instanceof UploadError ? named(e, sanitizeFileName(file.name), "files") : e;
    });
    await tx.reportFile.create({ data: { reportId, kind: "FILE", uploadId: upload.id } });
  }
}

async function editableReport(tx: Client, projectId: string, reportId: string) {
  const report = await tx.milestoneReport.findFirst({
    where: { id: reportId, projectId },
    select: { id: true, status: true, version: true, narrative: true, beneficiariesServed: true, milestoneId: true, milestone: { select: { title: true, position: true } } },
  });
  if (!report) notFound();
  return report;
}

/**
 * Saves the grantee's text, then attaches the chosen photos and files, then (for "submit")
 * submits. The text is committed first and on its own, so a refused file (wrong type, too
 * large, not a readable image) never loses what was typed: the problem names the file next to
 * its field ("photos" or "files") and carries the new version in `detail`, and the page keeps
 * the typed values (Conform's reply). Files are all-or-nothing per request.
 */
export async function saveReport(
  viewer: Actor,
  referenceNo: string,
  reportId: string,
  input: ReportInput & { version: number; submit: boolean },
  uploads: { photos: readonly File[]; files: readonly File[] } = { photos: [], files: [] },
): Promise<Result<{ submitted: boolean }, SaveDetail>> {
  const access = await requireProject(viewer, referenceNo, "grantee");
  const values: ReportInput = { narrative: input.narrative, beneficiariesServed: input.beneficiariesServed };
  const projectId = access.project.id;
  const current = await editableReport(db(), projectId, reportId);
  const refuse = (status: 400 | 409, o: { fieldErrors?: FieldErrors; formErrors?: string[]; version?: number }) =>
    fail<SaveDetail>(status, o.formErrors ?? [], { fieldErrors: o.fieldErrors ?? {}, detail: { version: o.version ?? current.version } });
  if (!writable(access)) return refuse(409, { formErrors: ["monitoring.notActive"] });
  if (!reportEditable(current.status)) return refuse(409, { formErrors: ["monitoring.report.notEditable"] });
  if (uploads.photos.length > MAX_FILES_PER_REQUEST || uploads.files.length > MAX_FILES_PER_REQUEST) return refuse(400, { formErrors: ["monitoring.upload.tooMany"] });
  const parsed = parseReportDraft(values);
  if (!parsed.ok) return refuse(400, { fieldErrors: parsed.fieldErrors });

  // 1. the text, on its own
  const saved = await db().$transaction(async (tx) => {
    await lockProject(tx, projectId);
    const r = await editableReport(tx, projectId, reportId);
    if (r.version !== input.version) return { stale: true as const, version: r.version };
    if (!reportEditable(r.status)) return { stale: true as const, version: r.version };
    const updated = await tx.milestoneReport.update({
      where: { id: r.id },
      data: { narrative: parsed.value.narrative, beneficiariesServed: parsed.value.beneficiariesServed, version: { increment: 1 } },
      select: { version: true },
    });
    return { stale: false as const, version: updated.version };
  });
  if (saved.stale) return refuse(409, { formErrors: ["monitoring.stale"], version: saved.version });
  let version = saved.version;

  // 2. the files: checked first, then stored together
  if (uploads.photos.length || uploads.files.length) {
    try {
      const photos = await preparePhotos(uploads.photos);
      await db().$transaction(async (tx) => {
        await lockProject(tx, projectId);
        const r = await editableReport(tx, projectId, reportId);
        if (!reportEditable(r.status)) throw new Error("report no longer editable");
        await storeFiles(tx, r.id, viewer.id, photos, uploads.files);
      });
    } catch (e) {
      if (!(e instanceof UploadError)) throw e;
      return refuse(400, { fieldErrors: uploadFieldErrors(fieldOf(e), e, nameOf(e)), formErrors: ["monitoring.report.textSaved"], version });
    }
  }
  if (!input.submit) return ok({ submitted: false });

  // 3. submitting
  const problems = submissionProblems(parsed.value);
  if (Object.keys(problems).length) return refuse(400, { fieldErrors: problems, formErrors: ["monitoring.report.textSaved"], version });
  const submitted = await db().$transaction(async (tx) => {
    await lockProject(tx, projectId);
    const r = await editableReport(tx, projectId, reportId);
    if (!reportEditable(r.status) || r.version !== version) return { ok: false as const, version: r.version };
    const now = new Date();
    const updated = await tx.milestoneReport.update({ where: { id: r.id }, data: { status: "SUBMITTED", submittedAt: now, version: { increment: 1 } }, select: { version: true } });
    await audit(tx, {
      actorId: viewer.id,
      action: r.status === "RETURNED" ? "report.resubmit" : "report.submit",
      objectType: "MilestoneReport",
      objectId: r.id,
      before: { status: r.status },
      after: { status: "SUBMITTED", project: access.project.referenceNo, milestone: r.milestone.position, beneficiariesServed: parsed.value.beneficiariesServed },
    });
    for (const official of await projectOfficials(tx, access.project.areaPath)) {
      await notify(tx, {
        userId: official.id,
        kind: "monitoring.reportSubmitted",
        params: { referenceNo: access.project.referenceNo, milestone: r.milestone.title },
        link: reportLink(access.project.referenceNo, r.id),
      });
    }
    return { ok: true as const, version: updated.version };
  });
  version = submitted.version;
  if (!submitted.ok) return refuse(409, { formErrors: ["monitoring.stale"], version });
  return ok({ submitted: true });
}

/** Removes a photo or file from a report the grantee may still edit. */
export async function removeReportFile(viewer: Actor, referenceNo: string, reportId: string, fileId: string): Promise<Result> {
  const access = await requireProject(viewer, referenceNo, "grantee");
  if (!writable(access)) return fail(409, "monitoring.notActive");
  return db().$transaction(async (tx) => {
    await lockProject(tx, access.project.id);
    const r = await editableReport(tx, access.project.id, reportId);
    if (!reportEditable(r.status)) return fail(409, "monitoring.report.notEditable");
    const file = await tx.reportFile.findFirst({ where: { id: fileId, reportId: r.id }, select: { id: true, kind: true, uploadId: true } });
    if (!file) notFound();
    await tx.reportFile.delete({ where: { id: file.id } });
    await tx.milestoneReport.update({ where: { id: r.id }, data: { version: { increment: 1 } } });
    await audit(tx, { actorId: viewer.id, action: "report.file.remove", objectType: "MilestoneReport", objectId: r.id, before: { fileId: file.id, kind: file.kind, uploadId: file.uploadId }, after: null });
    return ok();
  });
}

// ───────────────────────────── the official's decision ─────────────────────────────

/**
 * A decision on a report or an expense: an official of the project (403/404 thrown), a project
 * still in implementation, an approval or a return with its comment; then `decide` runs in a
 * transaction that holds the project's lock.
 */
export async function officialDecision(
  viewer: Actor,
  referenceNo: string,
  input: { decision: string; comment: string },
  decide: (tx: Tx, project: ProjectRow, parsed: { decision: Decision; comment: string }) => Promise<Result>,
): Promise<Result> {
  const access = await requireProject(viewer, referenceNo, "official");
  if (!writable(access)) return fail(409, "monitoring.notActive");
  const parsed = parseDecision(input.decision, input.comment);
  if (!parsed.ok) return fail(400, parsed.error);
  return db().$transaction(async (tx) => {
    await lockProject(tx, access.project.id);
    return decide(tx, access.project, parsed);
  });
}

/**
 * Approves a submitted report (the milestone is approved and its tranche becomes releasable in
 * the same transaction) or returns it with a comment. Optimistic: `version` is the report as
 * the official saw it.
 */
export async function decideReport(viewer: Actor, referenceNo: string, reportId: string, input: { decision: string; comment: string; version: number }): Promise<Result> {
  return officialDecision(viewer, referenceNo, input, async (tx, project, parsed) => {
    const r = await editableReport(tx, project.id, reportId);
    if (!reportDecidable(r.status) || r.version !== input.version) return fail(409, "monitoring.stale");
    const now = new Date();
    await tx.milestoneReport.update({
      where: { id: r.id },
      data: { status: parsed.decision, decidedById: viewer.id, decidedAt: now, comment: parsed.comment || null, version: { increment: 1 } },
    });
    await tx.reportDecision.create({ data: { reportId: r.id, decision: parsed.decision, comment: parsed.comment, decidedById: viewer.id } });
    await audit(tx, {
      actorId: viewer.id,
      action: parsed.decision === "APPROVED" ? "report.approve" : "report.return",
      objectType: "MilestoneReport",
      objectId: r.id,
      before: { status: r.status },
      after: { status: parsed.decision, comment: parsed.comment, project: project.referenceNo, milestone: r.milestone.position },
    });
    if (parsed.decision === "APPROVED") await milestoneApproved(tx, r.milestoneId, viewer.id);
    await tellGranteeOfDecision(tx, project, {
      kind: `monitoring.report.${parsed.decision}`,
      params: { milestone: r.milestone.title },
      link: reportLink(project.referenceNo, r.id),
      email: { subject: "report", item: r.milestone.title, decision: parsed.decision, comment: parsed.comment },
    });
    return ok();
  });
}

/**
 * Tells the grantee's users of an official's decision on a report, an expense or a budget
 * adjustment: in their inbox always, by email when the decision comes with `email`.
 */
export async function tellGranteeOfDecision(
  tx: Tx,
  project: Pick<ProjectRow, "referenceNo" | "title" | "organizationId">,
  decision: { kind: string; params: Record<string, string | number>; link: string; email: { subject: "report" | "expense" | "adjustment"; item: string; decision: "APPROVED" | "RETURNED" | "REJECTED"; comment: string } | null },
) {
  for (const user of await granteeUsers(tx, project.organizationId)) {
    await notify(tx, { userId: user.id, kind: decision.kind, params: { referenceNo: project.referenceNo, ...decision.params }, link: decision.link });
    if (!decision.email) continue;
    await queueUserEmail(tx, user, "monitoring-decision", { referenceNo: project.referenceNo, projectTitle: project.title, ...decision.email, link: `${appUrl()}${decision.link}` });
  }
}

// ───────────────────────────── serving files ─────────────────────────────

/** The upload behind a report file (or its thumbnail) of this project, for its members and officials only. */
export async function reportFileUpload(viewer: Actor, referenceNo: string, fileId: string, thumbnail: boolean): Promise<string> {
  const access = await requireProject(viewer, referenceNo, "member");
  const file = await db().reportFile.findFirst({ where: { id: fileId, report: { projectId: access.project.id } }, select: { uploadId: true, thumbnailUploadId: true } });
  if (!file) notFound();
  const id = thumbnail ? (file.thumbnailUploadId ?? file.uploadId) : file.uploadId;
  return id;
}
