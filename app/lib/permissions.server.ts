import { data } from "react-router";
import { canAdminister, isOfficialFor, officialRoots, type GrantHolder } from "~/domain/permissions";
import { db } from "./db.server";
import { requireViewer, type Viewer } from "./session.server";

/**
 * A 403 the route error boundary renders as "not allowed" in the viewer's language. Services
 * throw it too, so a check forgotten in a route still refuses.
 */
export function forbidden(): never {
  throw data(null, { status: 403 });
}

export function notFound(): never {
  throw data(null, { status: 404 });
}

/** True for what `forbidden()` / `notFound()` throw (tests and callers that catch). */
export function httpStatusOf(error: unknown): number | null {
  if (error && typeof error === "object" && "init" in error) {
    const init = (error as { init?: { status?: number } | null }).init;
    return init?.status ?? null;
  }
  return null;
}

/**
 * The signed-in viewer when they are an official for the area (by id, by materialised path
 * "/…/", or by `{ code }`), else 403; anonymous visitors go to /login first. An unknown area is 404.
 */
export async function requireOfficialFor(request: Request, area: string | { code: string }): Promise<Viewer> {
  const viewer = await requireViewer(request);
  let path: string;
  if (typeof area === "string" && area.startsWith("/")) path = area;
  else {
    const found = await db().area.findUnique({
      where: typeof area === "string" ? { id: area } : { code: area.code },
      select: { path: true },
    });
    if (!found) notFound();
    path = found.path;
  }
  if (!isOfficialFor(viewer, path)) forbidden();
  return viewer;
}

/** The viewer when they have the admin pages (subdistrict-or-higher official, administrator). */
export async function requireAdministrator(request: Request): Promise<Viewer> {
  const viewer = await requireViewer(request);
  if (!canAdminister(viewer)) forbidden();
  return viewer;
}

/**
 * The area paths an official's pages cover (null: an administrator, every area); 403 for anyone
 * who is no official. The officials' lists of needs and of rounds start from it.
 */
export function officialScope(actor: Pick<GrantHolder, "grants">): string[] | null {
  const roots = officialRoots(actor);
  if (roots !== null && roots.length === 0) forbidden();
  return roots;
}
