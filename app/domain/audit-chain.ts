import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export interface AuditContent {
  at: string; // ISO-8601 with milliseconds
  actorId: string | null;
  action: string;
  objectType: string;
  objectId: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

/** JSON with object keys sorted at every level, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") {
    if (typeof value === "bigint") return JSON.stringify(value.toString());
    return JSON.stringify(value);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** Exactly the hashed fields of a record: anything else it carries (seq, hashes, row extras) is not content. */
export function auditContent(r: AuditContent): AuditContent {
  return {
    at: r.at,
    actorId: r.actorId,
    action: r.action,
    objectType: r.objectType,
    objectId: r.objectId,
    before: r.before,
    after: r.after,
    requestId: r.requestId,
  };
}

/** hash = SHA-256(prevHash + canonical content): changing or removing any record breaks the chain. */
export function auditHash(prevHash: string, content: AuditContent): string {
  // Picking the fields matters: a whole ChainRecord passed here would otherwise hash its own
  // seq/prevHash/hash and never match what was written.
  return createHash("sha256").update(prevHash).update(canonicalJson(auditContent(content))).digest("hex");
}

export interface ChainRecord extends AuditContent {
  seq: string;
  prevHash: string;
  hash: string;
}

export type ChainProblem =
  | { seq: string; kind: "content-changed" }
  | { seq: string; kind: "broken-link"; expectedPrev: string }
  | { seq: string; kind: "anchor-mismatch"; expectedHash: string }
  | { seq: string; kind: "anchor-missing"; expectedHash: string };

/**
 * A (seq, hash) pair published earlier, e.g. a head hash printed by `npm run audit:verify`.
 * The chain alone cannot reveal that its last records were cut off (the shorter chain is
 * still valid); an anchor can: the record with that seq must still exist with that hash.
 */
export interface ChainAnchor {
  seq: string;
  hash: string;
}

export interface ChainSummary {
  records: number;
  /** hash of the last record: the value to publish (GENESIS_HASH for an empty chain) */
  headHash: string;
  headSeq: string | null;
  problems: ChainProblem[];
  problemsNotListed: number;
}

/**
 * Checks records pushed one at a time, in sequence order, so a caller can stream a chain of
 * any length in batches while holding only the previous hash.
 */
export class ChainVerifier {
  /** the first `maxProblems` problems found */
  readonly problems: ChainProblem[] = [];
  /** problems found after `maxProblems` were listed */
  problemsNotListed = 0;
  private prev: string;
  private count = 0;
  private lastSeq: string | null = null;
  private readonly anchors: Map<string, string>;
  private readonly redactions: ReadonlyMap<string, string>;
  private readonly maxProblems: number;

  constructor(opts: { startPrev?: string; anchors?: readonly ChainAnchor[]; redactions?: ReadonlyMap<string, string>; maxProblems?: number } = {}) {
    this.prev = opts.startPrev ?? GENESIS_HASH;
    this.maxProblems = opts.maxProblems ?? Infinity;
    this.anchors = new Map((opts.anchors ?? []).map((a) => [a.seq, a.hash]));
    this.redactions = opts.redactions ?? new Map();
  }

  /** Checks one record; returns the problems it caused (also kept in `problems`). */
  push(r: ChainRecord): ChainProblem[] {
    const found: ChainProblem[] = [];
    if (r.prevHash !== this.prev) found.push({ seq: r.seq, kind: "broken-link", expectedPrev: this.prev });
    const computed = auditHash(r.prevHash, r);
    // a record whose JSON an erasure rewrote no longer hashes to its stored hash: it holds when a
    // later record of the chain vouches for exactly its present content (see redactionVouchers)
    if (computed !== r.hash && this.redactions.get(r.seq) !== computed) found.push({ seq: r.seq, kind: "content-changed" });
    const anchored = this.anchors.get(r.seq);
    if (anchored !== undefined) {
      if (anchored !== r.hash) found.push({ seq: r.seq, kind: "anchor-mismatch", expectedHash: anchored });
      this.anchors.delete(r.seq);
    }
    // Link the next record to the hash as stored: one edited record is reported once, not
    // once for itself and again for every record after it.
    this.prev = r.hash;
    this.count++;
    this.lastSeq = r.seq;
    for (const p of found) this.keep(p);
    return found;
  }

  // A log rewritten wholesale could yield a problem per record; memory stays bounded.
  private keep(p: ChainProblem) {
    if (this.problems.length < this.maxProblems) this.problems.push(p);
    else this.problemsNotListed++;
  }

  /** Ends the walk: anchors whose record never came by were removed (or never existed). */
  finish(): ChainSummary {
    for (const [seq, hash] of this.anchors) this.keep({ seq, kind: "anchor-missing", expectedHash: hash });
    this.anchors.clear();
    return {
      records: this.count,
      headHash: this.prev,
      headSeq: this.lastSeq,
      problems: this.problems,
      problemsNotListed: this.problemsNotListed,
    };
  }
}

/** Walks records in sequence order and reports every record whose hash or link does not hold. */
export function verifyChain(records: Iterable<ChainRecord>, startPrev = GENESIS_HASH): ChainProblem[] {
  const verifier = new ChainVerifier({ startPrev });
  for (const r of records) verifier.push(r);
  return verifier.finish().problems;
}

/** The action of the record an erasure appends for each audit record whose JSON it rewrote. */
export const AUDIT_REDACTED_ACTION = "audit.redacted";

/** What an "audit.redacted" record says: the redacted record's seq and the hash of its new content (same prevHash). */
export interface RedactionVoucher {
  seq: string;
  residualHash: string;
}

/**
 * seq → residual hash, from the "audit.redacted" records (the latest voucher of a seq wins, as a
 * record may be redacted twice). A voucher only counts for a record before it; the vouchers are
 * chain records themselves, so forging one breaks the chain where it stands.
 */
export function redactionVouchers(records: Iterable<{ seq: string; action: string; after: unknown }>): Map<string, string> {
  const map = new Map<string, string>();
  for (const r of records) {
    if (r.action !== AUDIT_REDACTED_ACTION) continue;
    const v = r.after as Partial<RedactionVoucher> | null;
    if (!v || typeof v.seq !== "string" || typeof v.residualHash !== "string") continue;
    if (BigInt(v.seq) >= BigInt(r.seq)) continue;
    map.set(v.seq, v.residualHash);
  }
  return map;
}
