import type { Route } from "./+types/admin.foundations";
import { ButtonLink, Done, EmptyState, ListRow, PageTitle, Pagination, RowList, TitleLink } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { listFundFoundations } from "~/services/giving/funds.server";

/** The foundations of the areas an official sets up money for (officials of a subdistrict or higher, administrators). */
export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const url = new URL(request.url);
  const list = await listFundFoundations(viewer, url.searchParams.get("page"));
  return { ...list, done: url.searchParams.get("created") ? "funds.create.done" : null };
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "funds.list.title");

export default function AdminFoundations({ loaderData: p }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <PageTitle sub={t("funds.list.subtitle")}>{t("funds.list.title")}</PageTitle>
        <ButtonLink to="/admin/foundations/new">{t("funds.list.new")}</ButtonLink>
      </div>
      <Done message={p.done} />
      <RowList
        testId="fund-list"
        empty={
          p.items.length === 0 && (
            <EmptyState title={t("funds.list.empty")}>
              <p>{t("funds.list.emptyHint")}</p>
            </EmptyState>
          )
        }
      >
        {p.items.map((f) => (
          <ListRow key={f.id} aside={<span className="tabular-nums font-medium">{formatFen(f.availableFen)}</span>}>
            <p className="font-medium">
              <TitleLink to={`/admin/foundations/${f.slug}/money`}>{localName(locale, f)}</TitleLink>
            </p>
            <p className="text-sm text-slate-600">
              {localName(locale, f.area)} · {t("funds.list.prefix", { prefix: f.receiptPrefix })} ·{" "}
              {f.fundraisingFilingNo ? t("funds.list.filed", { no: f.fundraisingFilingNo }) : <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900">{t("funds.list.directedOnly")}</span>}
            </p>
          </ListRow>
        ))}
      </RowList>
      <Pagination page={p.page} pages={p.pages} />
    </div>
  );
}
