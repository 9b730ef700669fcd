import { paidFen } from "~/domain/agreement";
import sharp from "sharp";
import type { Prisma, ProjectStatus } from "~/generated/prisma/client";
import { pageOf } from "~/domain/money";
import { escapeLike, normalizeSearch } from "~/domain/needs";
import { type Client, db } from "~/lib/db.server";
import { notFound } from "~/lib/permissions.server";
import { milestoneSelect } from "~/services/projects/access.server";
import { approvedOnly, isPublicProjectStatus } from "./access.server";
import { readUpload, uploadResponse } from "~/lib/uploads.server";

/**
 * The public side of funded projects (两公开, PRODUCT.md "Transparency"): the list of every
 * funded project and the public page of one. Public without signing in, so everything here is
 * read through explicit `select`s of public fields only (docs/decisions/010-public-project-pages.md):
 *
 * - never a beneficiary (names, phones, ciphertexts): call-backs appear as counts of outcomes;
 * - never drafts, submitted or returned reports, nor officials' comments; approved reports only;
 * - never a bank transfer reference, payee, receipt image or who prepared/approved a payment;
 * - expenses: approved ones only, with date, budget line, amount, a short description, and the
 *   receipts as a count and the first 12 hex digits of each SHA-256.
 */

export const PROJECT_LIST_PAGE_SIZE = 20;
export const PROJECT_EXPENSE_PAGE_SIZE = 50;
/** characters of an expense description shown publicly */
export const EXPENSE_DESCRIPTION_MAX = 120;
/** hex digits of a receipt's SHA-256 shown publicly */
export const RECEIPT_HASH_PREFIX = 12;

const AREA_CODE = /^[a-z0-9][a-z0-9-]{0,63}$/;
const ROUND_CODE = /^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/;

export interface PublicProjectQuery {
  round: string | null;
  community: string | null;
  status: ProjectStatus | null;
  q: string;
  page: number;
}

/** The list's query string, with safe defaults for anything missing or malformed. */
export function parsePublicProjectQuery(params: URLSearchParams): PublicProjectQuery {
  const round = params.get("round")?.trim() ?? "";
  const community = params.get("community")?.trim().toLowerCase() ?? "";
  const status = params.get("status") ?? "";
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  return {
    round: ROUND_CODE.test(round) ? round.toUpperCase() : null,
    community: AREA_CODE.test(community) ? community : null,
    status: isPublicProjectStatus(status) ? status : null,
    q: normalizeSearch(params.get("q")),
    page: Number.isFinite(page) && page >= 1 ? page : 1,
  };
}

/**
 * fen released per project (its RELEASED tranches), for the given projects: their running totals
 * (ProjectTotal, kept by the database as tranches are released; docs/decisions/021), one row each.
 */
async function releasedByProject(client: Client, projectIds: string[]): Promise<Map<string, number>> {
  if (projectIds.length === 0) return new Map();
  const rows = await client.projectTotal.findMany({ where: { projectId: { in: projectIds } }, select: { projectId: true, releasedFen: true } });
  return new Map(rows.map((r) => [r.projectId, Number(r.releasedFen)]));
}

/** The list's filters as a where clause (the officials' export adds their scope to the same one). */
export async function publicProjectWhere(query: Pick<PublicProjectQuery, "round" | "community" | "status" | "q">, client: Client = db()): Promise<Prisma.ProjectWhereInput> {
  const where: Prisma.ProjectWhereInput = {};
  if (query.round) where.round = { code: query.round };
  if (query.status) where.status = query.status;
  if (query.community) {
    const area = await client.area.findUnique({ where: { code: query.community }, select: { path: true } });
    // an unknown area matches nothing rather than everything (paths start with "/")
    where.areaPath = area ? { startsWith: area.path } : "-";
  }
  // Prisma's `contains` is a LIKE that leaves % and _ as wildcards: escape them (backslash is
  // PostgreSQL's default LIKE escape)
  const terms = query.q.split(" ").filter(Boolean).slice(0, 5).map(escapeLike);
  if (terms.length) {
    where.AND = terms.map((term) => ({
      OR: [{ title: { contains: term, mode: "insensitive" as const } }, { referenceNo: { contains: term, mode: "insensitive" as const } }],
    }));
  }
  return where;
}

