import { strToU8, zipSync, type Zippable } from "fflate";
import type { Task } from "graphile-worker";
import { z } from "zod";
import { IDENTITY_CHECKS, RETENTION_DAYS, referenceColumns, subjectTables, unexportedColumns, type IdentityCheck } from "~/domain/personal-data";
import { Prisma } from "~/generated/prisma/client";
import { randomToken, sha256 } from "~/lib/crypto.server";
import { db, type Client, type Tx } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { formatDateTime, fromDbLocale } from "~/lib/i18n";
import { logger as appLogger } from "~/lib/logger.server";
import { queueUserEmail } from "~/lib/outbox.server";
import { fail, ok, type Result } from "~/lib/result";
import { storage } from "~/lib/storage.server";
import { sanitizeFileName } from "~/lib/uploads.server";
import type { Actor } from "~/services/accounts/actor.server";
import { acceptedPayload } from "~/services/jobs/access.server";
import { audit } from "~/services/books/audit.server";
import { mayActForResident } from "./access.server";

/**
 * "Download my data" (PIPL art. 45): a person — or an official for a resident who asked in
 * person — requests an export; a job gathers every row the catalogue (domain/personal-data.ts)
 * says is theirs, plus the files they uploaded, into a ZIP stored privately, and e-mails a link
 * valid for 7 days. Only the SHA-256 of the link's token is stored, and the download also
 * requires being signed in as the person. Housekeeping deletes the ZIP when the link expires.
 */

export const PERSONAL_DATA_EXPORT_TASK = "personal_data_export";
const EXPORT_MAX_ATTEMPTS = 5;
const DAY_MS = 86_400_000;
const log = appLogger.child({ component: "privacy" });

export const ExportPayload = z.object({ exportId: z.string().uuid() });

/** One pending export per person: asked again while one is being built is a 409. */
async function lockUser(tx: Tx, userId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "User" WHERE "id" = ${userId} AND "deletedAt" IS NULL FOR UPDATE`;
  return rows.length === 1;
}

export interface OnBehalf {
  userId: string;
  identityCheck: IdentityCheck;
}

/**
 * Files an export request for the actor, or — `onBehalf` — for a resident an official serves in
 * person. The job that builds it is queued in the same transaction; audited either way.
 */
export async function requestExport(actor: Pick<Actor, "id" | "grants">, onBehalf?: OnBehalf): Promise<Result<{ exportId: string }>> {
  const userId = onBehalf?.userId ?? actor.id;
  if (onBehalf && !(IDENTITY_CHECKS as readonly string[]).includes(onBehalf.identityCheck)) return fail(400, [], { fieldErrors: { identityCheck: ["privacy.official.identityRequired"] } });
  return db().$transaction(async (tx) => {
    if (onBehalf && !(await mayActForResident(tx, actor, userId))) return fail(403, "privacy.official.notYourResident");
    if (!(await lockUser(tx, userId))) return fail(404, "privacy.official.noAccount");
    const pending = await tx.personalDataExport.findFirst({ where: { userId, status: "REQUESTED" }, select: { id: true } });
    if (pending) return fail(409, "privacy.export.pending");
    const row = await tx.personalDataExport.create({
      data: { userId, requestedById: onBehalf ? actor.id : null, identityCheck: onBehalf?.identityCheck ?? null },
      select: { id: true },
    });
    await tx.$executeRaw`SELECT graphile_worker.add_job(${PERSONAL_DATA_EXPORT_TASK}::text, json_build_object('exportId', ${row.id}::text),
      max_attempts => ${EXPORT_MAX_ATTEMPTS}::int, job_key => ${`export:${row.id}`}::text)`;
    await audit(tx, {
      actorId: actor.id,
      action: onBehalf ? "personalData.export.requestOnBehalf" : "personalData.export.request",
      objectType: "User",
      objectId: userId,
      after: { exportId: row.id, ...(onBehalf ? { identityCheck: onBehalf.identityCheck, inPerson: true } : {}) },
    });
    return ok({ exportId: row.id });
  });
}

const IDENT = /^[A-Za-z][A-Za-z0-9]*$/;
const q = (name: string) => {
  if (!IDENT.test(name)) throw new Error(`not an identifier: ${name}`);
  return Prisma.raw(`"${name}"`);
};

export interface PersonalDataDocument {
  generatedAt: string;
  note: string;
  account: { id: string };
  /** the person's own rows, by table (columns the catalogue leaves out of the export removed) */
  tables: Record<string, Record<string, unknown>[]>;
  /** rows of other records that name the account (decisions taken, entries made), counted by "Table.column" */
  references: Record<string, number>;
  /** the uploaded files in the archive: path → upload id */
  files: Record<string, string>;
}

/**
 * Everything the catalogue says is the person's, read from the database: each subject table's
 * rows found by the person's account id or e-mail address, and the count of rows elsewhere that
 * name the account.
 */
export async function collectPersonalData(client: Client, userId: string): Promise<PersonalDataDocument> {
  const user = await client.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true } });
  const tables: PersonalDataDocument["tables"] = {};
  for (const t of subjectTables()) {
    const where = [
      ...t.subject.byUser.map((c) => Prisma.sql`t.${q(c)} = ${user.id}`),
      ...(t.subject.byEmail ?? []).map((c) => Prisma.sql`lower(t.${q(c)}) = ${user.email}`),
    ];
    const rows = await client.$queryRaw<{ row: Record<string, unknown> }[]>`SELECT to_jsonb(t.*) AS row FROM ${q(t.table)} t WHERE ${Prisma.join(where, " OR ")}`;
    const hidden = unexportedColumns(t.table);
    tables[t.table] = rows.map(({ row }) => Object.fromEntries(Object.entries(row).filter(([k]) => !hidden.has(k))));
  }
  const references: Record<string, number> = {};
  for (const r of referenceColumns()) {
    const [counted] = await client.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM ${q(r.table)} WHERE ${q(r.column)} = ${user.id}`;
    const n = counted?.n ?? 0;
    if (n > 0) references[`${r.table}.${r.column}`] = n;
  }
  return {
    generatedAt: new Date().toISOString(),
    note: "Times without an offset are UTC. Secrets (password hash, link tokens) are held but not exported. 时间未注明时区的均为 UTC；密码哈希、链接令牌等机密不导出。",
    account: { id: user.id },
    tables,
    references,
    files: {},
  };
}

