import { db } from "~/lib/db.server";
import { accountCodes } from "~/domain/ledger";
import { balanceFen } from "~/services/books/ledger.server";
import { areaLife } from "./area-life.server";

/**
 * Figures for the public home page, in one statement (one round trip instead of six queries and
 * one per foundation): the home page is the most visited page, rendered for every visitor the
 * public-page cache does not answer. Funds are the foundations' available balances, from the
 * ledger's running totals (docs/decisions/019-ledger-running-totals.md).
 */
export async function homeStats() {
  // the available account's code around a foundation's id, as the ledger's domain spells it
  const [codePrefix, codeSuffix] = accountCodes.foundationAvailable("\u0000").split("\u0000");
  const [row] = await db().$queryRaw<
    { communities: number; villages: number; residents: bigint; foundations: number; organizations: number; fundsFen: bigint }[]
  >`
    SELECT (SELECT count(*) FROM "Area" WHERE level = 'COMMUNITY')::int AS communities,
           (SELECT count(*) FROM "Area" WHERE level = 'VILLAGE')::int AS villages,
           (SELECT coalesce(sum(residents), 0) FROM "Area" WHERE level IN ('COMMUNITY', 'VILLAGE'))::bigint AS residents,
           (SELECT count(*) FROM "Foundation")::int AS foundations,
           (SELECT count(*) FROM "Organization")::int AS organizations,
           (SELECT coalesce(sum(t."balanceFen"), 0) FROM "Foundation" f
              JOIN "LedgerAccount" a ON a.code = ${codePrefix} || f.id || ${codeSuffix}
              JOIN "LedgerAccountTotal" t ON t."accountId" = a.id)::bigint AS "fundsFen"`;
  return {
    communities: row!.communities,
    villages: row!.villages,
    residents: Number(row!.residents),
    foundations: row!.foundations,
    organizations: row!.organizations,
    fundsFen: Number(row!.fundsFen),
  };
}

export type AreaLevelName = "CITY" | "DISTRICT" | "SUBDISTRICT" | "COMMUNITY" | "VILLAGE";

/** One area as public pages show it. */
export interface AreaNode {
  code: string;
  nameZh: string;
  nameEn: string;
  level: AreaLevelName;
  residents: number | null;
  /** compounds (小区) of a community, village groups (村小组) of a village */
  subunits: number | null;
  children: AreaNode[];
  totals: AreaTotals;
}

export interface AreaTotals {
  communities: number;
  villages: number;
  residents: number;
  compounds: number;
  villageGroups: number;
}

const areaSelect = {
  id: true,
  code: true,
  nameZh: true,
  nameEn: true,
  level: true,
  path: true,
  parentId: true,
  residents: true,
  subunits: true,
  sortOrder: true,
} as const;

type AreaRow = {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  level: AreaLevelName;
  path: string;
  parentId: string | null;
  residents: number | null;
  subunits: number | null;
  sortOrder: number;
};