/** Every funded project, filtered and paginated (20 a page), newest round first. */
export async function listPublicProjects(query: PublicProjectQuery, client: Client = db()) {
  const where = await publicProjectWhere(query, client);
  const total = await client.project.count({ where });
  const { page, pages, skip, take } = pageOf(query.page, total, PROJECT_LIST_PAGE_SIZE);
  const rows = await client.project.findMany({
    where,
    select: {
      id: true,
      referenceNo: true,
      title: true,
      status: true,
      awardFen: true,
      organization: { select: { name: true } },
      community: { select: { code: true, nameZh: true, nameEn: true } },
      round: { select: { code: true, title: true, titleEn: true } },
    },
    orderBy: [{ round: { implementationStartsAt: "desc" } }, { referenceNo: "asc" }],
    skip,
    take,
  });
  const released = await releasedByProject(
    client,
    rows.map((r) => r.id),
  );
  const items = rows.map(({ id, organization, ...r }) => ({ ...r, organization: organization.name, releasedFen: released.get(id) ?? 0 }));
  return { items, total, page, pages };
}

/** What the list's filters offer: rounds that have funded projects, and the areas. */
export async function publicProjectFilters(client: Client = db()) {
  const [rounds, areas] = await Promise.all([
    client.round.findMany({ where: { projects: { some: {} } }, select: { code: true, title: true, titleEn: true }, orderBy: [{ implementationStartsAt: "desc" }, { code: "asc" }] }),
    client.area.findMany({
      where: { OR: [{ projects: { some: {} } }, { level: "SUBDISTRICT" }] },
      select: { code: true, nameZh: true, nameEn: true, level: true, path: true },
      orderBy: [{ path: "asc" }],
    }),
  ]);
  // subdistricts that contain a community with projects, each followed by those communities
  const communities = areas.filter((a) => a.level !== "SUBDISTRICT");
  const groups = areas
    .filter((a) => a.level === "SUBDISTRICT")
    .map((s) => ({
      code: s.code,
      nameZh: s.nameZh,
      nameEn: s.nameEn,
      communities: communities.filter((c) => c.path.startsWith(s.path)).map(({ code, nameZh, nameEn }) => ({ code, nameZh, nameEn })),
    }))
    .filter((g) => g.communities.length > 0);
  return { rounds, groups };
}

/** Reference numbers of a round's funded projects, by proposal id (links from the notice). */
export async function projectRefsOfRound(roundCode: string, client: Client = db()): Promise<Record<string, string>> {
  const rows = await client.project.findMany({ where: { round: { code: roundCode } }, select: { proposalId: true, referenceNo: true } });
  return Object.fromEntries(rows.map((r) => [r.proposalId, r.referenceNo]));
}

export type PublicTrancheState = "RELEASED" | "HELD" | "PENDING";
export type Satisfaction = { SATISFIED: number; PARTLY: number; NOT_SATISFIED: number; UNREACHED: number; pending: number };

/** Public fields of the frozen agreement terms (a Json column: read defensively). */
function termsSummary(terms: unknown): { summary: string; beneficiaryCount: number | null } {
  const t = terms && typeof terms === "object" ? (terms as Record<string, unknown>) : {};
  return {
    summary: typeof t.summary === "string" ? t.summary : "",
    beneficiaryCount: typeof t.beneficiaryCount === "number" && Number.isSafeInteger(t.beneficiaryCount) ? t.beneficiaryCount : null,
  };
}

const shorten = (s: string, max: number) => {
  const chars = [...s.replace(/\s+/g, " ").trim()];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : chars.join("");
};

/**
 * Everything the public page of one funded project shows. 404 for an unknown reference.
 * `expensePage` pages the approved expenses (50 a page, newest first).
 */
