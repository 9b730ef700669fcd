import { z } from "zod";
import { DEFAULT_CATEGORIES, categoryName } from "~/domain/categories";
import { PAID_STATUSES } from "~/domain/donations";
import { fenToInput } from "~/domain/money";
import { parseNeedListQuery } from "~/domain/needs";
import { maskEmail } from "~/domain/pii";
import { categoriesOf } from "~/domain/rounds";
import { parseScreeningQuery } from "~/domain/screening";
import type { CellValue, ExportColumn, ExportDataset } from "~/domain/tabular-export";
import type { ExpenseStatus, Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db.server";
import { makeT, type Locale } from "~/lib/i18n";
import { localName } from "~/lib/names";
import { forbidden } from "~/lib/permissions.server";
import { dayStart, shanghaiDay, shanghaiIso } from "~/lib/time";
import type { Actor } from "~/services/accounts/actor.server";
import { requireFoundationManager } from "~/services/giving/access.server";
import { managerDonationConditions, parseManagerFilters } from "~/services/giving/foundation-pages.server";
import { adminNeedAreas, whereOf as needWhere } from "~/services/needs/needs.server";
import { officialProjectsWhere } from "~/services/projects/access.server";
import { parsePublicProjectQuery, publicProjectWhere } from "~/services/public/project-public.server";
import { roundForOfficial } from "~/services/review/access.server";
import { communitiesOf, screeningWhere } from "~/services/rounds/screening.server";

/**
 * One definition per dataset the officials export: who may (through the owning wing's
 * access.server.ts), which filters (the list page's own parser and where clause, so a download
 * holds exactly what the page lists), which columns, and how to read the rows in keyset batches.
 * Personal data is shown as the page shows it: residents who posted needs and people on
 * proposals are not in the files at all; a donor's e-mail address, which the managers' list does
 * not show, is masked.
 */

/** A dataset ready to stream: its filters as given (for the audit record), a count, and a keyset reader. */
export interface PreparedExport<R> {
  /** the filters applied, as they go into the audit record */
  filters: Record<string, string | null>;
  /** extra parts of the file name (area, round, foundation) */
  nameParts: (string | null)[];
  columns: ExportColumn<R>[];
  count: () => Promise<number>;
  fetch: (after: R | null, take: number) => Promise<R[]>;
}

type Definition = (actor: Pick<Actor, "id" | "grants">, search: URLSearchParams, locale: Locale) => Promise<PreparedExport<unknown>>;

/** A dataset's rows are its own business: the stream only hands them back to its columns. */
const erase = <R>(p: PreparedExport<R>) => p as unknown as PreparedExport<unknown>;

const yuan = (fen: number | bigint | null | undefined): number | null => (fen === null || fen === undefined ? null : Number(fenToInput(Number(fen))));
/** An instant as Asia/Shanghai "YYYY-MM-DD HH:mm". */
const when = (d: Date | null | undefined): string | null => (d ? shanghaiIso(d)!.slice(0, 16).replace("T", " ") : null);
const col = <R>(header: string, value: (row: R) => CellValue, width?: number): ExportColumn<R> => ({ header: `exports.col.${header}`, value, width });

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const validDay = (s: string | null) => (s && DAY.test(s) && !Number.isNaN(dayStart(s).getTime()) ? s : null);

// ───────────────────────────── needs ─────────────────────────────

interface NeedRow {
  number: number;
  title: string;
  category: string;
  status: string;
  voteCount: number;
  createdAt: Date;
  nameZh: string;
  nameEn: string;
  roundCode: string | null;
}

/** The officials' work list (/admin/needs): their areas, community, status (open by default), category, search. */
const needs: Definition = async (actor, search, locale) => {
  const query = parseNeedListQuery(search);
  const { areaIds } = await adminNeedAreas(actor, query);
  const status = query.status ?? "OPEN";
  const where = needWhere({ areaIds, category: query.category, status, roundId: null, q: query.q });
  const t = makeT(locale);
  const columns: ExportColumn<NeedRow>[] = [
    col("needNumber", (r) => r.number, 10),
    col("title", (r) => r.title, 40),
    col("community", (r) => localName(locale, r), 20),
    col("category", (r) => categoryName(DEFAULT_CATEGORIES, r.category, locale)),
    col("votes", (r) => r.voteCount, 10),
    col("status", (r) => t(`needs.status.${r.status}`), 12),
    col("postedAt", (r) => when(r.createdAt), 18),
    col("round", (r) => r.roundCode, 12),
  ];
  return erase<NeedRow>({
    filters: { community: query.community, status, category: query.category, q: query.q || null },
    nameParts: [query.community, status.toLowerCase()],
    columns,
    count: async () => (await db().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Need" n WHERE ${where}`)[0]!.n,
    // by number, the need's unique key: a range on its index however far the walk has come
    fetch: (after, take) => db().$queryRaw<NeedRow[]>`
      SELECT n.number, n.title, n.category, n.status::text AS status, n."voteCount", n."createdAt", a."nameZh", a."nameEn", r.code AS "roundCode"
        FROM "Need" n JOIN "Area" a ON a.id = n."areaId" LEFT JOIN "Round" r ON r.id = n."roundId"
       WHERE ${where} AND n.number > ${after?.number ?? 0}
       ORDER BY n.number
       LIMIT ${take}`,
  });
};

// ───────────────────────────── proposals ─────────────────────────────

const PROPOSAL_ROW = {
  referenceNo: true,
  title: true,
  status: true,
  category: true,
  requestedFen: true,
  submittedAt: true,
  organization: { select: { name: true } },
  community: { select: { nameZh: true, nameEn: true } },
  screening: { orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 1, select: { outcome: true, reason: true, createdAt: true } },
} as const satisfies Prisma.ProposalSelect;
type ProposalRow = Prisma.ProposalGetPayload<{ select: typeof PROPOSAL_ROW }>;

/** A round's screening queue (/admin/rounds/:code/screening): its officials; status, community, category, search. */
const proposals: Definition = async (actor, search, locale) => {
  const code = (search.get("round") ?? "").trim();
  if (!code) forbidden();
  const round = await roundForOfficial(actor, code);
  const query = parseScreeningQuery(search);
  const where = screeningWhere(round.id, await communitiesOf(db(), round.area.path), query);
  const t = makeT(locale);
  const categories = categoriesOf(round.categories);
  const columns: ExportColumn<ProposalRow>[] = [
    col("reference", (r) => r.referenceNo, 14),
    col("title", (r) => r.title, 40),
    col("organization", (r) => r.organization.name, 28),
    col("community", (r) => (r.community ? localName(locale, r.community) : null), 20),
    col("category", (r) => (r.category ? categoryName(categories, r.category, locale) : null)),
    col("requestedYuan", (r) => yuan(r.requestedFen)),
    col("status", (r) => t(`proposal.status.${r.status}`), 12),
    col("submittedAt", (r) => when(r.submittedAt), 18),
    col("screeningOutcome", (r) => (r.screening[0] ? t(`exports.outcome.${r.screening[0].outcome}`) : null), 12),
    col("screeningReason", (r) => r.screening[0]?.reason ?? null, 40),
    col("screenedAt", (r) => when(r.screening[0]?.createdAt), 18),
  ];
  return erase<ProposalRow>({
    filters: { round: round.code, status: query.status, community: query.community, category: query.category, q: query.q || null },
    nameParts: [round.code],
    columns,
    count: () => db().proposal.count({ where }),
    // by reference number, unique within the round (the queue's own order)
    fetch: (after, take) =>
      db().proposal.findMany({
        where: after ? { AND: [where, { referenceNo: { gt: after.referenceNo ?? "" } }] } : where,
        select: PROPOSAL_ROW,
        orderBy: { referenceNo: "asc" },
        take,
      }),
  });
};

// ───────────────────────────── projects ─────────────────────────────

const PROJECT_ROW = {
  id: true,
  referenceNo: true,
  title: true,
  category: true,
  status: true,
  awardFen: true,
  acceptedAt: true,
  closedAt: true,
  organization: { select: { name: true } },
  community: { select: { nameZh: true, nameEn: true } },
  round: { select: { code: true } },
} as const satisfies Prisma.ProjectSelect;
type ProjectRow = Prisma.ProjectGetPayload<{ select: typeof PROJECT_ROW }> & { releasedFen: number; spentFen: number };

/** The projects of the official's areas, with the project list's filters (/projects: round, community, status, search). */
const projects: Definition = async (actor, search, locale) => {
  const scope = officialProjectsWhere(actor);
  if (scope === null) forbidden();
  const query = parsePublicProjectQuery(search);
  const where: Prisma.ProjectWhereInput = { AND: [scope, await publicProjectWhere(query)] };
  const t = makeT(locale);
  const columns: ExportColumn<ProjectRow>[] = [
    col("reference", (r) => r.referenceNo, 14),
    col("title", (r) => r.title, 40),
    col("organization", (r) => r.organization.name, 28),
    col("round", (r) => r.round.code, 12),
    col("community", (r) => (r.community ? localName(locale, r.community) : null), 20),
    col("category", (r) => (r.category ? categoryName(DEFAULT_CATEGORIES, r.category, locale) : null)),
    col("status", (r) => t(`dashboard.status.${r.status}`), 14),
    col("awardYuan", (r) => yuan(r.awardFen)),
    col("releasedYuan", (r) => yuan(r.releasedFen)),
    col("spentYuan", (r) => yuan(r.spentFen)),
    col("acceptedAt", (r) => when(r.acceptedAt), 18),
    col("closedAt", (r) => when(r.closedAt), 18),
  ];
  return erase<ProjectRow>({
    filters: { round: query.round, community: query.community, status: query.status, q: query.q || null },
    nameParts: [query.community, query.round],
    columns,
    count: () => db().project.count({ where }),
    fetch: async (after, take) => {
      const rows = await db().project.findMany({
        where: after ? { AND: [where, { referenceNo: { gt: after.referenceNo } }] } : where,
        select: PROJECT_ROW,
        orderBy: { referenceNo: "asc" },
        take,
      });
      const ids = rows.map((r) => r.id);
      // the batch's money in two grouped reads, not two per project
      const [released, spent] = ids.length
        ? await Promise.all([
            db().tranche.groupBy({ by: ["projectId"], where: { projectId: { in: ids }, status: "RELEASED" }, _sum: { amountFen: true } }),
            db().expense.groupBy({ by: ["projectId"], where: { projectId: { in: ids }, status: "APPROVED" }, _sum: { amountFen: true } }),
          ])
        : [[], []];
      const sum = (groups: { projectId: string; _sum: { amountFen: number | null } }[]) => new Map(groups.map((g) => [g.projectId, g._sum.amountFen ?? 0]));
      const r = sum(released);
      const s = sum(spent);
      return rows.map((p) => ({ ...p, releasedFen: r.get(p.id) ?? 0, spentFen: s.get(p.id) ?? 0 }));
    },
  });
};

// ───────────────────────────── expenses ─────────────────────────────

const EXPENSE_STATUSES = ["SUBMITTED", "RETURNED", "APPROVED"] as const satisfies readonly ExpenseStatus[];
const ExpenseFilters = z.object({
  round: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/).transform((s) => s.toUpperCase()).nullable().catch(null),
  community: z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9-]{0,63}$/).nullable().catch(null),
  status: z.enum(EXPENSE_STATUSES).nullable().catch(null),
});

