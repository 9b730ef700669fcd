import { createContext, useContext } from "react";
import { splitMessage } from "~/domain/messages";
import { messages, type MessageKey } from "~/locales";

export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "zh-CN";
export const LOCALE_COOKIE = "lang";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/**
 * The phone's or browser's language (Accept-Language), for a visitor with no `lang` cookie: the
 * supported language with the highest weight (any `zh…` → zh-CN, any `en…` → en); none → undefined.
 * "en-US,en;q=0.9,zh-CN;q=0.8" → en; "zh-TW,zh;q=0.9" → zh-CN; "fr" → undefined.
 */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale | undefined {
  if (!header) return undefined;
  let best: { locale: Locale; q: number } | undefined;
  for (const part of header.split(",").slice(0, 20)) {
    const [tag, ...params] = part.trim().toLowerCase().split(";");
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!tag || !Number.isFinite(q) || q <= 0) continue;
    const locale: Locale | undefined = tag === "zh" || tag.startsWith("zh-") ? "zh-CN" : tag === "en" || tag.startsWith("en-") ? "en" : undefined;
    if (locale && (!best || q > best.q)) best = { locale, q };
  }
  return best?.locale;
}

/** 大字版 (large text, for older eyes): remembered in this cookie like the language, `large` when on. */
export const LARGE_TEXT_COOKIE = "display";
export const isLargeText = (cookieValue: string | undefined) => cookieValue === "large";

/** Prisma's enum spells zh-CN as zh_CN. */
export const toDbLocale = (l: Locale) => (l === "zh-CN" ? "zh_CN" : "en") as "zh_CN" | "en";
export const fromDbLocale = (l: "zh_CN" | "en"): Locale => (l === "zh_CN" ? "zh-CN" : "en");

export type Params = Record<string, string | number>;

/** Translates `key` with `{name}` placeholders. An unknown key is returned as is (visible in tests). */
export function translate(locale: Locale, message: string, extra?: Params): string {
  const { key, params: carried } = splitMessage(message);
  const params = carried ? { ...carried, ...extra } : extra;
  const entry = (messages as Record<string, { zh: string; en: string }>)[key];
  const template = entry ? (locale === "en" ? entry.en : entry.zh) : key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export type T = (key: MessageKey | (string & {}), params?: Params) => string;

export const makeT = (locale: Locale): T => (key, params) => translate(locale, key, params);

export const LocaleContext = createContext<Locale>(DEFAULT_LOCALE);

export function useLocale(): Locale {
  return useContext(LocaleContext);
}

export function useT(): T {
  return makeT(useLocale());
}

const SHANGHAI = "Asia/Shanghai";

// Building an Intl formatter costs far more than using one (it showed in the bench profile),
// so each is built once per locale and kind.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function cached<F extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => F): F {
  let f = formatters.get(key) as F | undefined;
  if (!f) {
    f = make();
    formatters.set(key, f);
  }
  return f;
}

/** Dates are always shown in China Standard Time, whatever the server's or browser's zone. */
export function formatDateTime(locale: Locale, date: Date | string | number, withTime = true): string {
  const format = cached(`date:${locale}:${withTime}`, () =>
    new Intl.DateTimeFormat(locale, {
      timeZone: SHANGHAI,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      ...(withTime ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" as const } : {}),
    }),
  );
  return format.format(new Date(date));
}

export function formatNumber(locale: Locale, n: number): string {
  return cached(`number:${locale}`, () => new Intl.NumberFormat(locale)).format(n);
}
