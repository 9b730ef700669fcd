import { Outlet } from "react-router";
import type { Route } from "./+types/projects.$ref.workspace";
import { ProjectHeader } from "~/components/project-nav";
import { requireViewer } from "~/lib/session.server";
import { workspaceFor } from "~/services/projects/access.server";

/**
 * The layout of a funded project's workspace pages (agreement, reports, expenses, budget,
 * beneficiaries, call-backs, evaluation): it lets in the grantee, the project's officials and
 * invited evaluators, and draws the project header and navigation once. Each page below still
 * authorizes itself in its own loader and action (a layout does not protect its children: React
 * Router runs their loaders in parallel, and actions alone).
 */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return { project: await workspaceFor(viewer, params.ref) };
}

export default function ProjectWorkspace({ loaderData }: Route.ComponentProps) {
  return (
    <div className="space-y-6">
      <ProjectHeader project={loaderData.project} />
      <Outlet />
    </div>
  );
}