const EXPENSE_ROW = {
  id: true,
  createdAt: true,
  spentOn: true,
  payee: true,
  amountFen: true,
  description: true,
  status: true,
  duplicateReceipt: true,
  decidedAt: true,
  comment: true,
  budgetLine: { select: { item: true } },
  project: { select: { referenceNo: true, title: true, round: { select: { code: true } }, community: { select: { nameZh: true, nameEn: true } } } },
  _count: { select: { receipts: true } },
} as const satisfies Prisma.ExpenseSelect;
type ExpenseRow = Prisma.ExpenseGetPayload<{ select: typeof EXPENSE_ROW }>;

/**
 * Expenses of every project in the official's areas (each project's expenses page, area-wide):
 * round, community, status, and the days they were spent on (Asia/Shanghai, both ends included).
 */
const expenses: Definition = async (actor, search, locale) => {
  const scope = officialProjectsWhere(actor);
  if (scope === null) forbidden();
  const f = ExpenseFilters.parse({ round: search.get("round"), community: search.get("community"), status: search.get("status") });
  const from = validDay(search.get("from"));
  const to = validDay(search.get("to"));
  const and: Prisma.ExpenseWhereInput[] = [{ project: await publicProjectWhere({ round: f.round, community: f.community, status: null, q: "" }) }, { project: scope }];
  if (f.status) and.push({ status: f.status });
  if (from) and.push({ spentOn: { gte: dayStart(from) } });
  if (to) and.push({ spentOn: { lt: new Date(dayStart(to).getTime() + 86_400_000) } });
  const where: Prisma.ExpenseWhereInput = { AND: and };
  const t = makeT(locale);
  const yes = (b: boolean) => t(b ? "exports.yes" : "exports.no");
  const columns: ExportColumn<ExpenseRow>[] = [
    col("project", (r) => r.project.referenceNo, 14),
    col("projectTitle", (r) => r.project.title, 32),
    col("round", (r) => r.project.round.code, 12),
    col("community", (r) => (r.project.community ? localName(locale, r.project.community) : null), 20),
    col("spentOn", (r) => shanghaiDay(r.spentOn), 12),
    col("payee", (r) => r.payee, 24),
    col("amountYuan", (r) => yuan(r.amountFen)),
    col("budgetLine", (r) => r.budgetLine?.item ?? t("exports.outsideBudget"), 20),
    col("description", (r) => r.description, 40),
    col("receipts", (r) => r._count.receipts, 10),
    col("duplicateReceipt", (r) => yes(r.duplicateReceipt), 10),
    col("status", (r) => t(`monitoring.expenseStatus.${r.status}`), 12),
    col("submittedAt", (r) => when(r.createdAt), 18),
    col("decidedAt", (r) => when(r.decidedAt), 18),
    col("comment", (r) => r.comment, 32),
  ];
  return erase<ExpenseRow>({
    filters: { round: f.round, community: f.community, status: f.status, from, to },
    nameParts: [f.community, f.round],
    columns,
    count: () => db().expense.count({ where }),
    // oldest first by (createdAt, id): an index range however far the walk has come
    fetch: (after, take) =>
      db().expense.findMany({
        where: after ? { AND: [where, { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] }] } : where,
        select: EXPENSE_ROW,
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take,
      }),
  });
};

