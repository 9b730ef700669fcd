import ExcelJS from "exceljs";
import { alertDetail } from "~/domain/alerts";
import { fenToInput } from "~/domain/money";
import { COMPONENTS, isQuarter, quarterOf } from "~/domain/org-ranking";
import type { Actor } from "~/services/accounts/actor.server";
import { db } from "~/lib/db.server";
import { translate, type Locale } from "~/lib/i18n";
import { dashboardArea } from "./access.server";
import { dashboardFigures, inArea } from "./dashboard.server";

/**
 * The officials' dashboard as an XLSX workbook (house style of results-export.server.ts: plain
 * sheets, bold header row, money in yuan with a fen column beside it). Sheets: communities,
 * categories, projects, alerts, ranking. Same permission as the page (the area's officials).
 */

export const DASHBOARD_SHEETS = ["communities", "categories", "projects", "alerts", "ranking"] as const;

const yuan = (fen: number) => Number(fenToInput(fen));

interface ProjectExportRow {
  referenceNo: string;
  title: string;
  organization: string;
  community: string | null;
  category: string | null;
  status: string;
  awardFen: number;
  released: bigint;
  spent: bigint;
  openAlerts: number;
}

/** One row per project of the area, with its running totals (ProjectTotal), in one query (for the export only). */
async function projectRows(path: string) {
  return db().$queryRaw<ProjectExportRow[]>`
    SELECT p."referenceNo", p.title, o.name AS organization, c."nameZh" AS community, p.category, p.status::text AS status, p."awardFen",
           coalesce(t."releasedFen", 0)::bigint AS released, coalesce(t."spentFen", 0)::bigint AS spent,
           (SELECT count(*) FROM "ProjectAlert" a WHERE a."projectId" = p.id AND a."resolvedAt" IS NULL)::int AS "openAlerts"
      FROM "Project" p
      JOIN "Organization" o ON o.id = p."organizationId"
      LEFT JOIN "Area" c ON c.id = p."communityId"
      LEFT JOIN "ProjectTotal" t ON t."projectId" = p.id
     WHERE ${inArea(path)}
     ORDER BY p."referenceNo"`;
}

export async function dashboardWorkbook(viewer: Pick<Actor, "id" | "grants">, query: { area?: string | null; quarter?: string | null }, locale: Locale, now = new Date()) {
  // the page's own resolution and permission check (403 / 404 for an area the viewer does not oversee)
  const area = await dashboardArea(viewer, query.area);
  const quarter = isQuarter(query.quarter) ? query.quarter : quarterOf(now);
  const all = await dashboardFigures(area, { quarter, now, allAlerts: true });
  const t = (k: string, p?: Record<string, string | number>) => translate(locale, k, p);
  const name = (zh: string, en: string) => (locale === "en" ? en || zh : zh);

  const workbook = new ExcelJS.Workbook();
  workbook.created = now;
  const sheet = (key: (typeof DASHBOARD_SHEETS)[number], head: string[], rows: (string | number | null)[][]) => {
    const ws = workbook.addWorksheet(key);
    ws.addRow(head);
    for (const r of rows) ws.addRow(r);
    ws.getRow(1).font = { bold: true };
    ws.views = [{ state: "frozen", ySplit: 1 }];
  };
  const moneyHead = ["projects", "allocated_yuan", "released_yuan", "spent_yuan", "unspent_yuan", "allocated_fen", "released_fen", "spent_fen", "unspent_fen"];
  const moneyCells = (r: { projects: number; allocatedFen: number; releasedFen: number; spentFen: number; unspentFen: number }) => [
    r.projects,
    yuan(r.allocatedFen),
    yuan(r.releasedFen),
    yuan(r.spentFen),
    yuan(r.unspentFen),
    r.allocatedFen,
    r.releasedFen,
    r.spentFen,
    r.unspentFen,
  ];

  sheet(
    "communities",
    ["community", ...moneyHead, "calls_reached", "satisfied", "partly", "not_satisfied", "unreached", "satisfaction"],
    [
      ...all.communities.map((c) => [
        c.areaId ? name(c.nameZh, c.nameEn) : t("dashboard.noCommunity"),
        ...moneyCells(c),
        c.callsReached,
        c.callsSatisfied,
        c.callsPartly,
        c.callsNotSatisfied,
        c.callsUnreached,
        c.satisfaction,
      ]),
      [t("dashboard.total"), ...moneyCells(all.total)],
    ],
  );
  sheet("categories", ["category", ...moneyHead], all.categories.map((c) => [c.key ? name(c.nameZh, c.nameEn) : t("dashboard.noCategory"), ...moneyCells(c)]));
  sheet(
    "projects",
    ["reference", "project", "organization", "community", "category", "status", "award_yuan", "released_yuan", "spent_yuan", "unspent_yuan", "award_fen", "released_fen", "spent_fen", "open_alerts"],
    (await projectRows(area.path)).map((p) => {
      const released = Number(p.released);
      const spent = Number(p.spent);
      return [p.referenceNo, p.title, p.organization, p.community ?? "", p.category ?? "", t(`dashboard.status.${p.status}`), yuan(p.awardFen), yuan(released), yuan(spent), yuan(released - spent), p.awardFen, released, spent, p.openAlerts];
    }),
  );
  sheet(
    "alerts",
    ["kind", "reference", "project", "community", "detail", "opened_at"],
    all.alerts.map((a) => {
      const d = alertDetail(a.kind, a.params);
      return [t(`alerts.kind.${a.kind}`), a.referenceNo, a.title, (locale === "en" ? a.communityEn : a.communityZh) ?? "", t(d.key, d.params), a.openedAt];
    }),
  );
  sheet(
    "ranking",
    ["rank", "organization", ...COMPONENTS, "combined", "flagged", `weights ${COMPONENTS.map((c) => all.weights[c]).join("/")}`, "quarter"],
    all.ranking.map((r) => [r.rank, r.name, ...COMPONENTS.map((c) => r.components[c]), r.combined, r.flagged ? t("dashboard.ranking.flagged") : "", "", quarter]),
  );
  const buffer = await workbook.xlsx.writeBuffer();
  return { buffer: new Uint8Array(buffer as ArrayBuffer), filename: `dashboard-${area.code}-${quarter}.xlsx` };
}

export async function dashboardExport(viewer: Pick<Actor, "id" | "grants">, query: { area?: string | null; quarter?: string | null }, locale: Locale): Promise<Response> {
  const { buffer, filename } = await dashboardWorkbook(viewer, query, locale);
  return new Response(buffer, {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
