import { z } from "zod";
import { NEED_CATEGORIES, isNeedCategory, type NeedCategory } from "./categories";
import { isOfficialFor, isWithin, type GrantHolder } from "./permissions";
import { CURSOR_PARAM, PAGE_PARAM, parsePageNumber } from "./keyset";

/**
 * Residents' needs (点单) and their curation by officials (派单): the form schema, the public
 * list's query, LIKE escaping for search, and the rules of every status change. Pure.
 */

export const NEED_STATUSES = ["OPEN", "PUBLISHED", "MERGED", "REJECTED"] as const;
export type NeedStatus = (typeof NEED_STATUSES)[number];
export const isNeedStatus = (v: unknown): v is NeedStatus => typeof v === "string" && (NEED_STATUSES as readonly string[]).includes(v);

export const NEED_SORTS = ["votes", "newest"] as const;
export type NeedSort = (typeof NEED_SORTS)[number];

export const NEED_PAGE_SIZES = [20, 50, 100] as const;
export const NEED_DEFAULT_PAGE_SIZE = 20;

export const NEED_TITLE_MIN = 4;
export const NEED_TITLE_MAX = 60;
export const NEED_DESCRIPTION_MIN = 10;
export const NEED_DESCRIPTION_MAX = 2000;
export const NEED_REASON_MIN = 5;
export const NEED_REASON_MAX = 500;
/** Longest search text taken from the query string; the rest is ignored. */
export const NEED_SEARCH_MAX = 50;
/** A need's photo: images only, at most 5 MB. */
export const NEED_PHOTO_MAX_BYTES = 5 * 1024 * 1024;
/** Needs one account may post per hour (spam brake, not a quota anyone normally meets). */
export const NEED_POST_LIMIT = { limit: 10, windowSeconds: 60 * 60 } as const;

/**
 * What a need's followers are told of: it became a round's call topic, a project answering it was
 * funded, an official replied; and each step of the community's deliberation of it (ADR 037):
 * proposed, reviewed (forwarded to the residents' body, returned for revision, dropped), resolved
 * (passed, failed).
 */
export type NeedEvent = "PUBLISHED" | "FUNDED" | "REPLY" | "PROPOSED" | "FORWARDED" | "RETURNED" | "DROPPED" | "PASSED" | "FAILED";

/**
 * An official's ruling on a posted need, told to its author and to its followers (inbox, and
 * e-mail or SMS as each hears notices): not taken up, reopened, merged into another need (whose
 * followers the merged need's followers become).
 */
export type NeedRuling = "REJECTED" | "REOPENED" | "MERGED";

/** Comments on a need: length bounds and how many a person may post per hour (like posting needs). */
export const NEED_COMMENT_MIN = 2;
export const NEED_COMMENT_MAX = 1000;
export const NEED_COMMENT_LIMIT = { limit: 20, windowSeconds: 60 * 60 } as const;
/** The newest comments a need's page shows (older ones are counted, not listed). */
export const NEED_COMMENTS_SHOWN = 100;

/** Levels a need can be posted for: a community (社区) or a village (村). */
export const NEED_AREA_LEVELS = ["COMMUNITY", "VILLAGE"] as const;

/** Phases of a round in which needs may be published as its call topics. */
export const TOPIC_PHASES = ["NEEDS", "PROPOSALS"] as const;

/** Statuses a need can be voted on in. */
export const VOTABLE_STATUSES: readonly NeedStatus[] = ["OPEN", "PUBLISHED"];

const text = (min: number, max: number, shortKey: string, longKey: string) =>
  z.string({ error: "validation.required" }).trim().min(1, { error: "validation.required", abort: true }).min(min, shortKey).max(max, longKey);

/** The "post a need" form, in the browser and on the server. The photo is checked by the upload service. */
export const PostNeedSchema = z.object({
  communityId: z.string({ error: "needs.error.community" }).min(1, "needs.error.community"),
  title: text(NEED_TITLE_MIN, NEED_TITLE_MAX, "needs.error.titleShort", "needs.error.titleLong"),
  description: text(NEED_DESCRIPTION_MIN, NEED_DESCRIPTION_MAX, "needs.error.descriptionShort", "needs.error.descriptionLong"),
  category: z.enum(NEED_CATEGORIES, { error: "needs.error.category" }),
});
export type PostNeedInput = z.output<typeof PostNeedSchema>;

