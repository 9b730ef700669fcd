import { AUDIT_REDACTED_ACTION, auditContent, ChainVerifier, GENESIS_HASH, redactionVouchers, type ChainAnchor, type ChainRecord, type ChainSummary } from "~/domain/audit-chain";
import type { AuditLog } from "~/generated/prisma/client";
import type { Db } from "~/lib/db.server";

/** records checked, head (seq, hash) to publish, problems (the walk never stops early) */
export type AuditReport = ChainSummary;

export interface VerifyAuditOptions {
  /** rows fetched per query; memory use is bounded by this, not by the size of the log */
  batchSize?: number;
  /** earlier published (seq, hash) pairs that must still be in the chain */
  anchors?: readonly ChainAnchor[];
  /** problems listed in the report (default 1000); the rest are only counted */
  limit?: number;
}

/** A stored row as the chain verifier reads it: its hashed content (the instant as ISO text, JSON nulls as null) and its place in the chain. */
function toRecord(r: AuditLog): ChainRecord {
  const content = auditContent({ ...r, at: r.at.toISOString(), before: r.before ?? null, after: r.after ?? null });
  return { ...content, seq: r.seq.toString(), prevHash: r.prevHash, hash: r.hash };
}

/**
 * Re-computes the whole hash chain of the audit log, streaming it in seq order in batches
 * (keyset pagination on seq, never OFFSET), so a log of millions of records is checked in
 * constant memory.
 *
 * What this proves and what it cannot: any edited, inserted, removed or reordered record
 * *before the head* breaks a hash or a link and is reported. Removing records from the *end*
 * leaves a shorter chain that is still perfectly valid, so truncation of the tail is invisible
 * to the chain alone. That is why the head (seq and hash) is printed: published somewhere the
 * database's operators cannot rewrite (a public page, a notice, an email to the supervising
 * office), it can be passed back later as an anchor, and a record missing or changed at that
 * seq is then reported ("anchor-missing" / "anchor-mismatch"). Records appended after the last
 * published head remain unprotected against truncation until the next publication.
 *
 * Seq gaps are not problems: a rolled-back transaction consumes sequence values.
 *
 * A record whose JSON an account erasure rewrote (names and e-mail addresses removed, see
 * docs/decisions/017) keeps its stored hash and links; its present content is checked against
 * the "audit.redacted" record the erasure appended after it, which the walk checks in turn.
 */
export async function verifyAudit(client: Db, opts: VerifyAuditOptions = {}): Promise<AuditReport> {
  const batchSize = opts.batchSize ?? 5000;
  const vouchers = await client.auditLog.findMany({ where: { action: AUDIT_REDACTED_ACTION }, orderBy: { seq: "asc" }, select: { seq: true, action: true, after: true } });
  const redactions = redactionVouchers(vouchers.map((v) => ({ ...v, seq: v.seq.toString() })));
  const verifier = new ChainVerifier({ startPrev: GENESIS_HASH, anchors: opts.anchors, redactions, maxProblems: opts.limit ?? 1000 });
  let cursor: bigint | null = null;
  for (;;) {
    const rows: AuditLog[] = await client.auditLog.findMany({
      where: cursor === null ? {} : { seq: { gt: cursor } },
      orderBy: { seq: "asc" },
      take: batchSize,
    });
    for (const row of rows) verifier.push(toRecord(row));
    if (rows.length < batchSize) break;
    cursor = rows[rows.length - 1]!.seq;
  }
  return verifier.finish();
}

/** "123:abcdef…" (as printed by `npm run audit:verify`) → an anchor. */
export function parseAnchor(text: string): ChainAnchor {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(text.trim());
  if (!m) throw new Error(`not an anchor (expected SEQ:SHA256HEX): ${text}`);
  return { seq: BigInt(m[1]!).toString(), hash: m[2]! };
}
