import { randomToken, sha256 } from "./crypto.server";
import { env } from "./env.server";
import { redirect } from "react-router";
import { type Client, db } from "./db.server";
import { readCookie, serializeCookie } from "./cookies.server";
import { fromDbLocale, type Locale } from "./i18n";
import { currentNoticeVersion, exemptFromNotice, mustAcceptNotice, pagePath } from "../domain/privacy-notice";

export const SESSION_COOKIE = "__session";
const SESSION_DAYS = 30;
const TOUCH_EVERY_MS = 60 * 60 * 1000;


export interface ViewerGrant {
  id: string;
  role: "OFFICIAL" | "JUDGE" | "FOUNDATION_MANAGER" | "ADMIN" | "MENTOR";
  areaId: string;
  areaPath: string;
  areaNameZh: string;
  areaNameEn: string;
  areaLevel: string;
  foundationId: string | null;
}

/** The signed-in user as every loader and action sees it. Never contains secrets. */
export interface Viewer {
  id: string;
  /** null for an account made with a mobile number only (docs/decisions/044) */
  email: string | null;
  name: string;
  locale: Locale;
  emailVerified: boolean;
  /** 大字版 as the account remembers it; null: never chosen on the account */
  largeText: boolean | null;
  grants: ViewerGrant[];
  organizations: { id: string; name: string; kind: string; areaId: string }[];
  sessionId: string;
}

/** A role grant row (with its area) as the viewer carries it; also used where a viewer is built without a session (the demo seed). */
export function viewerGrant(g: {
  id: string;
  role: ViewerGrant["role"];
  areaId: string;
  foundationId: string | null;
  area: { path: string; nameZh: string; nameEn: string; level: string };
}): ViewerGrant {
  return {
    id: g.id,
    role: g.role,
    areaId: g.areaId,
    areaPath: g.area.path,
    areaNameZh: g.area.nameZh,
    areaNameEn: g.area.nameEn,
    areaLevel: g.area.level,
    foundationId: g.foundationId,
  };
}

const cache = new WeakMap<Request, Promise<Viewer | null>>();

/**
 * The viewer behind the request's session cookie, or null. Looked up once per request.
 *
 * A signed-in person who has not accepted the current privacy notice is sent to /privacy/accept
 * (a redirect thrown from here, so every page, action and download that knows who is asking
 * stops), except on the paths `exemptFromNotice` lets through: signing out, the notice itself.
 */
export function getViewer(request: Request): Promise<Viewer | null> {
  let found = cache.get(request);
  if (!found) {
    found = loadViewer(request).then((v) => {
      if (v && !v.acceptedNotice && !exemptFromNotice(new URL(request.url).pathname)) throw redirect(noticeAcceptPath(request));
      return v?.viewer ?? null;
    });
    cache.set(request, found);
  }
  return found;
}

/** The viewer without asking about the privacy notice: for the page that asks for it. */
export async function getViewerAnyNotice(request: Request): Promise<Viewer | null> {
  return (await loadViewer(request))?.viewer ?? null;
}

/** Where to ask for the current notice, coming back to the page asked for afterwards. */
function noticeAcceptPath(request: Request): string {
  const url = new URL(request.url);
  url.searchParams.delete("_routes");
  // a form posted here is not re-posted: after accepting, the page it came from is opened again
  const back = request.method === "GET" || request.method === "HEAD" ? `${pagePath(url.pathname)}${url.search}` : pathOf(request.headers.get("referer"), url.origin) ?? pagePath(url.pathname);
  return `/privacy/accept?redirectTo=${encodeURIComponent(back)}`;
}

function pathOf(referer: string | null, origin: string): string | null {
  if (!referer) return null;
  try {
    const u = new URL(referer);
    return u.origin === origin ? `${u.pathname}${u.search}` : null;
  } catch {
    return null;
  }
}

const loads = new WeakMap<Request, Promise<{ viewer: Viewer; acceptedNotice: boolean } | null>>();

function loadViewer(request: Request): Promise<{ viewer: Viewer; acceptedNotice: boolean } | null> {
  let found = loads.get(request);
  if (!found) {
    found = lookUpViewer(request);
    loads.set(request, found);
  }
  return found;
}

interface ViewerRow {
  sessionId: string;
  expiresAt: Date;
  lastSeenAt: Date;
  id: string;
  email: string | null;
  name: string;
  locale: string;
  verified: boolean;
  largeText: boolean | null;
  grants: string;
  organizations: string;
  noticeVersion: string | null;
}

/**
 * The session, its user, the user's live grants (with their areas), organizations and consent to
 * the notice in force, as one statement: every signed-in request asks it, and seven statements
 * (Prisma's one per relation) cost seven round trips. Grants and organizations in the order they
 * were given.
 */
