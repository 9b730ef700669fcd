/**
 * The privacy notice (个人信息处理规则, PIPL arts. 14, 17): its version and the rules for when a
 * signed-in person must accept it again. Pure. Its retention table is the catalogue's
 * (domain/personal-data.ts RETENTION), which docs/privacy.md is generated from as well.
 */

/**
 * The version of the notice now in force. Changing any promise the notice makes (what is
 * collected, why, who sees it, how long it is kept) means a new version: every signed-in person
 * is then asked to accept it again before they continue.
 */
export const PRIVACY_NOTICE_VERSION = "2026-12-07";

/** The version people must have accepted now (a function, so a test can stand in a newer one). */
export function currentNoticeVersion(): string {
  return PRIVACY_NOTICE_VERSION;
}

/** What a consent was given to (the Consent table's `kind`). */
export const CONSENT_KINDS = ["PRIVACY_NOTICE", "DONATION_PRIVACY", "PUBLIC_NAMING"] as const;
export type ConsentKindName = (typeof CONSENT_KINDS)[number];

/** Whether a person who last accepted `accepted` (null: never) must accept `current` before continuing. */
export function mustAcceptNotice(accepted: string | null | undefined, current: string = currentNoticeVersion()): boolean {
  return accepted !== current;
}

/**
 * Paths a person who has not accepted the current notice may still open: signing out, the notice
 * and the page that asks for it, the language switch, static files, webhooks and health checks.
 * Client navigation asks for `<path>.data` (the index route: `/_root.data`).
 */
const EXEMPT_EXACT = new Set(["/logout", "/privacy", "/privacy/accept", "/language", "/healthz", "/readyz", "/favicon.ico", "/favicon.svg", "/apple-touch-icon.png", "/manifest.webmanifest", "/robots.txt"]);
const EXEMPT_PREFIXES = ["/assets/", "/webhooks/", "/fonts/"];

/** The page a request is for: `.data` and the index route's `/_root` taken off, no trailing slash. */
export function pagePath(pathname: string): string {
  let p = pathname.endsWith(".data") ? pathname.slice(0, -".data".length) : pathname;
  if (p === "/_root") p = "/";
  if (p.length > 1 && p.endsWith("/")) p = p.replace(/\/+$/, "") || "/";
  return p;
}

/** Whether a path may be opened without having accepted the current notice. */
export function exemptFromNotice(pathname: string): boolean {
  const p = pagePath(pathname);
  return EXEMPT_EXACT.has(p) || EXEMPT_PREFIXES.some((prefix) => p.startsWith(prefix));
}
