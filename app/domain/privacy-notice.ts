/**
 * The privacy notice (个人信息处理规则, PIPL arts. 14, 17): its version, its retention table, and the
 * rules for when a signed-in person must accept it again. Pure; the page /privacy renders the
 * table from RETENTION_ROWS, and docs/privacy.md carries the same periods.
 */

/**
 * The version of the notice now in force. Changing any promise the notice makes (what is
 * collected, why, who sees it, how long it is kept) means a new version: every signed-in person
 * is then asked to accept it again before they continue.
 */
export const PRIVACY_NOTICE_VERSION = "2026-12-06";

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

/** A cell of the notice in both languages. */
export interface Bilingual {
  zh: string;
  en: string;
}

export interface RetentionRow {
  data: Bilingual;
  keptFor: Bilingual;
  onDeletion: Bilingual;
}

/**
 * How long each kind of personal data is kept, and what account deletion does to it. The English
 * periods are the canonical table shared with docs/privacy.md; keep the two identical.
 */
export const RETENTION_ROWS: readonly RetentionRow[] = [
  {
    data: { zh: "账户：姓名、电子邮箱、密码哈希、语言", en: "Account: name, e-mail, password hash, language" },
    keptFor: { zh: "账户存续期间", en: "while the account exists" },
    onDeletion: {
      zh: "删除（姓名改为固定的化名，如“已注销用户-7K2M9Q”；邮箱改为无法投递的占位地址；密码哈希销毁）",
      en: "erased (name → stable pseudonym such as 已注销用户-7K2M9Q; e-mail → non-deliverable placeholder; password hash destroyed)",
    },
  },
  {
    data: { zh: "登录记录：会话的 IP 地址和浏览器", en: "Sign-in history: session IP and browser" },
    keptFor: { zh: "180 天", en: "180 days" },
    onDeletion: { zh: "删除", en: "erased" },
  },
  {
    data: {
      zh: "同意记录（所同意的隐私政策版本、时间、IP 地址、浏览器；捐赠时的同意）",
      en: "Consent records (privacy-notice version accepted, when, IP, browser; donation consents)",
    },
    keptFor: { zh: "账户注销后 3 年，作为取得同意的证明", en: "3 years after the account ends, as proof of consent" },
    onDeletion: { zh: "保留，只关联化名；IP 地址和浏览器信息删除", en: "kept, linked to the pseudonym only; IP and browser erased" },
  },
  {
    data: { zh: "捐赠：捐赠人姓名、电子邮箱、留言（收据和账目）", en: "Gifts: donor name, e-mail, message (receipts and ledger)" },
    keptFor: { zh: "30 年（《会计档案管理办法》：会计凭证）", en: "30 years (会计档案管理办法: accounting vouchers)" },
    onDeletion: {
      zh: "删除姓名、邮箱和留言；金额、日期、收据编号和账目分录以化名保留",
      en: "name, e-mail and message removed; amount, date, receipt number and ledger entries kept under the pseudonym",
    },
  },
  {
    data: { zh: "提交的需求、投票、异议", en: "Needs posted, votes cast, objections filed" },
    keptFor: { zh: "与轮次档案保存期限相同（10 年）", en: "for as long as the round's records are kept (10 years)" },
    onDeletion: { zh: "保留，但不显示本人姓名（使用化名）", en: "kept without the person's name (pseudonym)" },
  },
  {
    data: { zh: "为机构撰写的申报书", en: "Proposals written for an organisation" },
    keptFor: { zh: "随轮次档案保存 10 年（申报书属于机构）", en: "10 years with the round's records (they belong to the organisation)" },
    onDeletion: { zh: "保留；撰写人显示为化名", en: "kept; the writer shown as the pseudonym" },
  },
  {
    data: { zh: "上传的文件（照片、附件）", en: "Uploaded files (photos, attachments)" },
    keptFor: { zh: "随所属记录保存", en: "with the record they belong to" },
    onDeletion: { zh: "本人需求的文件删除；机构申报书和项目的文件保留", en: "files of the person's own needs erased; files of an organisation's proposals/projects kept" },
  },
  {
    data: { zh: "审计日志", en: "Audit log" },
    keptFor: { zh: "永久（防篡改的哈希链）", en: "permanently (tamper-evident chain)" },
    onDeletion: { zh: "其中没有姓名或联系方式，只有化名的编号；不变", en: "holds no names or contacts, only pseudonymous ids; unchanged" },
  },
  {
    data: { zh: "发件箱 / 本地邮件存储中的邮件", en: "E-mails in the outbox / local mail store" },
    keptFor: { zh: "90 天", en: "90 days" },
    onDeletion: { zh: "本人邮件的收件地址和正文删除", en: "recipient address and body of the person's e-mails erased" },
  },
  {
    data: { zh: "数据导出文件（ZIP）", en: "Data exports (ZIP)" },
    keptFor: { zh: "7 天，之后删除", en: "7 days, then deleted" },
    onDeletion: { zh: "删除", en: "deleted" },
  },
];