async function lookUpViewer(request: Request): Promise<{ viewer: Viewer; acceptedNotice: boolean } | null> {
  const version = currentNoticeVersion();
  const token = readCookie(request, SESSION_COOKIE);
  if (!token) return null;
  const [row] = await db().$queryRaw<ViewerRow[]>`
    SELECT s.id AS "sessionId", s."expiresAt", s."lastSeenAt", u.id, u.email, u.name, u.locale::text AS locale, u."emailVerifiedAt" IS NOT NULL AS verified, u."largeText",
           (SELECT coalesce(json_agg(json_build_object('id', g.id, 'role', g.role::text, 'areaId', g."areaId", 'foundationId', g."foundationId",
                    'area', json_build_object('path', a.path, 'nameZh', a."nameZh", 'nameEn', a."nameEn", 'level', a.level::text)) ORDER BY g."createdAt", g.id), '[]'::json)::text
              FROM "RoleGrant" g JOIN "Area" a ON a.id = g."areaId" WHERE g."userId" = u.id AND g."revokedAt" IS NULL) AS grants,
           (SELECT coalesce(json_agg(json_build_object('id', o.id, 'name', o.name, 'kind', o.kind::text, 'areaId', o."areaId") ORDER BY m."createdAt", m.id), '[]'::json)::text
              FROM "OrganizationMember" m JOIN "Organization" o ON o.id = m."organizationId" WHERE m."userId" = u.id) AS organizations,
           (SELECT c."noticeVersion" FROM "Consent" c
             WHERE c."userId" = u.id AND c.kind = 'PRIVACY_NOTICE' AND c."noticeVersion" = ${version} AND c."withdrawnAt" IS NULL LIMIT 1) AS "noticeVersion"
      FROM "Session" s JOIN "User" u ON u.id = s."userId"
     WHERE s."tokenHash" = ${sha256(token)}`;
  if (!row || row.expiresAt < new Date()) return null;
  if (Date.now() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db().session.update({ where: { id: row.sessionId }, data: { lastSeenAt: new Date() } });
  }
  const viewer: Viewer = {
    id: row.id,
    email: row.email,
    name: row.name,
    locale: fromDbLocale(row.locale as Parameters<typeof fromDbLocale>[0]),
    emailVerified: row.verified,
    largeText: row.largeText,
    sessionId: row.sessionId,
    grants: (JSON.parse(row.grants) as Parameters<typeof viewerGrant>[0][]).map(viewerGrant),
    organizations: JSON.parse(row.organizations) as Viewer["organizations"],
  };
  return { viewer, acceptedNotice: !mustAcceptNotice(row.noticeVersion, version) };
}

/** Safe in-app redirect target: a path on this site, never another origin. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  // Only a path on this site. Browsers drop tabs and newlines and read "\\" as "/", so "/\t/evil"
  // and "/\\evil" would leave the site: such characters are refused outright, and what is left is
  // resolved the way a browser would and must stay on APP_URL's origin.
  // eslint-disable-next-line no-control-regex
  if (typeof to !== "string" || !to.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(to)) return fallback;
  const origin = new URL(env().APP_URL).origin;
  let target: URL;
  try {
    target = new URL(to, origin);
  } catch {
    return fallback;
  }
  if (target.origin !== origin || to.startsWith("//")) return fallback;
  return `${target.pathname}${target.search}${target.hash}`;
}

/** Sends anonymous visitors to the sign-in page and back here afterwards. */
export async function requireViewer(request: Request): Promise<Viewer> {
  const viewer = await getViewer(request);
  if (!viewer) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return viewer;
}

/**
 * Starts a new session for `userId` and ends the one the request came with (session rotation
 * on sign-in: a session id known before sign-in is worthless after it).
 */
export async function createSession(
  request: Request,
  userId: string,
  tx: Client = db(),
): Promise<string> {
  const old = readCookie(request, SESSION_COOKIE);
  if (old) await tx.session.deleteMany({ where: { tokenHash: sha256(old) } });
  const token = randomToken();
  await tx.session.create({
    data: {
      tokenHash: sha256(token),
      userId,
      expiresAt: new Date(Date.now() + SESSION_DAYS * 86_400_000),
      ...requestOrigin(request),
    },
  });
  return serializeCookie(SESSION_COOKIE, token, { maxAgeSeconds: SESSION_DAYS * 86_400 });
}

export async function destroySession(request: Request): Promise<string> {
  const token = readCookie(request, SESSION_COOKIE);
  if (token) await db().session.deleteMany({ where: { tokenHash: sha256(token) } });
  return serializeCookie(SESSION_COOKIE, "", { maxAgeSeconds: 0 });
}

/**
 * The client's address as the Express adapter saw it (honouring TRUST_PROXY), passed in the
 * `x-client-ip` header that server/app.ts sets and strips from incoming requests.
 */
export function clientIp(request: Request): string {
  return request.headers.get("x-client-ip") ?? "unknown";
}

/** Where a request came from, as sessions and consents record it: the client address and the browser. */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

export function requestOrigin(request: Request): RequestOrigin {
  return { ip: clientIp(request), userAgent: request.headers.get("user-agent")?.slice(0, 300) ?? null };
}
