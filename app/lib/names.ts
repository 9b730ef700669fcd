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

/** Share-card text: one line, at most `max` characters (an ellipsis when cut). */
const oneLine = (text: string, max = 120) => {
  const s = text.replace(/\s+/g, " ").trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
};

/**
 * Open Graph tags of a public page, so that a link pasted in a WeChat group (or anywhere) shows
 * what it is: its title, a line of description, the platform's image and the page's address —
 * absolute, from the root loader's `appUrl` (APP_URL) — in the reader's language. With the
 * `<title>` (`title` plus the platform's name) and the plain `description` tag.
 */
export function shareMeta(matches: readonly ({ id: string; loaderData?: unknown } | undefined)[], p: { title: string; description: string | null | undefined; path: string }) {
  const root = matches.find((m) => m?.id === "root")?.loaderData as { appUrl?: unknown } | undefined;
  const base = typeof root?.appUrl === "string" ? root.appUrl : "";
  const locale = localeOf(matches);
  const t = makeT(locale);
  const description = oneLine(p.description || t("app.name"));
  return [
    { title: `${p.title} · ${t("app.name")}` },
    { name: "description", content: description },
    { property: "og:type", content: "website" },
    { property: "og:site_name", content: t("app.name") },
    { property: "og:title", content: p.title },
    { property: "og:description", content: description },
    { property: "og:image", content: `${base}/og-image.png` },
    { property: "og:url", content: `${base}${p.path}` },
    { property: "og:locale", content: locale === "en" ? "en_US" : "zh_CN" },
  ];
}
