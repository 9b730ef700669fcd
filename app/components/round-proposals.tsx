import type { ReactNode } from "react";
import { FilterSelect } from "~/components/ui/filters";
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
 * The community and category filters of a round's proposals, inside a FilterBar (which gives
 * their ids and values): the officials' screening queue and the public list filter alike.
 */
export function RoundProposalFilters({
  communities,
  categories,
}: {
  communities: readonly (Named & { code: string })[];
  categories: readonly (Named & { key: string })[];
}) {
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <FilterSelect name="community" label={t("screening.filter.community")} allLabel={t("screening.filter.allCommunities")} options={communities.map((c) => ({ value: c.code, label: localName(locale, c) }))} />
      <FilterSelect name="category" label={t("screening.filter.category")} allLabel={t("screening.filter.allCategories")} options={categories.map((c) => ({ value: c.key, label: localName(locale, c) }))} />
    </>
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
