import { AUDIT_REDACTED_ACTION, auditContent, auditHash, GENESIS_HASH, redactionVouchers, type AuditContent } from "~/domain/audit-chain";
import { jsonSpelling, replaceInJson } from "~/domain/personal-data";
import type { Tx } from "~/lib/db.server";
import { currentRequestId } from "~/lib/logger.server";
import { Prisma } from "~/generated/prisma/client";

// Appends are serialised so that each record links to the one before it.
const AUDIT_CHAIN_LOCK = 4_242_001;

export interface AuditInput {
  actorId: string | null;
  action: string;
  objectType: string;
  objectId: string;
  before?: unknown;
  after?: unknown;
  /**
   * When it happened, for the demo seed only: the demo district's past (a round's phase moves
   * last year) is written in one go, and its records carry the dates of that story. Every other
   * record is stamped when it is written.
   */
  at?: Date;
}

/** JSON-safe copy: Dates to ISO strings, bigints to strings, undefined dropped. */
function plain(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
}

/**
 * Appends one record to the hash-chained audit log inside the caller's transaction, so the
 * record exists exactly when the change it describes does.
 */
export async function audit(tx: Tx, input: AuditInput): Promise<void> {
  await auditMany(tx, [input]);
}

/**
 * Appends several records in one insert, each linked to the one before it in the order given
 * (a bulk decision writes one record per object without one round-trip each).
 */
export async function auditMany(tx: Tx, inputs: readonly AuditInput[]): Promise<void> {
  if (!inputs.length) return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`;
  const last = await tx.auditLog.findFirst({ orderBy: { seq: "desc" }, select: { hash: true } });
  let prevHash = last?.hash ?? GENESIS_HASH;
  const at = new Date().toISOString();
  const requestId = currentRequestId() ?? null;
  const json = (v: unknown) => (v === null ? Prisma.sql`NULL` : Prisma.sql`${JSON.stringify(v)}::jsonb`);
  const values: Prisma.Sql[] = [];
  for (const input of inputs) {
    const content: AuditContent = {
      at: input.at ? input.at.toISOString() : at,
      actorId: input.actorId,
      action: input.action,
      objectType: input.objectType,
      objectId: input.objectId,
      before: plain(input.before),
      after: plain(input.after),
      requestId,
    };
    const hash = auditHash(prevHash, content);
    values.push(
      Prisma.sql`(${new Date(content.at)}, ${content.actorId}, ${content.action}, ${content.objectType}, ${content.objectId}, ${json(content.before)}, ${json(content.after)}, ${content.requestId}, ${prevHash}, ${hash})`,
    );
    prevHash = hash;
  }
  // one VALUES list, inserted in order, so seq follows the chain
  await tx.$executeRaw`
    INSERT INTO "AuditLog" ("at", "actorId", "action", "objectType", "objectId", "before", "after", "requestId", "prevHash", "hash")
    VALUES ${Prisma.join(values)}`;
}

/**
 * Removes `needles` (an erased person's name and e-mail address) from the JSON of every audit
 * record that holds them, replacing them by `replacement`, inside the erasure's transaction
 * (which has SET LOCAL app.personal_data_erasure = 'on'; the table's trigger refuses it
 * otherwise, and any change to a column other than before/after). Each rewritten record keeps
 * its hash and links; one "audit.redacted" record per rewritten record, appended to the chain,
 * carries the hash of its new content, which audit:verify checks (docs/decisions/017).
 * Returns the seqs rewritten.
 */
export async function redactAudit(tx: Tx, input: { needles: readonly string[]; replacement: string; actorId: string | null }): Promise<string[]> {
  const needles = input.needles.filter((n) => n.length > 0);
  if (!needles.length) return [];
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`;
  const spelled = needles.map(jsonSpelling);
  const conditions = spelled.map((n) => Prisma.sql`(strpos(coalesce("before"::text, ''), ${n}) > 0 OR strpos(coalesce("after"::text, ''), ${n}) > 0)`);
  const rows = await tx.$queryRaw<{ seq: bigint; at: Date; actorId: string | null; action: string; objectType: string; objectId: string; before: unknown; after: unknown; requestId: string | null; prevHash: string; hash: string }[]>`
    SELECT "seq", "at", "actorId", "action", "objectType", "objectId", "before", "after", "requestId", "prevHash", "hash"
    FROM "AuditLog" WHERE ${Prisma.join(conditions, " OR ")} ORDER BY "seq" FOR UPDATE`;
  const json = (v: unknown) => (v === null || v === undefined ? Prisma.sql`NULL` : Prisma.sql`${JSON.stringify(v)}::jsonb`);
  // a record is vouched for again only if it was intact: hashing to its stored hash, or to what an
  // earlier voucher says (redacted before); a record altered by someone else stays reported
  const earlier = redactionVouchers(
    (await tx.auditLog.findMany({ where: { action: AUDIT_REDACTED_ACTION, objectId: { in: rows.map((r) => r.seq.toString()) } }, orderBy: { seq: "asc" }, select: { seq: true, action: true, after: true } })).map((v) => ({ ...v, seq: v.seq.toString() })),
  );
  const vouchers: AuditInput[] = [];
  for (const r of rows) {
    const original = auditHash(r.prevHash, auditContent({ ...r, at: r.at.toISOString(), before: r.before ?? null, after: r.after ?? null }));
    const intact = original === r.hash || earlier.get(r.seq.toString()) === original;
    const before = replaceInJson(r.before ?? null, needles, input.replacement);
    const after = replaceInJson(r.after ?? null, needles, input.replacement);
    await tx.$executeRaw`UPDATE "AuditLog" SET "before" = ${json(before)}, "after" = ${json(after)} WHERE "seq" = ${r.seq}`;
    const residualHash = auditHash(r.prevHash, auditContent({ ...r, at: r.at.toISOString(), before, after }));
    if (intact) vouchers.push({ actorId: input.actorId, action: AUDIT_REDACTED_ACTION, objectType: "AuditLog", objectId: r.seq.toString(), after: { seq: r.seq.toString(), residualHash, reason: "personal-data-erasure" } });
  }
  await auditMany(tx, vouchers);
  return rows.map((r) => r.seq.toString());
}