/** A reason for rejecting or reopening, shown publicly. */
export const ReasonSchema = z.object({
  reason: text(NEED_REASON_MIN, NEED_REASON_MAX, "needs.error.reasonShort", "needs.error.reasonLong"),
});

export const MergeSchema = z.object({
  target: z.coerce.number({ error: "needs.error.targetNumber" }).int("needs.error.targetNumber").positive("needs.error.targetNumber"),
});

export const PublishSchema = z.object({
  round: z.string({ error: "needs.error.round" }).min(1, "needs.error.round"),
});

export const CommentSchema = z.object({
  body: text(NEED_COMMENT_MIN, NEED_COMMENT_MAX, "needs.error.commentShort", "needs.error.commentLong"),
});

export const HideSchema = ReasonSchema.extend({
  comment: z.string({ error: "needs.error.comment" }).uuid("needs.error.comment"),
});

/**
 * The forms of a need's page, one per intent: a vote or its withdrawal (a form posted without
 * JavaScript from the list carries where to go back to), the four curations, and the conversation:
 * a comment, an official's reply, hiding a comment, following.
 */
export const NeedIntents = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("vote"), redirectTo: z.string().optional() }),
  z.object({ intent: z.literal("unvote"), redirectTo: z.string().optional() }),
  ReasonSchema.extend({ intent: z.literal("reject") }),
  ReasonSchema.extend({ intent: z.literal("reopen") }),
  MergeSchema.extend({ intent: z.literal("merge") }),
  PublishSchema.extend({ intent: z.literal("publish") }),
  CommentSchema.extend({ intent: z.literal("comment") }),
  CommentSchema.extend({ intent: z.literal("reply") }),
  HideSchema.extend({ intent: z.literal("hide") }),
  z.object({ intent: z.literal("follow") }),
  z.object({ intent: z.literal("unfollow") }),
]);
export type NeedIntent = z.output<typeof NeedIntents>;

// ───────────────────────────── lists ─────────────────────────────

