import { db } from "~/lib/db.server";
import { serializeCookie } from "~/lib/cookies.server";
import { DEFAULT_LOCALE, isLocale, LARGE_TEXT_COOKIE, LOCALE_COOKIE, toDbLocale } from "~/lib/i18n";
import { getViewer } from "~/lib/session.server";

/** Remembers the chosen language in the browser (cookie) and, when signed in, on the account. */
export async function setLanguage(request: Request, value: FormDataEntryValue | null): Promise<string> {
  const locale = isLocale(value) ? value : DEFAULT_LOCALE;
  const viewer = await getViewer(request);
  if (viewer) await db().user.update({ where: { id: viewer.id }, data: { locale: toDbLocale(locale) } });
  return serializeCookie(LOCALE_COOKIE, locale, { maxAgeSeconds: 365 * 86_400, httpOnly: false });
}

/**
 * The 大字版 switch: remembered in the browser (cookie, for when no one is signed in) and, when
 * signed in, on the account, which then decides in every browser the person signs in on.
 */
export async function setLargeText(request: Request, value: FormDataEntryValue | null | undefined): Promise<string> {
  const large = value === "large";
  const viewer = await getViewer(request);
  if (viewer) await db().user.update({ where: { id: viewer.id }, data: { largeText: large } });
  return serializeCookie(LARGE_TEXT_COOKIE, large ? "large" : "standard", { maxAgeSeconds: 365 * 86_400, httpOnly: false });
}
