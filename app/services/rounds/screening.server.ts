import crypto from "node:crypto";
import { categoriesOf } from "~/domain/rounds";
import { withParams } from "~/domain/messages";
import { z } from "zod";
import { decodeCursor, NO_NUMBERED_PAGES, numberedLinksOf, numberedPage } from "~/domain/keyset";
import { formatFen } from "~/domain/money";
import type { Actor } from "~/services/accounts/actor.server";
import {
  DecisionSchema,
  eligibleListState,
  notificationKind,
  planDecision,
  SCREENABLE_STATUSES,
  SCREENING_PAGE_SIZES,
  type EligibleListQuery,
  type ScreeningQuery,
  type ScreeningTarget,
} from "~/domain/screening";
import { Prisma } from "~/generated/prisma/client";
import { type Client, db, type Tx } from "~/lib/db.server";
import { appUrl } from "~/lib/env.server";
import { fromDbLocale } from "~/lib/i18n";
import { queueEmail } from "~/lib/outbox.server";
import { notFound } from "~/lib/permissions.server";
import { publicMemo } from "~/lib/public-version.server";
import { fail, fromIssues, ok, Refusal, refusedOr, type Result } from "~/lib/result";
import { auditMany } from "~/services/books/audit.server";
import { reviewRoundByCode, roundForOfficial, type ReviewRound } from "~/services/review/access.server";

/**
 * Screening (资格审查): officials whose area covers a round decide, singly or in bulk, whether
 * its submitted proposals are eligible. A decision is append-only history (ScreeningDecision);
 * the proposal's status and screening columns mirror the latest one. The public sees the list
 * of eligible proposals once the round has moved on to review.
 */

/** Communities and villages of the round's area, for filters. */
export async function communitiesOf(client: Client, areaPath: string) {
  return client.area.findMany({
    where: { path: { startsWith: areaPath }, level: { in: ["COMMUNITY", "VILLAGE"] } },
    select: { id: true, code: true, nameZh: true, nameEn: true },
    orderBy: [{ sortOrder: "asc" }, { nameZh: "asc" }],
  });
}

const communitiesMemo = publicMemo(async (_now, areaPath) => ({ value: await communitiesOf(db(), areaPath), until: Infinity }));

/** A proposal's place in a round's lists: its reference number, unique, the lists' one sort column. */
const ReferenceKey = z.tuple([z.string().min(1).max(64)]);
type ReferenceKey = z.infer<typeof ReferenceKey>;

/**
 * One numbered page of the proposals matching `where`, by reference number (`~/domain/keyset`
 * `numberedPage`): previous / next are a range on (roundId, referenceNo) however deep the page; a
 * page asked by its number is located from the nearer end by skipping reference numbers only.
 * `scope` names the list and its filters, so a cursor of another filter starts at the first page;
 * `total` is the count the page already shows.
 */
async function proposalPage<S extends Prisma.ProposalSelect>(opts: {
  scope: string;
  cursor: string | null;
  page: number | null;
  per: number;
  total: number;
  where: Prisma.ProposalWhereInput;
  select: S;
}) {
  type Row = Prisma.ProposalGetPayload<{ select: S }> & { referenceNo: string | null };
  return numberedPage<Row, ReferenceKey>({
    scope: opts.scope,
    cursor: decodeCursor(opts.cursor, opts.scope, ReferenceKey),
    page: opts.page,
    per: opts.per,
    total: opts.total,
    keyOf: (r) => [r.referenceNo ?? ""],
    fetch: async ({ key, backward, take }) =>
      (await db().proposal.findMany({
        where: key ? { AND: [opts.where, { referenceNo: backward ? { lt: key[0] } : { gt: key[0] } }] } : opts.where,
        select: { ...opts.select, referenceNo: true } as Prisma.ProposalSelect,
        orderBy: { referenceNo: backward ? "desc" : "asc" },
        take,
      })) as unknown as Row[],
    keyAt: async (skip, backward) => {
      const [row] = await db().proposal.findMany({ where: opts.where, select: { referenceNo: true }, orderBy: { referenceNo: backward ? "desc" : "asc" }, skip, take: 1 });
      return row?.referenceNo ? [row.referenceNo] : null;
    },
  });
}

