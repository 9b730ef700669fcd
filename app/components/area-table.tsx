import { Link } from "react-router";
import { formatNumber, useLocale, useT } from "~/lib/i18n";
import { localName } from "~/lib/names";
import { TableHead, ScrollArea, TitleLink } from "~/components/ui";

/** An area's name, leading to its public page (where something is: a round's, a foundation's area). */
export function AreaLink({ area }: { area: { code: string; nameZh: string; nameEn: string } }) {
  const locale = useLocale();
  return (
    <Link to={`/areas/${area.code}`} className="underline-offset-4 hover:underline">
      {localName(locale, area)}
    </Link>
  );
}

/** The shape the public area pages pass around (see AreaNode in services/areas.server.ts). */
export interface AreaRowData {
  code: string;
  nameZh: string;
  nameEn: string;
  level: string;
  residents: number | null;
  subunits: number | null;
  totals: { communities: number; villages: number; residents: number; compounds: number; villageGroups: number };
}

/** Communities and villages of one subdistrict, one row each, with a totals row. */
export function LeafTable({ parent, leaves }: { parent: AreaRowData; leaves: AreaRowData[] }) {
  const t = useT();
  const locale = useLocale();
  const groups = [
    { level: "COMMUNITY", rows: leaves.filter((l) => l.level === "COMMUNITY"), unit: "areas.col.compounds", total: parent.totals.compounds },
    { level: "VILLAGE", rows: leaves.filter((l) => l.level === "VILLAGE"), unit: "areas.col.villageGroups", total: parent.totals.villageGroups },
  ].filter((g) => g.rows.length);
  return (
    <div className="space-y-6">
      {groups.map((g) => {
        const residents = g.rows.reduce((s, r) => s + (r.residents ?? 0), 0);
        return (
          <ScrollArea key={g.level} className="rounded-lg bg-white shadow-sm">
            <table className="w-full text-left text-sm" data-testid={`areas-${parent.code}-${g.level.toLowerCase()}`}>
              <caption className="px-3 pt-3 text-left font-medium text-slate-800">
                {t(g.level === "COMMUNITY" ? "areas.caption.communities" : "areas.caption.villages", {
                  parent: localName(locale, parent),
                  count: g.rows.length,
                })}
              </caption>
              <TableHead cellClassName="px-3 py-2 font-medium" columns={[t("areas.col.name"), [t(g.unit), "text-right"], [t("areas.col.residents"), "text-right"]]} />
              <tbody>
                {g.rows.map((r) => (
                  <tr key={r.code} className="border-b border-slate-100 last:border-0">
                    <th scope="row" className="px-3 py-2 font-normal">
                      <TitleLink to={`/areas/${r.code}`}>{localName(locale, r)}</TitleLink>
                    </th>
                    <td className="px-3 py-2 text-right tabular-nums">{r.subunits === null ? "—" : formatNumber(locale, r.subunits)}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{r.residents === null ? "—" : formatNumber(locale, r.residents)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot className="border-t-2 border-slate-300 font-semibold">
                <tr>
                  <th scope="row" className="px-3 py-2">{t("areas.total")}</th>
                  <td className="px-3 py-2 text-right tabular-nums">{formatNumber(locale, g.total)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatNumber(locale, residents)}</td>
                </tr>
              </tfoot>
            </table>
          </ScrollArea>
        );
      })}
    </div>
  );
}
