import { DEFAULT_LOCALE, isLocale, makeT, type Locale, type Params } from "./i18n";

/** The name of an area, foundation… in the reader's language. */
export const localName = (locale: Locale, x: { nameZh: string; nameEn: string }) => (locale === "en" ? x.nameEn : x.nameZh);

/** The language the root loader resolved, for a route's meta function. */
export function localeOf(matches: readonly ({ id: string; loaderData?: unknown } | undefined)[]): Locale {
  const root = matches.find((m) => m?.id === "root")?.loaderData as { locale?: unknown } | undefined;
  return isLocale(root?.locale) ? root.locale : DEFAULT_LOCALE;
}

/** A round's title in the reader's language: English pages show `titleEn`, or the Chinese title when it has none. */
export const roundTitle = (locale: Locale, r: { title: string; titleEn?: string | null }) => (locale === "en" && r.titleEn ? r.titleEn : r.title);

/**
 * `<title>` for a route's meta function, in the language the root loader resolved
 * ("Page · 社区公益创投平台").
 */
export function pageMeta(matches: readonly ({ id: string; loaderData?: unknown } | undefined)[], key: string, params?: Params) {
  const t = makeT(localeOf(matches));
  return [{ title: `${t(key, params)} · ${t("app.name")}` }];
}

/** `<title>` for a page about one named thing (area, foundation), in the reader's language. */
export function namedMeta(matches: readonly ({ id: string; loaderData?: unknown } | undefined)[], named: { nameZh: string; nameEn: string } | undefined) {
  const root = matches.find((m) => m?.id === "root")?.loaderData as { locale?: unknown } | undefined;
  const locale: Locale = isLocale(root?.locale) ? root.locale : DEFAULT_LOCALE;
  const t = makeT(locale);
  return [{ title: named ? `${localName(locale, named)} · ${t("app.name")}` : t("app.name") }];
}
