import { readCookie } from "./cookies.server";
import { DEFAULT_LOCALE, isLargeText, isLocale, LARGE_TEXT_COOKIE, LOCALE_COOKIE, localeFromAcceptLanguage, type Locale } from "./i18n";
import type { Viewer } from "./session.server";

/**
 * Signed in: the account's language; otherwise the browser's `lang` cookie; otherwise the phone's
 * or browser's language (Accept-Language: a QR code's link carries none); else zh-CN.
 */
export function resolveLocale(request: Request, viewer: Viewer | null): Locale {
  if (viewer) return viewer.locale;
  const fromCookie = readCookie(request, LOCALE_COOKIE);
  if (isLocale(fromCookie)) return fromCookie;
  return localeFromAcceptLanguage(request.headers.get("accept-language")) ?? DEFAULT_LOCALE;
}

/**
 * 大字版 on: signed in, as the account remembers it (so a new browser shows it from the first page
 * after signing in); an account that never chose, and anyone not signed in, as the browser's
 * `display` cookie says.
 */
export const resolveLargeText = (request: Request, viewer: Pick<Viewer, "largeText"> | null): boolean =>
  viewer?.largeText ?? isLargeText(readCookie(request, LARGE_TEXT_COOKIE));
