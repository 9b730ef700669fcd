import { NavLink } from "react-router";
import { tabOpen } from "~/domain/monitoring";
import { useT } from "~/lib/i18n";

/**
 * The workspace pages of one funded project, for its grantee and its officials. `official` adds
 * the pages only officials use. Each page still authorizes on the server.
 */
export function ProjectNav({ referenceNo, status, official = false }: { referenceNo: string; status: string; official?: boolean }) {
  const t = useT();
  const base = `/projects/${encodeURIComponent(referenceNo)}`;
  const links: [string, string, string, boolean][] = [
    ["agreement", `${base}/agreement`, "project.nav.agreement", true],
    ["reports", `${base}/reports`, "project.nav.reports", true],
    ["expenses", `${base}/expenses`, "project.nav.expenses", true],
    ["budget", `${base}/budget`, "project.nav.budget", true],
    ["beneficiaries", `${base}/beneficiaries`, "project.nav.beneficiaries", true],
    ["volunteers", `${base}/volunteers`, "project.nav.volunteers", true],
    ["callbacks", `${base}/callbacks`, "project.nav.callbacks", official],
    ["evaluation", `${base}/evaluation`, "project.nav.evaluation", true],
    // a closed project may be shown as a showcase case (优秀案例) by its officials
    ["showcase", `${base}/showcase`, "showcase.manage", official && status === "CLOSED"],
    ["public", base, "project.nav.public", true],
  ];
  return (
    <nav aria-label={t("project.nav.label")} className="flex flex-wrap gap-x-4 gap-y-1 text-sm" data-testid="project-nav">
      {links
        .filter(([, , , shown]) => shown)
        .map(([tab, to, key]) =>
          tabOpen(tab, status) ? (
            <NavLink key={to} to={to} end className={({ isActive }) => (isActive ? "font-semibold text-slate-900" : "text-brand-700 underline")}>
              {t(key)}
            </NavLink>
          ) : (
            // a page that does not exist yet is no link: it says when it opens
            <span key={to} aria-disabled="true" className="text-slate-500" data-testid={`tab-closed-${tab}`}>
              {t(key)}
              <span className="text-xs">（{t("project.nav.opensAfterAgreement")}）</span>
            </span>
          ),
        )}
    </nav>
  );
}

/** What the header above a project's workspace pages needs (services/projects/access.server.ts `workspaceHeader`). */
export interface ProjectHeaderData {
  referenceNo: string;
  title: string;
  status: string;
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
      {project.isGrantee || project.isOfficial ? <ProjectNav referenceNo={project.referenceNo} status={project.status} official={project.isOfficial} /> : null}
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