/** Builds nodes for `rows` (any subtree, ordered by sortOrder), with totals summed bottom-up. */
function buildTree(rows: AreaRow[], rootIds: string[]): AreaNode[] {
  const byParent = new Map<string | null, AreaRow[]>();
  for (const r of rows) {
    const list = byParent.get(r.parentId) ?? [];
    list.push(r);
    byParent.set(r.parentId, list);
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  const node = (r: AreaRow): AreaNode => {
    const children = (byParent.get(r.id) ?? []).map(node);
    const leaf = r.level === "COMMUNITY" || r.level === "VILLAGE";
    const totals: AreaTotals = leaf
      ? {
          communities: r.level === "COMMUNITY" ? 1 : 0,
          villages: r.level === "VILLAGE" ? 1 : 0,
          residents: r.residents ?? 0,
          compounds: r.level === "COMMUNITY" ? (r.subunits ?? 0) : 0,
          villageGroups: r.level === "VILLAGE" ? (r.subunits ?? 0) : 0,
        }
      : children.reduce(
          (sum, c) => ({
            communities: sum.communities + c.totals.communities,
            villages: sum.villages + c.totals.villages,
            residents: sum.residents + c.totals.residents,
            compounds: sum.compounds + c.totals.compounds,
            villageGroups: sum.villageGroups + c.totals.villageGroups,
          }),
          { communities: 0, villages: 0, residents: 0, compounds: 0, villageGroups: 0 },
        );
    return {
      code: r.code,
      nameZh: r.nameZh,
      nameEn: r.nameEn,
      level: r.level,
      residents: r.residents,
      subunits: r.subunits,
      children,
      totals,
    };
  };
  return rootIds.map((id) => byId.get(id)).filter((r): r is AreaRow => !!r).map(node);
}

const ordered = [{ sortOrder: "asc" as const }, { nameZh: "asc" as const }];

/** The whole public area tree: districts → subdistricts → communities and villages, with totals. */
export async function areaTree(): Promise<AreaNode[]> {
  const rows = (await db().area.findMany({ select: areaSelect, orderBy: ordered })) as AreaRow[];
  return buildTree(rows, rows.filter((r) => r.parentId === null).map((r) => r.id));
}

/** Public page of one area: where it sits, what is below it, foundations and organizations. */
export async function areaDetail(code: string) {
  const area = (await db().area.findUnique({ where: { code }, select: areaSelect })) as AreaRow | null;
  if (!area) return null;
  const subtree = (await db().area.findMany({ where: { path: { startsWith: area.path } }, select: areaSelect, orderBy: ordered })) as AreaRow[];
  const [tree] = buildTree(subtree, [area.id]);
  // ancestors are the areas whose path is a prefix of this one
  const prefixes = area.path
    .split("/")
    .filter(Boolean)
    .map((_, i, segs) => `/${segs.slice(0, i + 1).join("/")}/`)
    .slice(0, -1);
  const ancestors = await db().area.findMany({
    where: { path: { in: prefixes } },
    select: { code: true, nameZh: true, nameEn: true, level: true, path: true },
    orderBy: { path: "asc" },
  });
  const [organizations, foundations] = await Promise.all([
    db().organization.count({ where: { area: { path: { startsWith: area.path } } } }),
    // foundations of this area, of the areas above it (they serve it too) and below it
    db().foundation.findMany({
      where: { OR: [{ area: { path: { startsWith: area.path } } }, { area: { path: { in: prefixes } } }] },
      select: { id: true, slug: true, nameZh: true, nameEn: true, area: { select: { code: true, nameZh: true, nameEn: true } } },
      orderBy: { nameZh: "asc" },
    }),
  ]);
  return {
    area: tree!,
    ancestors: ancestors.map(({ code, nameZh, nameEn, level }) => ({ code, nameZh, nameEn, level })),
    life: await areaLife(area, subtree.map((a) => a.id), prefixes),
    organizations,
    foundations: await Promise.all(foundations.map(async ({ id, ...f }) => ({ ...f, balanceFen: await balanceFen(db(), accountCodes.foundationAvailable(id)) }))),
  };
}

/** Areas an organization can belong to: each subdistrict followed by its communities and villages. */
export async function organizationAreaOptions() {
  const rows = await db().area.findMany({
    where: { level: { in: ["SUBDISTRICT", "COMMUNITY", "VILLAGE"] } },
    select: { id: true, nameZh: true, nameEn: true, level: true, path: true, parentId: true },
    orderBy: [{ sortOrder: "asc" }, { nameZh: "asc" }],
  });
  const subdistricts = rows.filter((r) => r.level === "SUBDISTRICT").sort((a, b) => a.path.localeCompare(b.path));
  const placed = new Set<string>();
  const out: { id: string; nameZh: string; nameEn: string; level: string }[] = [];
  const push = (r: (typeof rows)[number]) => {
    placed.add(r.id);
    out.push({ id: r.id, nameZh: r.nameZh, nameEn: r.nameEn, level: r.level });
  };
  for (const s of subdistricts) {
    push(s);
    for (const c of rows) if (c.parentId === s.id) push(c);
  }
  for (const r of rows) if (!placed.has(r.id)) push(r);
  return out;
}
