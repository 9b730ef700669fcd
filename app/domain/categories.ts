/**
 * The three project categories of the Danghu rules (004): 居民自治类 / 公益服务类 / 文体康乐类.
 * Needs always use these keys; a round starts with them and officials may rename, add or remove
 * categories for that round (its `categories` setting).
 */
export const NEED_CATEGORIES = ["SELF_GOVERNANCE", "PUBLIC_SERVICE", "CULTURE_SPORTS"] as const;
export type NeedCategory = (typeof NEED_CATEGORIES)[number];

export interface CategoryDefinition {
  key: string;
  nameZh: string;
  nameEn: string;
}

export const DEFAULT_CATEGORIES: readonly CategoryDefinition[] = [
  { key: "SELF_GOVERNANCE", nameZh: "居民自治类", nameEn: "Resident self-governance" },
  { key: "PUBLIC_SERVICE", nameZh: "公益服务类", nameEn: "Public-interest services" },
  { key: "CULTURE_SPORTS", nameZh: "文体康乐类", nameEn: "Culture, sports and recreation" },
];

export const isNeedCategory = (v: unknown): v is NeedCategory =>
  typeof v === "string" && (NEED_CATEGORIES as readonly string[]).includes(v);

/** The name of a category key in the reader's language, falling back to the key itself. */
export function categoryName(categories: readonly CategoryDefinition[], key: string | null | undefined, locale: string): string {
  const c = categories.find((x) => x.key === key);
  if (!c) return key ?? "";
  return locale === "en" ? c.nameEn : c.nameZh;
}
