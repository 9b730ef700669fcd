import { readCookie } from "./cookies.server";
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE, type Locale } from "./i18n";
import type { Viewer } from "./session.server";

/** Signed in: the account's language; otherwise the browser's `lang` cookie; else zh-CN. */
export function resolveLocale(request: Request, viewer: Viewer | null): Locale {
  if (viewer) return viewer.locale;
  const fromCookie = readCookie(request, LOCALE_COOKIE);
  return isLocale(fromCookie) ? fromCookie : DEFAULT_LOCALE;
}
