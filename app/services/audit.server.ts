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
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`;
  const last = await tx.auditLog.findFirst({ orderBy: { seq: "desc" }, select: { hash: true } });
  const prevHash = last?.hash ?? GENESIS_HASH;
  const content: AuditContent = {
    at: new Date().toISOString(),
    actorId: input.actorId,
    action: input.action,
    objectType: input.objectType,
    objectId: input.objectId,
    before: plain(input.before),
    after: plain(input.after),
    requestId: currentRequestId() ?? null,
  };
  await tx.auditLog.create({
    data: {
      at: new Date(content.at),
      actorId: content.actorId,
      action: content.action,
      objectType: content.objectType,
      objectId: content.objectId,
      before: content.before === null ? Prisma.DbNull : (content.before as Prisma.InputJsonValue),
      after: content.after === null ? Prisma.DbNull : (content.after as Prisma.InputJsonValue),
      requestId: content.requestId,
      prevHash,
      hash: auditHash(prevHash, content),
    },
  });
}