export async function publicProject(referenceNo: string, opts: { expensePage?: unknown } = {}, client: Client = db()) {
  const project = await client.project.findUnique({
    where: { referenceNo },
    select: {
      id: true,
      referenceNo: true,
      title: true,
      status: true,
      category: true,
      awardFen: true,
      terms: true,
      acceptedAt: true,
      countersignedAt: true,
      closedAt: true,
      unspentReturnedFen: true,
      organization: { select: { id: true, name: true } },
      community: { select: { code: true, nameZh: true, nameEn: true } },
      round: { select: { code: true, title: true, titleEn: true, area: { select: { code: true, nameZh: true, nameEn: true } } } },
    },
  });
  if (!project) notFound();
  const { id, terms, round, ...rest } = project;

  const [tranches, milestones, lines, lineTotals, totals, sampled] = await Promise.all([
    client.tranche.findMany({
      where: { projectId: id },
      select: { position: true, percent: true, amountFen: true, trigger: true, status: true, releasedAt: true, milestone: { select: { position: true } } },
      orderBy: { position: "asc" },
    }),
    client.projectMilestone.findMany({
      where: { projectId: id },
      select: {
        ...milestoneSelect,
        reports: {
          where: approvedOnly,
          select: {
            id: true,
            narrative: true,
            beneficiariesServed: true,
            submittedAt: true,
            decidedAt: true,
            files: { where: { kind: "PHOTO" }, select: { id: true, caption: true, thumbnailUploadId: true }, orderBy: { createdAt: "asc" } },
          },
          orderBy: { decidedAt: "asc" },
        },
      },
      orderBy: { position: "asc" },
    }),
    client.projectBudgetLine.findMany({
      where: { projectId: id },
      select: { id: true, position: true, category: true, item: true, agreedFen: true, budgetFen: true },
      orderBy: { position: "asc" },
    }),
    // approved spending per line and in all, and the calls by outcome, as running totals (docs/decisions/021): a few rows, however many expenses and calls
    client.budgetLineTotal.findMany({ where: { projectId: id }, select: { budgetLineId: true, spentFen: true } }),
    client.projectTotal.findUnique({
      where: { projectId: id },
      select: { spentFen: true, approvedExpenses: true, offBudgetFen: true, callsSatisfied: true, callsPartly: true, callsNotSatisfied: true, callsUnreached: true, callsPending: true },
    }),
    client.callSample.count({ where: { projectId: id } }),
  ]);

  const spentByLine = new Map(lineTotals.map((s) => [s.budgetLineId, Number(s.spentFen)]));
  const budgetLines = lines.map(({ id: lineId, ...l }) => {
    const spentFen = spentByLine.get(lineId) ?? 0;
    return { ...l, spentFen, usedPercent: l.budgetFen > 0 ? Math.round((spentFen * 100) / l.budgetFen) : null };
  });
  const offBudgetFen = Number(totals?.offBudgetFen ?? 0);
  const budgetTotalFen = lines.reduce((s, l) => s + l.budgetFen, 0);
  const spentTotalFen = Number(totals?.spentFen ?? 0);
  const expenseCount = totals?.approvedExpenses ?? 0;

  const expensePaging = pageOf(opts.expensePage, expenseCount, PROJECT_EXPENSE_PAGE_SIZE);
  const expenseRows = await client.expense.findMany({
    where: { projectId: id, ...approvedOnly },
    select: {
      id: true,
      spentOn: true,
      amountFen: true,
      description: true,
      budgetLine: { select: { position: true, item: true } },
      receipts: { select: { sha256: true }, orderBy: { createdAt: "asc" } },
    },
    orderBy: [{ spentOn: "desc" }, { createdAt: "desc" }],
    skip: expensePaging.skip,
    take: expensePaging.take,
  });
  const expenses = expenseRows.map((e) => ({
    id: e.id,
    spentOn: e.spentOn,
    amountFen: e.amountFen,
    description: shorten(e.description, EXPENSE_DESCRIPTION_MAX),
    budgetLine: e.budgetLine,
    receiptCount: e.receipts.length,
    receiptHashes: e.receipts.map((r) => r.sha256.slice(0, RECEIPT_HASH_PREFIX)),
  }));

  // call-backs by outcome, as counts (never a beneficiary): the project's running totals
  const satisfaction: Satisfaction = {
    SATISFIED: totals?.callsSatisfied ?? 0,
    PARTLY: totals?.callsPartly ?? 0,
    NOT_SATISFIED: totals?.callsNotSatisfied ?? 0,
    UNREACHED: totals?.callsUnreached ?? 0,
    pending: totals?.callsPending ?? 0,
  };

  const releasedFen = paidFen(tranches);
  return {
    project: { ...rest, ...termsSummary(terms), round: { code: round.code, title: round.title, titleEn: round.titleEn, area: round.area }, releasedFen },
    tranches: tranches.map((t) => ({
      position: t.position,
      percent: t.percent,
      amountFen: t.amountFen,
      trigger: t.trigger,
      milestonePosition: t.milestone?.position ?? null,
      state: (t.status === "RELEASED" ? "RELEASED" : t.status === "HELD" ? "HELD" : "PENDING") as PublicTrancheState,
      // only a released tranche has a public date; preparation is internal
      releasedAt: t.status === "RELEASED" ? t.releasedAt : null,
    })),
    milestones: milestones.map((m) => ({
      ...m,
      reports: m.reports.map(({ files, ...r }) => ({
        ...r,
        photos: files.map((f) => ({ id: f.id, caption: f.caption, hasThumbnail: !!f.thumbnailUploadId })),
      })),
    })),
    budget: { lines: budgetLines, offBudgetFen, budgetTotalFen, spentTotalFen },
    expenses: { items: expenses, total: expenseCount, page: expensePaging.page, pages: expensePaging.pages },
    satisfaction,
    callSamples: sampled,
  };
}