// ───────────────────────────── the queue ─────────────────────────────

/** The queue's filters as a where clause on a round's proposals (the officials' export reads the same). */
export function screeningWhere(roundId: string, communities: readonly { id: string; code: string }[], query: Pick<ScreeningQuery, "status" | "community" | "category" | "q">): Prisma.ProposalWhereInput {
  const community = query.community ? communities.find((c) => c.code === query.community) : null;
  return {
    roundId,
    status: query.status ? query.status : { in: [...SCREENABLE_STATUSES] },
    ...(query.community ? { communityId: community?.id ?? "-" } : {}),
    ...(query.category ? { category: query.category } : {}),
    ...(query.q
      ? {
          AND: query.q
            .split(" ")
            .slice(0, 5)
            .map((term) => ({
              OR: [
                { title: { contains: term, mode: "insensitive" as const } },
                { referenceNo: { contains: term, mode: "insensitive" as const } },
              ],
            })),
        }
      : {}),
  };
}

interface RowDetail {
  organization: string;
  community: { code: string; nameZh: string; nameEn: string } | null;
  decisions: { id: string; outcome: string; reason: string; reversal: boolean; at: string; by: string }[];
}

/**
 * What the lists show of each proposal of a page besides its own columns: its organization, its
 * community and (the queue only, `decisions`) its decisions, oldest first, with who took them, as
 * one statement (Prisma would send one per relation: up to four round trips).
 */
