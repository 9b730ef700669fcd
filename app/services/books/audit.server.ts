import { auditHash, GENESIS_HASH, type AuditContent } from "~/domain/audit-chain";
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
      at,
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
      Prisma.sql`(${new Date(at)}, ${content.actorId}, ${content.action}, ${content.objectType}, ${content.objectId}, ${json(content.before)}, ${json(content.after)}, ${content.requestId}, ${prevHash}, ${hash})`,
    );
    prevHash = hash;
  }
  // one VALUES list, inserted in order, so seq follows the chain
  await tx.$executeRaw`
    INSERT INTO "AuditLog" ("at", "actorId", "action", "objectType", "objectId", "before", "after", "requestId", "prevHash", "hash")
    VALUES ${Prisma.join(values)}`;
}
