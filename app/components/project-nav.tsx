import { NavLink } from "react-router";
import { useT } from "~/lib/i18n";

/**
 * The workspace pages of one funded project, for its grantee and its officials. `official` adds
 * the pages only officials use. Each page still authorizes on the server.
 */
export function ProjectNav({ referenceNo, official = false }: { referenceNo: string; official?: boolean }) {
  const t = useT();
  const base = `/projects/${encodeURIComponent(referenceNo)}`;
  const links: [string, string, boolean][] = [
    [`${base}/agreement`, "project.nav.agreement", true],
    [`${base}/reports`, "project.nav.reports", true],
    [`${base}/expenses`, "project.nav.expenses", true],
    [`${base}/budget`, "project.nav.budget", true],
    [`${base}/beneficiaries`, "project.nav.beneficiaries", true],
    [`${base}/callbacks`, "project.nav.callbacks", official],
    [`${base}/evaluation`, "project.nav.evaluation", true],
    [base, "project.nav.public", true],
  ];
  return (
    <nav aria-label={t("project.nav.label")} className="flex flex-wrap gap-x-4 gap-y-1 text-sm" data-testid="project-nav">
      {links
        .filter(([, , shown]) => shown)
        .map(([to, key]) => (
          <NavLink key={to} to={to} end className={({ isActive }) => (isActive ? "font-semibold text-slate-900" : "text-brand-700 underline")}>
            {t(key)}
          </NavLink>
        ))}
    </nav>
  );
}