async function rowDetails(ids: string[], decisions = true): Promise<Map<string, RowDetail>> {
  if (!ids.length) return new Map();
  const rows = await db().$queryRaw<{ id: string; organization: string; code: string | null; nameZh: string | null; nameEn: string | null; decisions: string }[]>`
    SELECT p.id, o.name AS organization, a.code, a."nameZh", a."nameEn",
           ${decisions ? Prisma.sql`(SELECT coalesce(json_agg(json_build_object('id', d.id, 'outcome', d.outcome::text, 'reason', d.reason, 'reversal', d."reversesId" IS NOT NULL,
                    'at', to_char(d."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'by', u.name) ORDER BY d."createdAt", d.id), '[]'::json)::text
              FROM "ScreeningDecision" d JOIN "User" u ON u.id = d."decidedById" WHERE d."proposalId" = p.id)` : Prisma.sql`'[]'::text`} AS decisions
      FROM "Proposal" p JOIN "Organization" o ON o.id = p."organizationId" LEFT JOIN "Area" a ON a.id = p."communityId"
     WHERE p.id = ANY(${ids}::text[])`;
  return new Map(
    rows.map((r) => [
      r.id,
      {
        organization: r.organization,
        community: r.code === null ? null : { code: r.code, nameZh: r.nameZh!, nameEn: r.nameEn! },
        decisions: JSON.parse(r.decisions) as RowDetail["decisions"],
      },
    ]),
  );
}

/**
 * The screening queue of a round for an official of its area: its submitted, eligible and
 * ineligible proposals (never drafts or withdrawn ones), filtered and one page of them, with each
 * proposal's decisions. `canDecide` is false outside the SCREENING phase (the page is read-only).
 */
export async function screeningQueue(actor: Pick<Actor, "grants">, code: string, query: ScreeningQuery) {
  const round = await roundForOfficial(actor, code);
  // the communities (for the filter) and the counts per status depend on the round only: sent together
  const [communities, grouped] = await Promise.all([
    communitiesOf(db(), round.area.path),
    db().proposal.groupBy({ by: ["status"], where: { roundId: round.id, status: { in: [...SCREENABLE_STATUSES] } }, _count: { _all: true } }),
  ]);
  const where = screeningWhere(round.id, communities, query);
  const counts = Object.fromEntries(SCREENABLE_STATUSES.map((s) => [s, 0])) as Record<(typeof SCREENABLE_STATUSES)[number], number>;
  for (const g of grouped) counts[g.status as keyof typeof counts] = g._count._all;
  // without a filter but the status, the total is one of the counts per status (or their sum): no second count
  const total =
    query.community || query.category || query.q
      ? await db().proposal.count({ where })
      : query.status
        ? counts[query.status]
        : Object.values(counts).reduce((a, b) => a + b, 0);
  const per = (SCREENING_PAGE_SIZES as readonly number[]).includes(query.per) ? query.per : SCREENING_PAGE_SIZES[0];
  const page = total
    ? await proposalPage({
        scope: JSON.stringify(["screening", round.id, query.status, query.community, query.category, query.q]),
        cursor: query.cursor,
        page: query.page,
        per,
        total,
        where,
        select: { id: true, referenceNo: true, title: true, status: true, category: true, requestedFen: true, submittedAt: true },
      })
    : null;
  const rows = page?.items ?? [];
  const more = await rowDetails(rows.map((r) => r.id));
  return {
    round: {
      code: round.code,
      title: round.title,
      phase: round.phase as string,
      area: { nameZh: round.area.nameZh, nameEn: round.area.nameEn },
    },
    canDecide: round.phase === "SCREENING",
    categories: categoriesOf(round.categories),
    communities: communities.map(({ code: c, nameZh, nameEn }) => ({ code: c, nameZh, nameEn })),
    counts,
    total,
    pager: page ? numberedLinksOf(page) : NO_NUMBERED_PAGES,
    per,
    items: rows.map((r) => ({
      id: r.id,
      referenceNo: r.referenceNo ?? "",
      title: r.title,
      status: r.status as string,
      category: r.category,
      requestedFen: r.requestedFen ?? 0,
      submittedAt: r.submittedAt?.toISOString() ?? null,
      organization: more.get(r.id)!.organization,
      community: more.get(r.id)!.community,
      decisions: more.get(r.id)!.decisions,
    })),
  };
}

export type ScreeningQueue = Awaited<ReturnType<typeof screeningQueue>>;

// ───────────────────────────── deciding ─────────────────────────────

export type DecideResult = Result<{ decided: number; unchanged: string[] }>;

/** Test hook: called inside the transaction after the decisions are written, before anyone is told. */
export const screeningHooks: { afterWrite?: (tx: Tx, proposalIds: string[]) => Promise<void> } = {};

/**
 * An official's decision on one or more proposals of a round: `raw` is the form (`ids`,
 * `outcome`, `reason`). All of it happens in one transaction or none of it does: the round's row
 * is share-locked (its phase cannot move meanwhile) and the proposals' rows are locked; then the
 * decisions are written (a changed decision is a reversal pointing at the one it reverses), the
 * proposals' status and screening columns updated, one audit record per proposal appended, and
 * every member with an account told in the inbox and by email. Reads and writes are batched:
 * the number of round-trips does not grow with the number of proposals, except one email each.
 */
export async function decide(actor: Actor, code: string, raw: unknown): Promise<DecideResult> {
  const round = await roundForOfficial(actor, code);
  const parsed = DecisionSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const input = parsed.data;
  const ids = [...new Set(input.ids)];
  const reason = input.reason || undefined;

  try {
    return await db().$transaction(
      async (tx): Promise<DecideResult> => {
        const [locked] = await tx.$queryRaw<{ phase: string }[]>`SELECT phase::text AS phase FROM "Round" WHERE id = ${round.id} FOR SHARE`;
        const rows = await tx.$queryRaw<{ id: string; roundId: string; referenceNo: string | null; status: string; title: string; organizationId: string }[]>`
          SELECT id, "roundId", "referenceNo", status::text AS status, title, "organizationId"
          FROM "Proposal" WHERE id = ANY(${ids}::text[]) ORDER BY id FOR UPDATE`;
        if (rows.length !== ids.length || rows.some((r) => r.roundId !== round.id)) throw new Refusal(fail(400, "screening.error.unknown"));
        const latest = await tx.$queryRaw<{ id: string; proposalId: string }[]>`
          SELECT DISTINCT ON ("proposalId") id, "proposalId" FROM "ScreeningDecision"
          WHERE "proposalId" = ANY(${ids}::text[]) ORDER BY "proposalId", "createdAt" DESC, id DESC`;
        const latestOf = new Map(latest.map((d) => [d.proposalId, d.id]));
        const targets: ScreeningTarget[] = rows.map((r) => ({ id: r.id, referenceNo: r.referenceNo, status: r.status, latestDecisionId: latestOf.get(r.id) ?? null }));
        const planned = planDecision(locked!.phase, input.outcome, reason, targets);
        if (!planned.ok) {
          throw new Refusal(fail(409, planned.problems.map((p) => ("referenceNo" in p ? withParams(p.key, { referenceNo: p.referenceNo }) : p.key))));
        }
        const { changes, unchanged } = planned.plan;
        if (!changes.length) return ok({ decided: 0, unchanged });

        const now = new Date();
        const decisions = changes.map((c) => ({
          id: crypto.randomUUID(),
          proposalId: c.id,
          outcome: input.outcome,
          reason: reason ?? "",
          reversesId: c.reversesId,
          decidedById: actor.id,
          createdAt: now,
        }));
        await tx.screeningDecision.createMany({ data: decisions });
        // only the columns the submitted-proposal trigger lets change (status and screening)
        await tx.proposal.updateMany({
          where: { id: { in: changes.map((c) => c.id) } },
          data: { status: input.outcome, screeningReason: reason ?? null, screenedAt: now, screenedById: actor.id },
        });
        await auditMany(
          tx,
          decisions.map((d, i) => ({
            actorId: actor.id,
            action: changes[i]!.reversesId ? "proposal.screening.reverse" : "proposal.screening.decide",
            objectType: "Proposal",
            objectId: d.proposalId,
            before: { status: changes[i]!.from, decisionId: changes[i]!.reversesId },
            after: { status: input.outcome, decisionId: d.id, reason: d.reason, bulk: changes.length > 1 },
          })),
        );
        if (screeningHooks.afterWrite) await screeningHooks.afterWrite(tx, changes.map((c) => c.id));
        await tell(tx, round, rows, changes, input.outcome, reason ?? "");
        return ok({ decided: changes.length, unchanged });
      },
      { maxWait: 20_000, timeout: 60_000 },
    );
  } catch (e) {
    return refusedOr(e);
  }
}

const OUTCOME_WORDS = {
  ELIGIBLE: { outcomeZh: "资格审查通过", outcomeEn: "eligible" },
  INELIGIBLE: { outcomeZh: "资格审查未通过", outcomeEn: "ineligible" },
} as const;

/** Inbox notices (one insert) and emails to every member with an account of each decided proposal's organization. */
async function tell(
  tx: Tx,
  round: { title: string },
  rows: { id: string; referenceNo: string | null; title: string; organizationId: string }[],
  changes: { id: string; reversesId: string | null }[],
  outcome: "ELIGIBLE" | "INELIGIBLE",
  reason: string,
) {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const orgIds = [...new Set(changes.map((c) => byId.get(c.id)!.organizationId))];
  const members = await tx.organizationMember.findMany({
    where: { organizationId: { in: orgIds }, userId: { not: null } },
    select: { organizationId: true, user: { select: { id: true, name: true, email: true, locale: true } } },
  });
  const notifications: Prisma.NotificationCreateManyInput[] = [];
  const emails: Parameters<typeof queueEmail<"screening-decision">>[1][] = [];
  for (const c of changes) {
    const p = byId.get(c.id)!;
    const reversal = !!c.reversesId;
    const kind = notificationKind(outcome, reversal);
    const link = `/proposals/${p.id}`;
    for (const m of members) {
      if (m.organizationId !== p.organizationId || !m.user) continue;
      const to = m.user.email;
      notifications.push({
        userId: m.user.id,
        kind,
        // the text is rendered in the reader's language when read: the outcome goes in both
        params: { referenceNo: p.referenceNo ?? "", title: p.title, reason, ...OUTCOME_WORDS[outcome] } as Prisma.InputJsonValue,
        link,
      });
      // a member who signed up with a mobile number only has the inbox notice
      if (to) emails.push({
        to,
        userId: m.user.id,
        locale: fromDbLocale(m.user.locale),
        template: "screening-decision",
        props: { name: m.user.name, referenceNo: p.referenceNo ?? "", title: p.title, roundTitle: round.title, outcome, reversal, reason, link: `${appUrl()}${link}` },
      });
    }
  }
  if (notifications.length) await tx.notification.createMany({ data: notifications });
  for (const e of emails) await queueEmail(tx, e);
}

// ───────────────────────────── the public list ─────────────────────────────

/**
 * The public list of a round's eligible proposals (reference, title, organization, community,
 * category, amount requested), by reference number, once the round is past screening. During
 * screening only the number submitted; before it, nothing. Drafts, withdrawn and ineligible
 * proposals never appear, nor any person's name. A round still being set up is 404.
 */
/**
 * The round of a public eligible list, read once for the page: the list and the public vote state
 * take it (404 for an unknown code or a round still in DRAFT).
 */
export async function eligibleListRound(code: string): Promise<ReviewRound> {
  const round = await reviewRoundByCode(db(), code);
  if (round.phase === "DRAFT") notFound();
  return round;
}

export async function publicEligibleList(codeOrRound: string | ReviewRound, query: EligibleListQuery, publicDataVersion?: string) {
  const round = typeof codeOrRound === "string" ? await eligibleListRound(codeOrRound) : codeOrRound;
  const state = eligibleListState(round.phase);
  // kept per public-data version when the request brings it (an anonymous visitor: ADR 020)
  const communities = publicDataVersion ? await communitiesMemo.get(publicDataVersion, new Date(), round.area.path) : await communitiesOf(db(), round.area.path);
  const base = {
    round: { code: round.code, title: round.title, phase: round.phase as string, area: { nameZh: round.area.nameZh, nameEn: round.area.nameEn } },
    state,
    categories: categoriesOf(round.categories),
    communities: communities.map(({ code: c, nameZh, nameEn }) => ({ code: c, nameZh, nameEn })),
  };
  if (state === "notYet") return { ...base, submitted: 0, total: 0, totalFen: 0, pager: NO_NUMBERED_PAGES, per: query.per, items: [], applicantsHidden: false };
  if (state === "screening") {
    const submitted = await db().proposal.count({ where: { roundId: round.id, status: { in: [...SCREENABLE_STATUSES] } } });
    return { ...base, submitted, total: 0, totalFen: 0, pager: NO_NUMBERED_PAGES, per: query.per, items: [], applicantsHidden: false };
  }
  // under blind review, judges must not be able to look an applicant up: organisations are public
  // only once the awards are published (the notice)
  const applicantsHidden = round.blindReview && !round.awardsPublishedAt;
  const community = query.community ? communities.find((c) => c.code === query.community) : null;
  const where: Prisma.ProposalWhereInput = {
    roundId: round.id,
    status: "ELIGIBLE",
    ...(query.community ? { communityId: community?.id ?? "-" } : {}),
    ...(query.category ? { category: query.category } : {}),
  };
  const agg = await db().proposal.aggregate({ where, _count: { _all: true }, _sum: { requestedFen: true } });
  const total = agg._count._all;
  const page = total
    ? await proposalPage({
        scope: JSON.stringify(["eligible", round.id, query.community, query.category]),
        cursor: query.cursor,
        page: query.page,
        per: query.per,
        total,
        where,
        select: { id: true, referenceNo: true, title: true, category: true, requestedFen: true },
      })
    : null;
  const rows = page?.items ?? [];
  const more = await rowDetails(rows.map((r) => r.id), false);
  return {
    ...base,
    submitted: 0,
    total,
    totalFen: agg._sum.requestedFen ?? 0,
    pager: page ? numberedLinksOf(page) : NO_NUMBERED_PAGES,
    per: query.per,
    items: rows.map((r) => ({
      referenceNo: r.referenceNo ?? "",
      title: r.title,
      category: r.category,
      requestedFen: r.requestedFen ?? 0,
      requested: formatFen(r.requestedFen ?? 0),
      organization: applicantsHidden ? null : more.get(r.id)!.organization,
      community: more.get(r.id)!.community,
    })),
    applicantsHidden,
  };
}

export type EligibleList = Awaited<ReturnType<typeof publicEligibleList>>;
