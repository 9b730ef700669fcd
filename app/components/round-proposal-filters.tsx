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
  const filters = [
    { name: "community", value: community, all: "allCommunities", options: communities.map((c) => ({ value: c.code, label: localName(locale, c) })) },
    { name: "category", value: category, all: "allCategories", options: categories.map((c) => ({ value: c.key, label: localName(locale, c) })) },
  ];
  return (
    <>
      {filters.map((f) => (
        <FilterSelect
          key={f.name}
          id={`${idPrefix}-${f.name}`}
          name={f.name}
          label={t(`screening.filter.${f.name}`)}
          value={f.value}
          allLabel={t(`screening.filter.${f.all}`)}
          options={f.options}
        />
      ))}
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
