/**
 * The rules of the anonymous public-page cache (docs/decisions/020-public-page-cache.md), without
 * I/O: which requests it may answer, the ETag of a page, and how a cached body gets this
 * response's own nonce and request id. server/public-cache.ts applies them.
 */
import { createHash } from "node:crypto";
import { DEFAULT_LOCALE, isLargeText, isLocale, LARGE_TEXT_COOKIE, LOCALE_COOKIE, localeFromAcceptLanguage, type Locale } from "./i18n";

/**
 * The public pages (and their `.data` requests of client navigation): what anyone may read, the
 * same for every anonymous visitor. Sub-pages of a project, the sign-in-only pages
 * (`/needs/new`, `/rounds/:code/apply`, a foundation's donate form) and file downloads are not.
 */
const PUBLIC_PAGES: RegExp[] = [
  /^\/(_root)?$/,
  /^\/needs$/,
  /^\/needs\/(?!new$)[^/]+$/,
  /^\/rounds$/,
  /^\/rounds\/[^/]+(\/(notice|proposals|showcase))?$/,
  /^\/projects$/,
  /^\/projects\/[^/]+$/,
  /^\/foundations$/,
  /^\/foundations\/[^/]+$/,
  /^\/campaigns\/[^/]+$/,
  /^\/transparency$/,
  /^\/transparency\/gifts\/[^/]+$/,
  /^\/open-data$/,
  /^\/areas$/,
  /^\/areas\/[^/]+$/,
  // a community's deliberation and each matter's record (两公开, ADR 037); not its roles or rules forms, nor the attachments
  /^\/areas\/[^/]+\/deliberation$/,
  /^\/deliberation\/\d+$/,
  // published quarterly rankings (通报, ADR 021); not their PDFs
  /^\/areas\/[^/]+\/rankings$/,
  /^\/ranking-notices\/\d+$/,
  // a partner unit's public page (ADR 040); not its management page
  /^\/partners\/[^/]+$/,
  // published reports and showcase cases (ADR 043); not the reports' files
  /^\/reports\/\d+$/,
  /^\/areas\/[^/]+\/showcase$/,
];

