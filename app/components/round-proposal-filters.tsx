import { FilterSelect } from "~/components/filters";
import { useLocale, useT } from "~/lib/i18n";
import { localName } from "~/lib/names";

type Named = { nameZh: string; nameEn: string };

/**
 * The community and category filters of a round's proposals, and the button that applies them:
 * the officials' screening queue and the public list of eligible proposals filter alike.
 */
export function RoundProposalFilters({
  idPrefix,
  community,
  category,
  communities,
  categories,
}: {
  idPrefix: string;
  community: string | null | undefined;
  category: string | null | undefined;
  communities: readonly (Named & { code: string })[];
  categories: readonly (Named & { key: string })[];
}) {
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <FilterSelect
        id={`${idPrefix}-community`}
        name="community"
        label={t("screening.filter.community")}
        value={community}
        allLabel={t("screening.filter.allCommunities")}
        options={communities.map((c) => ({ value: c.code, label: localName(locale, c) }))}
      />
      <FilterSelect
        id={`${idPrefix}-category`}
        name="category"
        label={t("screening.filter.category")}
        value={category}
        allLabel={t("screening.filter.allCategories")}
        options={categories.map((c) => ({ value: c.key, label: localName(locale, c) }))}
      />
    </>
  );
}

/** The button that applies a round's proposal filters. */
export function ApplyFilters() {
  const t = useT();
  return (
    <div className="flex items-end">
      <button type="submit" className="rounded bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800">
        {t("screening.filter.apply")}
      </button>
    </div>
  );
}
