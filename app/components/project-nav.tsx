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

/** What the header above a project's workspace pages needs (services/projects/access.server.ts `workspaceHeader`). */
export interface ProjectHeaderData {
  referenceNo: string;
  title: string;
  organization: string;
  isGrantee: boolean;
  isOfficial: boolean;
}

/**
 * The header of every workspace page, drawn once by their layout: the project's reference,
 * title and organization, and the navigation — which an invited evaluator (who sees only the
 * evaluation page) does not get.
 */
export function ProjectHeader({ project }: { project: ProjectHeaderData }) {
  return (
    <header className="space-y-2" data-testid="project-header">
      {project.isGrantee || project.isOfficial ? <ProjectNav referenceNo={project.referenceNo} official={project.isOfficial} /> : null}
      <p className="text-sm text-slate-600">
        {project.referenceNo} · {project.title} · {project.organization}
      </p>
    </header>
  );
}

/** The notice on monitoring pages of a project that is no longer in implementation. */
export function ReadOnlyNotice({ writable }: { writable: boolean }) {
  const t = useT();
  if (writable) return null;
  return (
    <p role="status" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm">
      {t("monitoring.readOnly")}
    </p>
  );
}