/** `/needs`, `/needs.data`, `/needs/` → true; `/me`, `/projects/X/budget` → false. */
export function isPublicPage(pathname: string): boolean {
  let p = pathname.length > 1 ? pathname.replace(/\/$/, "") : pathname;
  if (p.endsWith(".data")) p = p.slice(0, -".data".length);
  return PUBLIC_PAGES.some((r) => r.test(p));
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** A session cookie, valid or not: such a request is answered as today, never from or into the cache. */
export const hasSession = (cookieHeader: string | undefined) => cookieValue(cookieHeader, "__session") !== undefined;

/**
 * The language an anonymous visitor is served in, as app/lib/locale.server.ts resolves it without
 * a viewer: the `lang` cookie, else Accept-Language, else zh-CN.
 */
export function anonymousLocale(cookieHeader: string | undefined, acceptLanguage?: string): Locale {
  let v = cookieValue(cookieHeader, LOCALE_COOKIE);
  try {
    v = v === undefined ? v : decodeURIComponent(v);
  } catch {
    v = undefined;
  }
  return isLocale(v) ? v : (localeFromAcceptLanguage(acceptLanguage) ?? DEFAULT_LOCALE);
}

/** 大字版 renders another page (a class on <html>): part of the page's key like the language. */
export const anonymousLargeText = (cookieHeader: string | undefined) => isLargeText(cookieValue(cookieHeader, LARGE_TEXT_COOKIE));

/**
 * Pages also depend on the time (a campaign that opens, a notice period that ends), not only on
 * the data: a page's ETag, and its cached body, last at most this window.
 */
export const FRESHNESS_WINDOW_MS = 60_000;

/** Weak: two responses with the same tag are the same page, with different nonces and request ids. */
export function publicEtag(p: { version: string; url: string; locale: Locale; largeText?: boolean; buildId: string; now: number }): string {
  const window = Math.floor(p.now / FRESHNESS_WINDOW_MS);
  const variant = p.largeText ? `${p.locale}+large` : p.locale;
  const hash = createHash("sha256").update(`${p.version}\n${p.url}\n${variant}\n${p.buildId}\n${window}`).digest("base64url");
  return `W/"${hash.slice(0, 27)}"`;
}

/** If-None-Match with the weak comparison (RFC 9110 §13.1.2): any listed tag, W/ or not, or `*`. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = etag.replace(/^W\//, "");
  return ifNoneMatch.split(",").some((t) => {
    const tag = t.trim();
    return tag === "*" || tag.replace(/^W\//, "") === bare;
  });
}

/**
 * HTML carries the response's CSP nonce: shared caches would hand one nonce to many visitors, so
 * HTML is for the browser's own cache only, revalidated every time (304 while unchanged). The
 * turbo-stream `.data` of client navigation has no nonce: proxies may keep it for a short while.
 */
export const HTML_CACHE_CONTROL = "private, no-cache";
export const SHARED_CACHE_SECONDS = 30;
export const DATA_CACHE_CONTROL = `public, max-age=0, s-maxage=${SHARED_CACHE_SECONDS}, stale-while-revalidate=${SHARED_CACHE_SECONDS * 2}`;
export const cacheControlFor = (pathname: string) => (pathname.endsWith(".data") ? DATA_CACHE_CONTROL : HTML_CACHE_CONTROL);

/**
 * A cached body rendered for an earlier request, made this response's: each per-response token
 * (the CSP nonce, the request id: random strings that occur nowhere else) replaced by this one's.
 */
export function swapTokens(text: string, from: readonly string[], to: readonly string[]): string {
  let out = text;
  from.forEach((token, i) => {
    if (token && to[i] !== undefined && token !== to[i]) out = out.replaceAll(token, to[i]!);
  });
  return out;
}

/**
 * The tables whose changes do not move the public-data version (every other table has the
 * `public_data_changed` trigger; prisma/migrations/*_public_data_version), each with the reason:
 * nothing on a public page comes from them, and most change all the time.
 */
export const EXCLUDED_FROM_PUBLIC_VERSION: Record<string, string> = {
  _prisma_migrations: "the migration history",
  PublicDataVersion: "the version itself",
  PublicDataChange: "the version's per-transaction marker",
  Session: "sign-ins; touched on signed-in requests",
  EmailToken: "verification and reset tokens",
  RateLimitBucket: "rate-limit counters, moved by anonymous posts",
  Invitation: "staff invitations, seen by the invited person only",
  PartnerInvitation: "invitations to act for a partner unit, seen by the invited person and the unit's managing officials only",
  LedgerAccountTotal: "running totals kept by LedgerEntry's trigger in the statement that inserts the entries, which moves the version itself",
  LedgerKindTotal: "running totals kept by LedgerEntry's trigger in the statement that inserts the entries, which moves the version itself",
  DonationTotal: "running totals kept by Donation's trigger in the statement that changes the gifts, which moves the version itself",
  ProjectTotal: "running totals kept by Tranche's, Expense's and CallRecord's triggers in the statement that changes them, which moves the version itself",
  BudgetLineTotal: "running totals kept by Expense's trigger in the statement that changes the expenses, which moves the version itself",
  OrgRanking: "the officials' dashboard's stored quarterly ranking; no public page shows it",
  AuditLog: "the audit trail, shown to officials; every audited public change also writes a covered table",
  EmailMessage: "the mail outbox",
  Notification: "a person's inbox",
  ConflictDeclaration: "judges' conflict declarations, seen by officials",
  ReviewAssignment: "which judge scores which proposal, seen by officials and judges",
  Beneficiary: "beneficiaries' personal data, never public",
  ReceiptCounter: "the receipt number sequence",
  ParkedPaymentFact: "payment events waiting for their gift, internal to the webhook",
  RefundRequest: "a donor's refund request; a refund done moves the gift and the ledger, which are covered",
  WorkerHeartbeat: "background workers' liveness, every few seconds",
  Consent: "a person's consents, personal",
  PersonalDataExport: "a person's data exports, personal",
  NeedFollow: "who follows a need, shown only to that person (signed in) and never counted on a public page",
  GranteeReminder: "which reminders were sent to a grantee organization, so each goes once; no page shows it",
  TrainingMaterial: "a training's materials, downloaded by officials and those signed up; the public list shows none",
  Incubation: "an organization's incubation, seen by its members, its mentor and officials",
  MentorLog: "a mentor's log, seen by the organization's members and officials",
  WechatIdentity: "the WeChat identity an account signs in with, personal",
  WechatAuthState: "WeChat sign-ins in progress",
  SmsCode: "SMS sign-in codes in progress",
};
