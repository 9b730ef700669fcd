/** Kinds of conflict of interest a judge declares (mirrors the ConflictKind enum of the schema). */
export const CONFLICT_KINDS = ["MEMBER", "ADVISOR", "EMPLOYMENT", "RELATED", "OTHER"] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];