/** The ZIP: data.json and the person's uploaded files under files/. */
async function buildArchive(userId: string): Promise<Uint8Array> {
  const doc = await collectPersonalData(db(), userId);
  const entries: Zippable = {};
  for (const u of (doc.tables.Upload ?? []) as { id: string; storageKey: string; originalName: string }[]) {
    const bytes = await storage().get(u.storageKey);
    if (!bytes) continue;
    const path = `files/${u.id}-${sanitizeFileName(u.originalName)}`;
    entries[path] = bytes;
    doc.files[path] = u.id;
  }
  entries["data.json"] = strToU8(JSON.stringify(doc, null, 2));
  return zipSync(entries, { level: 6 });
}

export const exportStorageKey = (exportId: string) => `exports/${exportId}.zip`;

const downloadLink = (token: string) => `${env().APP_URL.replace(/\/+$/, "")}/account/export?token=${encodeURIComponent(token)}`;

/**
 * Builds one requested export (the job): the ZIP is stored first, then the row becomes READY
 * with the hash of a new token and the e-mail carrying the link is queued, in one transaction.
 * A request no longer waiting (the account was erased meanwhile) gets nothing.
 */
export async function buildExport(exportId: string): Promise<"built" | "skipped"> {
  const row = await db().personalDataExport.findUnique({ where: { id: exportId }, select: { id: true, userId: true, status: true } });
  if (!row || row.status !== "REQUESTED") return "skipped";
  const bytes = await buildArchive(row.userId);
  const key = exportStorageKey(row.id);
  await storage().put(key, bytes, "application/zip");
  const token = randomToken();
  const built = await db().$transaction(async (tx) => {
    const now = new Date();
    const expiresAt = new Date(now.getTime() + RETENTION_DAYS.exports * DAY_MS);
    const claimed = await tx.personalDataExport.updateMany({
      where: { id: row.id, status: "REQUESTED" },
      data: { status: "READY", tokenHash: sha256(token), storageKey: key, sizeBytes: bytes.byteLength, readyAt: now, expiresAt },
    });
    if (claimed.count !== 1) return false;
    const user = await tx.user.findUniqueOrThrow({ where: { id: row.userId }, select: { id: true, email: true, name: true, locale: true } });
    await queueUserEmail(tx, user, "data-export-ready", { link: downloadLink(token), expiresAt: formatDateTime(fromDbLocale(user.locale), expiresAt.toISOString()) });
    await audit(tx, { actorId: null, action: "personalData.export.ready", objectType: "User", objectId: row.userId, after: { exportId: row.id, sizeBytes: bytes.byteLength, expiresAt } });
    return true;
  });
  if (!built) await storage().delete(key);
  return built ? "built" : "skipped";
}

