import type { ReactNode } from "react";
import { FilterSelect } from "~/components/filters";
import { categoryName, type CategoryDefinition } from "~/domain/categories";
import { formatFen } from "~/domain/money";
import { useLocale, useT } from "~/lib/i18n";
import { localName } from "~/lib/names";

/*
 * The pieces the officials' screening queue and the public list of a round's eligible proposals
 * share: the community and category filters, and the columns that name a proposal.
 */

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

/** The head cells of the columns that name a proposal: reference, title, organization, community, category, amount. */
export function ProposalColumnHeads() {
  const t = useT();
  return (
    <>
      {(["reference", "title", "organization", "community", "category"] as const).map((c) => (
        <th key={c} scope="col" className="px-3 py-2">
          {t(`screening.col.${c}`)}
        </th>
      ))}
      <th scope="col" className="px-3 py-2 text-right">
        {t("screening.col.amount")}
      </th>
    </>
  );
}

/** One proposal's cells under ProposalColumnHeads; `title` is the title as the page shows it (a link, or text). */
export function ProposalCells({
  p,
  title,
  categories,
}: {
  /** organization null: hidden while the round is under blind review */
  p: { referenceNo: string; organization: string | null; community: (Named & { code: string }) | null; category: string | null; requestedFen: number };
  title: ReactNode;
  categories: readonly CategoryDefinition[];
}) {
  const locale = useLocale();
  const t = useT();
  return (
    <>
      <td className="px-3 py-2 whitespace-nowrap tabular-nums">{p.referenceNo}</td>
      <td className="px-3 py-2">{title}</td>
      <td className="px-3 py-2">{p.organization ?? <span className="text-slate-600">{t("screening.public.applicantHidden")}</span>}</td>
      <td className="px-3 py-2">{p.community ? localName(locale, p.community) : ""}</td>
      <td className="px-3 py-2">{categoryName(categories, p.category, locale)}</td>
      <td className="px-3 py-2 text-right tabular-nums">{formatFen(p.requestedFen)}</td>
    </>
  );
}
