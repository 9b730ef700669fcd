import { NavLink } from "react-router";
import { useT } from "~/lib/i18n";

/** The officials' pages of a round, from its settings and screening to judges, results and objections (drawn once, by the round's admin frame). */
export function ReviewNav({ code }: { code: string }) {
  const t = useT();
  const links: [string, string][] = [
    [`/admin/rounds/${code}`, "review.nav.round"],
    [`/admin/rounds/${code}/screening`, "review.nav.screening"],
    [`/admin/rounds/${code}/review`, "review.nav.judges"],
    [`/admin/rounds/${code}/scores`, "review.nav.scores"],
    [`/admin/rounds/${code}/results`, "review.nav.results"],
    [`/admin/rounds/${code}/objections`, "review.nav.objections"],
    [`/admin/rounds/${code}/report`, "report.nav"],
    [`/rounds/${code}/notice`, "review.nav.notice"],
  ];
  return (
    <nav aria-label={t("review.nav.label")} className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
      {links.map(([to, key]) => (
        <NavLink key={to} to={to} end className={({ isActive }) => (isActive ? "font-semibold text-slate-900" : "text-brand-700 underline")}>
          {t(key)}
        </NavLink>
      ))}
    </nav>
  );
}