export type PublicProject = Awaited<ReturnType<typeof publicProject>>;

/** Whether the signed-in actor works on this project: a rule of public/access.server.ts, where the project page has always found it. */
export { workspaceAccess } from "./access.server";

/**
 * The upload of a photo (or of its thumbnail) of an APPROVED report of this project, else null.
 * Not found, not a photo, another project's, or a report not (yet) approved: all the same null.
 */
export async function publicPhotoUpload(
  referenceNo: string,
  fileId: string,
  thumb: boolean,
  client: Client = db(),
): Promise<{ uploadId: string; isThumbnail: boolean } | null> {
  const file = await client.reportFile.findFirst({
    where: { id: fileId, kind: "PHOTO", report: { ...approvedOnly, project: { referenceNo } } },
    select: { uploadId: true, thumbnailUploadId: true },
  });
  if (!file) return null;
  if (thumb && file.thumbnailUploadId) return { uploadId: file.thumbnailUploadId, isThumbnail: true };
  return { uploadId: file.uploadId, isThumbnail: false };
}

const IMAGE_OUTPUT: Record<string, "jpeg" | "png" | "webp"> = { "image/jpeg": "jpeg", "image/png": "png", "image/webp": "webp" };
// as lib/thumbnails.server.ts: refuse to decode anything larger (decompression bombs)
const MAX_PIXELS = 60_000_000;

/**
 * The public response for a report photo. An original is re-encoded without metadata (EXIF can
 * carry the GPS position where it was taken, e.g. a beneficiary's home, and the camera owner's
 * name); thumbnails were made without metadata (lib/thumbnails.server.ts) and are served as they
 * are. Cacheable by shared caches for an hour and kept out of image search. 404 for anything
 * `publicPhotoUpload` refuses.
 */
export async function publicPhotoResponse(referenceNo: string, fileId: string, thumb: boolean): Promise<Response> {
  const found = await publicPhotoUpload(referenceNo, fileId, thumb);
  if (!found) notFound();
  const upload = await readUpload(found.uploadId);
  if (!upload) notFound();
  const format = IMAGE_OUTPUT[upload.row.mimeType];
  // only images are public photos
  if (!format) notFound();
  let bytes = upload.bytes;
  if (!found.isThumbnail) {
    // reading the header is cheap; re-encoding a 12-megapixel photo takes about a second here, so
    // only photos that carry metadata are re-encoded (none if uploads were stripped when saved)
    const meta = await sharp(upload.bytes, { limitInputPixels: MAX_PIXELS }).metadata();
    if (meta.exif || meta.xmp || meta.iptc || meta.comments?.length) {
      // sharp keeps no metadata unless asked to; rotate() first applies the EXIF orientation
      bytes = new Uint8Array(await sharp(upload.bytes, { limitInputPixels: MAX_PIXELS }).rotate().toFormat(format).toBuffer());
    }
  }
  const response = uploadResponse({ row: upload.row, bytes }, { inline: true });
  response.headers.set("Cache-Control", "public, max-age=3600");
  response.headers.set("X-Robots-Tag", "noindex, noimageindex");
  return response;
}
