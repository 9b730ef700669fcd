import { DEFAULT_LOCALE, isLocale, makeT, type Locale, type Params } from "./i18n";

/** The name of an area, foundation… in the reader's language. */
export const localName = (locale: Locale, x: { nameZh: string; nameEn: string }) => (locale === "en" ? x.nameEn : x.nameZh);

/**
 * `<title>` for a route's meta function, in the language the root loader resolved
 * ("Page · 社区公益创投平台").
 */
export function pageMeta(matches: readonly ({ id: string; loaderData?: unknown } | undefined)[], key: string, params?: Params) {
  const root = matches.find((m) => m?.id === "root")?.loaderData as { locale?: unknown } | undefined;
  const locale: Locale = isLocale(root?.locale) ? root.locale : DEFAULT_LOCALE;
  const t = makeT(locale);
  return [{ title: `${t(key, params)} · ${t("app.name")}` }];
}

/** `<title>` for a page about one named thing (area, foundation), in the reader's language. */
export function namedMeta(matches: readonly ({ id: string; loaderData?: unknown } | undefined)[], named: { nameZh: string; nameEn: string } | undefined) {
  const root = matches.find((m) => m?.id === "root")?.loaderData as { locale?: unknown } | undefined;
  const locale: Locale = isLocale(root?.locale) ? root.locale : DEFAULT_LOCALE;
  const t = makeT(locale);
  return [{ title: named ? `${localName(locale, named)} · ${t("app.name")}` : t("app.name") }];
}