// ───────────────────────────── donations ─────────────────────────────

const DONATION_ROW = {
  id: true,
  ref: true,
  createdAt: true,
  paidAt: true,
  donorName: true,
  anonymous: true,
  email: true,
  method: true,
  frequency: true,
  amountFen: true,
  refundedFen: true,
  matchedFen: true,
  status: true,
  receiptNo: true,
  round: { select: { code: true } },
  project: { select: { referenceNo: true } },
  matches: { select: { returnedFen: true } },
} as const satisfies Prisma.DonationSelect;
type DonationRow = Prisma.DonationGetPayload<{ select: typeof DONATION_ROW }>;

/**
 * A foundation's gifts (/admin/foundations/:slug): its managers and the administrators above it
 * (giving/access.server.ts); status, days, search. Newest first as the page lists them.
 */
const donations: Definition = async (actor, search, locale) => {
  const slug = (search.get("foundation") ?? "").trim();
  if (!slug) forbidden();
  const foundation = await requireFoundationManager(actor, slug);
  const filters = parseManagerFilters(search);
  const where: Prisma.DonationWhereInput = { AND: managerDonationConditions(foundation.id, filters) };
  const t = makeT(locale);
  const columns: ExportColumn<DonationRow>[] = [
    col("donationRef", (r) => r.ref, 16),
    col("date", (r) => when(r.paidAt ?? r.createdAt), 18),
    col("donor", (r) => r.donorName, 20),
    col("anonymous", (r) => t(r.anonymous ? "exports.yes" : "exports.no"), 10),
    // the list does not show addresses: masked, enough to recognise a donor, not to write to them
    col("email", (r) => maskEmail(r.email), 24),
    col("method", (r) => t(`donation.method.${r.method}`), 12),
    col("monthly", (r) => t(r.frequency === "MONTHLY" ? "exports.yes" : "exports.no"), 10),
    col("amountYuan", (r) => yuan(r.amountFen)),
    col("refundedYuan", (r) => yuan(r.refundedFen)),
    col("matchedYuan", (r) => yuan(r.matchedFen - r.matches.reduce((s, m) => s + m.returnedFen, 0))),
    col("status", (r) => t(`foundationAdmin.status.${r.status}`), 12),
    col("paid", (r) => t((PAID_STATUSES as readonly string[]).includes(r.status) ? "exports.yes" : "exports.no"), 10),
    col("receipt", (r) => r.receiptNo, 18),
    col("earmark", (r) => r.project?.referenceNo ?? r.round?.code ?? null, 14),
  ];
  return erase<DonationRow>({
    filters: { foundation: foundation.slug, status: filters.status, from: filters.from, to: filters.to, q: filters.q || null },
    nameParts: [foundation.slug],
    columns,
    count: () => db().donation.count({ where }),
    fetch: (after, take) =>
      db().donation.findMany({
        where: after ? { AND: [where, { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }] } : where,
        select: DONATION_ROW,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take,
      }),
  });
};

export const DATASETS: Record<ExportDataset, Definition> = { needs, proposals, projects, expenses, donations };

/** Rows per keyset read: large enough to keep the round trips few, small enough to hold. */
export const EXPORT_BATCH_SIZE = 500;
