/**
 * The fingerprint of a published ranking notice (domain/ranking-notice.ts): SHA-256 over the
 * canonical JSON of what was published — area, quarter, version, weights, rows, cutoff, note,
 * time — so that a copy can be checked against the record. Pure.
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "./audit-chain";
import type { OrgRankingRow, Quarter, Weights } from "./org-ranking";

export interface NoticeContent {
  area: string;
  quarter: Quarter;
  version: number;
  weights: Weights;
  rows: readonly OrgRankingRow[];
  asOf: Date;
  note: string;
  publishedAt: Date;
}

/** SHA-256 (hex) of the published content's canonical JSON. */
export function noticeHash(content: NoticeContent): string {
  return createHash("sha256").update(canonicalJson(content)).digest("hex");
}