/** The worker's task; the last failed attempt marks the request FAILED so the person may ask again. */
export const personalDataExportTask: Task = async (payload, helpers) => {
  const accepted = acceptedPayload(PERSONAL_DATA_EXPORT_TASK, ExportPayload, payload);
  if (!accepted) return;
  try {
    const outcome = await buildExport(accepted.exportId);
    log.info({ exportId: accepted.exportId, outcome }, "personal data export");
  } catch (error) {
    if (helpers.job.attempts >= helpers.job.max_attempts) {
      await db().personalDataExport.updateMany({ where: { id: accepted.exportId, status: "REQUESTED" }, data: { status: "FAILED" } });
    }
    throw error;
  }
};

export type ExportState = "requested" | "ready" | "expired" | "failed";

/** What the account page shows about the person's latest export. */
export async function latestExport(userId: string, now = new Date()) {
  const row = await db().personalDataExport.findFirst({
    where: { userId },
    orderBy: { requestedAt: "desc" },
    select: { status: true, requestedAt: true, readyAt: true, expiresAt: true, requestedById: true },
  });
  if (!row) return null;
  const state: ExportState =
    row.status === "REQUESTED" ? "requested" : row.status === "FAILED" ? "failed" : row.status === "READY" && row.expiresAt && row.expiresAt > now ? "ready" : "expired";
  return { state, requestedAt: row.requestedAt.toISOString(), expiresAt: row.expiresAt?.toISOString() ?? null, byOfficial: !!row.requestedById };
}

/** Whether an e-mailed link can still be used by the signed-in person (the page before the download). */
export async function checkExportLink(viewer: Pick<Actor, "id">, token: string, now = new Date()): Promise<Result<{ expiresAt: string; sizeBytes: number }>> {
  const row = token ? await db().personalDataExport.findUnique({ where: { tokenHash: sha256(token) } }) : null;
  if (!row || row.userId !== viewer.id) return fail(404, "privacy.export.unknownLink");
  if (row.status !== "READY" || !row.expiresAt || row.expiresAt <= now) return fail(409, "privacy.export.expired");
  return ok({ expiresAt: row.expiresAt.toISOString(), sizeBytes: row.sizeBytes ?? 0 });
}

/**
 * The ZIP behind an e-mailed link, for the signed-in person it belongs to. Another account's link
 * answers as an unknown one (and the attempt is audited); an expired one says it expired.
 */
export async function downloadExport(viewer: Pick<Actor, "id">, token: string, now = new Date()): Promise<Result<{ bytes: Uint8Array; filename: string }>> {
  if (!token) return fail(404, "privacy.export.unknownLink");
  const row = await db().personalDataExport.findUnique({ where: { tokenHash: sha256(token) } });
  if (!row) return fail(404, "privacy.export.unknownLink");
  if (row.userId !== viewer.id) {
    await db().$transaction((tx) => audit(tx, { actorId: viewer.id, action: "personalData.export.refused", objectType: "PersonalDataExport", objectId: row.id, after: { reason: "other-account" } }));
    return fail(404, "privacy.export.unknownLink");
  }
  if (row.status !== "READY" || !row.expiresAt || row.expiresAt <= now || !row.storageKey) return fail(409, "privacy.export.expired");
  const bytes = await storage().get(row.storageKey);
  if (!bytes) return fail(409, "privacy.export.expired");
  await db().$transaction(async (tx) => {
    await tx.personalDataExport.update({ where: { id: row.id }, data: { downloadedAt: now } });
    await audit(tx, { actorId: viewer.id, action: "personalData.export.download", objectType: "PersonalDataExport", objectId: row.id });
  });
  return ok({ bytes, filename: `personal-data-${row.readyAt?.toISOString().slice(0, 10) ?? "export"}.zip` });
}

/**
 * Housekeeping: exports whose link expired lose their ZIP (the row stays EXPIRED, without token
 * or file), and outbox e-mails older than the mail retention period are deleted.
 */
export async function purgePersonalDataPastRetention(now = new Date()): Promise<{ exports: number; emails: number }> {
  const expired = await db().personalDataExport.findMany({ where: { status: "READY", expiresAt: { lte: now } }, select: { id: true, storageKey: true } });
  for (const e of expired) {
    if (e.storageKey) await storage().delete(e.storageKey);
    await db().personalDataExport.updateMany({ where: { id: e.id, status: "READY" }, data: { status: "EXPIRED", tokenHash: null, storageKey: null } });
  }
  const emails = await db().emailMessage.deleteMany({
    where: { status: { not: "QUEUED" }, createdAt: { lt: new Date(now.getTime() - RETENTION_DAYS.mail * DAY_MS) } },
  });
  return { exports: expired.length, emails: emails.count };
}