export interface NamedArea {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** A need as the public list, the officials' list and its card show it. */
export interface NeedCard {
  number: number;
  title: string;
  category: string;
  status: NeedStatus;
  voteCount: number;
  createdAt: string;
  hasPhoto: boolean;
  area: NamedArea;
  /** whether the signed-in viewer has voted (false for visitors) */
  voted: boolean;
  /** the start of the description, on one line (`snippetOf`) */
  snippet: string;
  /** whether the need is in the viewer's own community (listed first) */
  own: boolean;
}

/** How much of a description the list reads, and how much of it a card shows. */
export const NEED_SNIPPET_READ = 200;
export const NEED_SNIPPET_LENGTH = 80;

/** The start of a need's description for the list: whitespace collapsed to one line, cut at `max` characters with "…". */
export function snippetOf(description: string, max = NEED_SNIPPET_LENGTH): string {
  const flat = description.replace(/[\s\u3000]+/g, " ").trim();
  const chars = Array.from(flat);
  return chars.length <= max ? flat : `${chars.slice(0, max).join("").trimEnd()}…`;
}

// ───────────────────────────── list query ─────────────────────────────

export interface NeedListQuery {
  /** area code: a community, or a subdistrict meaning all of its communities */
  community: string | null;
  category: NeedCategory | null;
  /** null: every status except MERGED */
  status: NeedStatus | null;
  sort: NeedSort;
  /** search text, whitespace-normalised; empty for none */
  q: string;
  /** the page's keyset cursor (`?cursor=`), opaque, set by the previous / next links; null for none */
  cursor: string | null;
  /** the page number (`?page=`); null for the first */
  page: number | null;
  per: number;
  /** round code: that round's published call topics */
  round: string | null;
}

const CODE = /^[a-z0-9][a-z0-9-]{0,63}$/;
const ROUND_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

/** Search text as typed, trimmed, inner whitespace (including the ideographic space) collapsed. */
export function normalizeSearch(raw: string | null | undefined): string {
  return [...(raw ?? "").replace(/[\s\u3000]+/g, " ").trim()].slice(0, NEED_SEARCH_MAX).join("").trim();
}

/** The public list's query string, with safe defaults for anything missing or malformed. */
export function parseNeedListQuery(params: URLSearchParams, defaults: { status?: NeedStatus | null; sort?: NeedSort } = {}): NeedListQuery {
  const community = params.get("community")?.trim().toLowerCase() ?? "";
  const category = params.get("category") ?? "";
  const status = params.get("status") ?? "";
  const sort = params.get("sort") ?? "";
  const round = params.get("round")?.trim() ?? "";
  const per = Number.parseInt(params.get("per") ?? "", 10);
  return {
    community: CODE.test(community) ? community : null,
    category: isNeedCategory(category) ? category : null,
    status: isNeedStatus(status) ? status : (defaults.status ?? null),
    sort: (NEED_SORTS as readonly string[]).includes(sort) ? (sort as NeedSort) : (defaults.sort ?? "votes"),
    q: normalizeSearch(params.get("q")),
    cursor: params.get(CURSOR_PARAM) || null,
    page: parsePageNumber(params.get(PAGE_PARAM)),
    per: (NEED_PAGE_SIZES as readonly number[]).includes(per) ? per : NEED_DEFAULT_PAGE_SIZE,
    round: ROUND_CODE.test(round) ? round.toUpperCase() : null,
  };
}

/** Escapes LIKE wildcards so that typed `%`, `_` and `\` match themselves (ESCAPE '\'). */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** ILIKE patterns for a search: every whitespace-separated term must occur somewhere. */
export function searchPatterns(q: string): string[] {
  return normalizeSearch(q)
    .split(" ")
    .filter(Boolean)
    .slice(0, 5)
    .map((term) => `%${escapeLike(term)}%`);
}

// ───────────────────────────── curation rules ─────────────────────────────

/** "/pinghu/danghu/songfeng/" → "/pinghu/danghu/": the subdistrict a community belongs to. */
export function parentPath(path: string): string {
  const segs = path.split("/").filter(Boolean);
  return segs.length <= 1 ? "/" : `/${segs.slice(0, -1).join("/")}/`;
}

/** Curating a need is for officials whose area covers its community (and administrators). */
export const canCurateNeed = (actor: Pick<GrantHolder, "grants">, needAreaPath: string) => isOfficialFor(actor, needAreaPath);

export const canVote = (status: NeedStatus) => VOTABLE_STATUSES.includes(status);

export interface NeedForRule {
  id: string;
  status: NeedStatus;
  areaPath: string;
}

/** Only an open need can be rejected; the answer is the message key of the problem. */
export const rejectProblem = (need: Pick<NeedForRule, "status">) => (need.status === "OPEN" ? null : "needs.error.notOpen");

/** Only a rejected need can be reopened. */
export const reopenProblem = (need: Pick<NeedForRule, "status">) => (need.status === "REJECTED" ? null : "needs.error.notRejected");

/**
 * Merging `source` into `target` (duplicates): not into itself; only an open need is merged;
 * the target must be live (open or published) — a need that was itself merged is refused, so
 * merges never chain; both in the same subdistrict.
 */
export function mergeProblem(source: NeedForRule, target: NeedForRule): string | null {
  if (source.id === target.id) return "needs.error.mergeSelf";
  if (source.status !== "OPEN") return "needs.error.notOpen";
  if (target.status === "MERGED") return "needs.error.mergeChain";
  if (target.status === "REJECTED") return "needs.error.mergeRejected";
  if (parentPath(source.areaPath) !== parentPath(target.areaPath)) return "needs.error.mergeSubdistrict";
  return null;
}

export interface RoundForRule {
  phase: string;
  areaPath: string;
}

/** Publishing a need as a call topic (派单): an open need, a round taking needs or proposals, covering its community. */
export function publishProblem(need: Pick<NeedForRule, "status" | "areaPath">, round: RoundForRule): string | null {
  if (need.status !== "OPEN") return "needs.error.notOpen";
  if (!(TOPIC_PHASES as readonly string[]).includes(round.phase)) return "needs.error.roundPhase";
  if (!isWithin(need.areaPath, round.areaPath)) return "needs.error.roundArea";
  return null;
}
