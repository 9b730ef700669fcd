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

/** hash = SHA-256(prevHash + canonical content): changing or removing any record breaks the chain. */
export function auditHash(prevHash: string, content: AuditContent): string {
  return createHash("sha256").update(prevHash).update(canonicalJson(content)).digest("hex");
}

export interface ChainRecord extends AuditContent {
  seq: string;
  prevHash: string;
  hash: string;
}

export type ChainProblem =
  | { seq: string; kind: "content-changed" }
  | { seq: string; kind: "broken-link"; expectedPrev: string };

/** Walks records in sequence order and reports every record whose hash or link does not hold. */
export function verifyChain(records: Iterable<ChainRecord>, startPrev = GENESIS_HASH): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let prev = startPrev;
  for (const r of records) {
    if (r.prevHash !== prev) problems.push({ seq: r.seq, kind: "broken-link", expectedPrev: prev });
    if (auditHash(r.prevHash, r) !== r.hash) problems.push({ seq: r.seq, kind: "content-changed" });
    prev = r.hash;
  }
  return problems;
}
