/**
 * Who may see and do what, by area. Pure rules over materialised area paths
 * ("/pinghu/danghu/songfeng/"): an area is inside a scope when its path starts with the scope's
 * path, so a grant at P covers P and every area below it, and nothing beside or above it.
 */

export type Role = "OFFICIAL" | "JUDGE" | "FOUNDATION_MANAGER" | "ADMIN" | "MENTOR";
export const ROLES: readonly Role[] = ["OFFICIAL", "JUDGE", "FOUNDATION_MANAGER", "ADMIN", "MENTOR"];

export type AreaLevel = "CITY" | "DISTRICT" | "SUBDISTRICT" | "COMMUNITY" | "VILLAGE";

/** The parts of a grant the rules look at (a ViewerGrant has them all). */
export interface ScopedGrant {
  role: Role;
  areaPath: string;
  areaLevel: AreaLevel | (string & {});
}

/** Anyone the rules are asked about: an id and their active grants. */
export interface GrantHolder {
  id: string;
  grants: readonly ScopedGrant[];
}

/** Levels whose officials run programmes and appoint staff (区 and 街道 and above). */
const ADMINISTERING_LEVELS: ReadonlySet<string> = new Set(["CITY", "DISTRICT", "SUBDISTRICT"]);

/** Roles an official of an administering level may grant within their subtree. */
export const OFFICIAL_GRANTABLE: readonly Role[] = ["OFFICIAL", "JUDGE", "FOUNDATION_MANAGER", "MENTOR"];

const withSlash = (p: string) => (p.endsWith("/") ? p : `${p}/`);

/** A well-formed materialised path: "/a/b/", lower-case codes, no empty segment. */
export function isAreaPath(p: string): boolean {
  return /^\/(?:[a-z0-9][a-z0-9-]*\/)+$/.test(p);
}

/**
 * True when `areaPath` is `scopePath` or below it. Compares whole segments: "/a/bc/" is not
 * within "/a/b/" although the string starts with "/a/b".
 */
export function isWithin(areaPath: string, scopePath: string): boolean {
  if (!areaPath || !scopePath) return false;
  return withSlash(areaPath).startsWith(withSlash(scopePath));
}

/** Depth of a path: "/pinghu/" is 1, "/pinghu/danghu/songfeng/" is 3. */
export const depthOf = (path: string) => withSlash(path).split("/").length - 2;

/** An ADMIN grant covers every area, wherever it was recorded. */
export const isAdmin = (actor: Pick<GrantHolder, "grants">) => actor.grants.some((g) => g.role === "ADMIN");

/** Does this grant make its holder an official for `areaPath`? */
export function grantCovers(grant: ScopedGrant, areaPath: string): boolean {
  if (grant.role === "ADMIN") return true;
  return grant.role === "OFFICIAL" && isWithin(areaPath, grant.areaPath);
}

/** An official of the area or of any area above it (or an administrator). */
export function isOfficialFor(actor: Pick<GrantHolder, "grants">, areaPath: string): boolean {
  return actor.grants.some((g) => grantCovers(g, areaPath));
}

/** Officials of a subdistrict or higher, and administrators, have the admin pages. */
export function canAdminister(actor: Pick<GrantHolder, "grants">): boolean {
  return actor.grants.some((g) => g.role === "ADMIN" || (g.role === "OFFICIAL" && ADMINISTERING_LEVELS.has(g.areaLevel)));
}

/**
 * The roles `actor` may grant in the area at `areaPath`: anything for an administrator;
 * official, judge and foundation manager for an official of a subdistrict (or higher) whose area
 * contains it; nothing for community officials and everyone else.
 */
export function grantableRoles(actor: Pick<GrantHolder, "grants">, areaPath: string): Role[] {
  if (isAdmin(actor)) return [...ROLES];
  const appoints = actor.grants.some(
    (g) => g.role === "OFFICIAL" && ADMINISTERING_LEVELS.has(g.areaLevel) && isWithin(areaPath, g.areaPath),
  );
  return appoints ? [...OFFICIAL_GRANTABLE] : [];
}

