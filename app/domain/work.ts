/**
 * A person's pending work ("待办"): what is waiting for them, per kind, as /me lists it and the
 * header's badge counts it. Pure rules: which kinds exist and in what order, how the items of a
 * kind are ordered (oldest first), how many of each are shown, and how a count is written.
 */

/** Every kind of pending item, in the order /me lists them (a role's kinds together). */
export const WORK_KINDS = [
  // officials
  "reportsToReview",
  "expensesToApprove",
  "adjustmentsToDecide",
  "releasesToApprove",
  "objectionsOpen",
  "evaluationsReady",
  "alertsOpen",
  "trainingsMissed",
  // judges and invited evaluators
  "sheetsToScore",
  "evaluationsInvited",
  // applicants
  "draftsToSubmit",
  "reportsReturned",
  "expensesReturned",
  // foundation managers
  "giftsDisputed",
  "giftsHeld",
] as const;

export type WorkKind = (typeof WORK_KINDS)[number];

/** How many items of one kind /me shows; the kind's list page has the rest. */
export const SHOWN_PER_KIND = 5;

/** One pending item: what it is, where to act on it, and since when it waits. */
export interface WorkItem {
  id: string;
  /** reference number (JN7-0042, G-7K2M9Q4T), when it has one */
  ref: string | null;
  title: string;
  href: string;
  /** when it started waiting (ISO): submitted, prepared, opened …; null when not known */
  since: string | null;
  /** when it must be done (ISO), when there is a deadline */
  deadline?: string | null;
  /** message keys of what is still missing (drafts) */
  missing?: readonly string[];
  /** messages (keys, with their values after "|") of the round's rules a draft breaks */
  unmet?: readonly string[];
  /** a draft with nothing missing and no rule broken: submission would accept it */
  ready?: boolean;
  /** the token that selects it for approval with others (`id:version`), when its kind and state allow */
  select?: string | null;
}

/** A kind as gathered: the total waiting and the oldest few items. */
export interface WorkGroupInput {
  kind: WorkKind;
  count: number;
  items: readonly WorkItem[];
  /** the page listing all of them, when one exists */
  listHref: string | null;
}

export interface WorkGroup extends WorkGroupInput {
  /** how many are not shown here */
  more: number;
}

const time = (iso: string | null | undefined) => (iso ? Date.parse(iso) : Number.POSITIVE_INFINITY);

/**
 * Oldest first: an item with a deadline by its deadline (the nearest first), else by when it
 * started waiting; unknown dates last; ties by reference number then id, so the order is stable.
 */
export function oldestFirst<T extends WorkItem>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => {
    const ka = a.deadline ? time(a.deadline) : time(a.since);
    const kb = b.deadline ? time(b.deadline) : time(b.since);
    if (ka !== kb) return ka < kb ? -1 : 1;
    const ra = a.ref ?? "";
    const rb = b.ref ?? "";
    if (ra !== rb) return ra < rb ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

/**
 * The work list: kinds with something waiting, in WORK_KINDS order, each with its oldest
 * SHOWN_PER_KIND items and how many more its list page holds. A kind gathered twice (an
 * official of two trees, say) is merged.
 */
export function workGroups(inputs: readonly WorkGroupInput[]): WorkGroup[] {
  const byKind = new Map<WorkKind, WorkGroupInput>();
  for (const g of inputs) {
    const seen = byKind.get(g.kind);
    byKind.set(g.kind, seen ? { ...seen, count: seen.count + g.count, items: [...seen.items, ...g.items], listHref: seen.listHref ?? g.listHref } : g);
  }
  return WORK_KINDS.flatMap((kind) => {
    const g = byKind.get(kind);
    if (!g || g.count <= 0) return [];
    const items = oldestFirst(g.items).slice(0, SHOWN_PER_KIND);
    return [{ ...g, items, more: Math.max(0, g.count - items.length) }];
  });
}

/** Everything waiting, for the badge: the sum of the counts (negative or missing counts are 0). */
export function workTotal(counts: Partial<Record<WorkKind, number>>): number {
  return WORK_KINDS.reduce((sum, k) => sum + Math.max(0, counts[k] ?? 0), 0);
}

/** What the badge shows: the count, capped at "99+" so the header keeps its width. */
export const badgeText = (total: number) => (total > 99 ? "99+" : String(total));

/** How near a deadline is: past, within three days ("soon"), or later. */
export function deadlineState(deadline: string | Date, now: Date): "past" | "soon" | "later" {
  const at = typeof deadline === "string" ? Date.parse(deadline) : deadline.getTime();
  if (at <= now.getTime()) return "past";
  return at - now.getTime() <= 3 * 86_400_000 ? "soon" : "later";
}

/**
 * The list page of a kind whose items all live under one parent (a round's objections, a
 * project's reports): that parent's page when every shown item shares it and none are hidden,
 * else the fallback (a cross-list page) or none.
 */
export function commonListHref(pages: readonly string[], total: number, fallback: string | null): string | null {
  const unique = [...new Set(pages)];
  if (unique.length === 1 && pages.length === total) return unique[0]!;
  return fallback;
}

// ───────────────────────────── approving several at once ─────────────────────────────

/**
 * The kinds an official may approve several of in one action, by the path segment of their page
 * (/me/approve/:kind). Only approvals that are one official's plain yes: a submitted expense, a
 * submitted milestone report. Never a release (a second official approves what the first
 * prepared, one by one), a budget adjustment or an objection (they need reasons), nor a return
 * (it needs a comment per item).
 */
export const BULK_KINDS = { expenses: "expensesToApprove", reports: "reportsToReview" } as const satisfies Record<string, WorkKind>;
export type BulkKind = keyof typeof BULK_KINDS;
export const isBulkKind = (k: unknown): k is BulkKind => typeof k === "string" && Object.hasOwn(BULK_KINDS, k);
export const bulkKindOf = (kind: WorkKind): BulkKind | null => (Object.keys(BULK_KINDS) as BulkKind[]).find((k) => BULK_KINDS[k] === kind) ?? null;

/** At most this many items in one bulk approval (and on its page). */
export const BULK_MAX = 50;

/** One selected item as a form carries it: `<id>:<version>`, the version the official saw. */
export const selectionToken = (id: string, version: number) => `${id}:${version}`;

/** The selected items, each once, in the order given; null when a token is malformed or there are too many. */
export function parseSelection(tokens: readonly string[]): { id: string; version: number }[] | null {
  const seen = new Map<string, number>();
  for (const token of tokens) {
    const m = /^([0-9a-zA-Z-]{1,64}):(\d{1,9})$/.exec(token);
    if (!m) return null;
    if (!seen.has(m[1]!)) seen.set(m[1]!, Number(m[2]));
  }
  if (seen.size > BULK_MAX) return null;
  return [...seen].map(([id, version]) => ({ id, version }));
}

/**
 * Why an expense must be decided on its own page rather than with others (a message key), or
 * null: a receipt also submitted elsewhere in the area, or spending outside every budget line,
 * is for the official to look at item by item.
 */
export function expenseNeedsOwnLook(e: { duplicateReceipt: boolean; budgetLineId: string | null }): string | null {
  if (e.duplicateReceipt) return "work.bulk.own.duplicate";
  if (e.budgetLineId === null) return "work.bulk.own.offBudget";
  return null;
}