export function canGrant(actor: Pick<GrantHolder, "grants">, role: Role, areaPath: string): boolean {
  return grantableRoles(actor, areaPath).includes(role);
}

/**
 * Revoking is granting in reverse: allowed where the same role could be granted. Nobody revokes
 * their own grant (an official cannot lock themselves out by mistake; another official or an
 * administrator does it).
 */
export function canRevoke(actor: GrantHolder, grant: { userId: string; role: Role; areaPath: string }): boolean {
  if (grant.userId === actor.id) return false;
  return canGrant(actor, grant.role, grant.areaPath);
}

/**
 * Who may see the staff list of an area: any official whose scope covers it (a community
 * official sees their own community's staff, read-only).
 */
export const canViewStaff = (actor: Pick<GrantHolder, "grants">, areaPath: string) => isOfficialFor(actor, areaPath);

/**
 * The topmost areas an actor administers: their administering-level official grants, with any
 * grant nested inside another dropped. Administrators get `null`, meaning "every root".
 */
export function administeredRoots(actor: Pick<GrantHolder, "grants">): string[] | null {
  if (isAdmin(actor)) return null;
  const paths = actor.grants
    .filter((g) => g.role === "OFFICIAL" && ADMINISTERING_LEVELS.has(g.areaLevel))
    .map((g) => withSlash(g.areaPath));
  return [...new Set(paths)].filter((p) => !paths.some((q) => q !== p && isWithin(p, q))).sort();
}

/** Every official scope of an actor (any level), topmost only; `null` for administrators. */
export function officialRoots(actor: Pick<GrantHolder, "grants">): string[] | null {
  if (isAdmin(actor)) return null;
  const paths = actor.grants.filter((g) => g.role === "OFFICIAL").map((g) => withSlash(g.areaPath));
  return [...new Set(paths)].filter((p) => !paths.some((q) => q !== p && isWithin(p, q))).sort();
}

export interface OrganizationScope {
  areaPath: string;
  /** user ids of the members who have accounts */
  memberUserIds: readonly string[];
}

/** An organization's page is for its members and for officials whose scope covers its area. */
export function canViewOrganization(actor: GrantHolder, org: OrganizationScope): boolean {
  return org.memberUserIds.includes(actor.id) || isOfficialFor(actor, org.areaPath);
}

/** Members with accounts keep their organization's member list; officials only read it. */
export function canManageOrganization(actor: GrantHolder, org: OrganizationScope): boolean {
  return org.memberUserIds.includes(actor.id);
}

/** A resident team (居民团队) always has at least this many named members. */
export const RESIDENT_TEAM_MIN_MEMBERS = 3;

export type OrganizationKind = "SOCIAL_ORGANIZATION" | "COMMUNITY_ORGANIZATION" | "RESIDENT_TEAM";

/** Whether removing one member from an organization of `kind` with `count` members is allowed. */
export function memberRemovalProblem(
  kind: OrganizationKind,
  count: number,
  removingAccountHolder: { isLastAccountHolder: boolean },
): "team-minimum" | "last-account-holder" | null {
  if (kind === "RESIDENT_TEAM" && count - 1 < RESIDENT_TEAM_MIN_MEMBERS) return "team-minimum";
  if (removingAccountHolder.isLastAccountHolder) return "last-account-holder";
  return null;
}

/**
 * Who sets up an area's money — creates a foundation (社区基金) and books government
 * appropriations (财政拨款) into it: officials of a subdistrict or higher whose area contains the
 * foundation's area, and administrators. They are the ones who hold the area's budget and appoint
 * its foundation managers (grantableRoles); a community official runs rounds on money set up for
 * them, and a foundation manager runs the gifts, campaigns and refunds of a foundation once it exists.
 */
export function canSetUpFunds(actor: Pick<GrantHolder, "grants">, areaPath: string): boolean {
  if (isAdmin(actor)) return true;
  return actor.grants.some((g) => g.role === "OFFICIAL" && ADMINISTERING_LEVELS.has(g.areaLevel) && isWithin(areaPath, g.areaPath));
}
