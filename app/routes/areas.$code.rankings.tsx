import { Link } from "react-router";
import type { Route } from "./+types/areas.$code.rankings";
import { EmptyState, PageTitle, Pagination, TextLink } from "~/components/ui";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { areaRankingNotices } from "~/services/areas/ranking-notice.server";

export async function loader({ request, params }: Route.LoaderArgs) {
  return areaRankingNotices(params.code, new URL(request.url).searchParams.get("page"));
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "rankingNotice.listTitle");

/** An area's published quarterly rankings (通报), newest first. */
export default function AreaRankingNotices({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { area, notices, page, pages, total } = loaderData;
  const list = locale === "en" ? ", " : "、";
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <p className="text-sm">
        <TextLink to={`/areas/${encodeURIComponent(area.code)}`}>← {localName(locale, area)}</TextLink>
      </p>
      <PageTitle sub={t("rankingNotice.listSub")}>
        {localName(locale, area)} · {t("rankingNotice.listTitle")}
      </PageTitle>
      {total === 0 ? (
        <EmptyState title={t("rankingNotice.none")} />
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg bg-white shadow-sm" data-testid="ranking-notices">
          {notices.map((n) => (
            <li key={n.number} className="space-y-1 p-4" data-testid="ranking-notice-item">
              <Link to={`/ranking-notices/${n.number}`} className="font-medium underline">
                {t("rankingNotice.heading", { quarter: n.quarter })}
                {n.version > 1 ? ` · ${t("rankingNotice.version", { version: n.version })}` : null}
              </Link>
              <p className="text-sm text-slate-600">{t("rankingNotice.publishedAt", { at: formatDateTime(locale, n.publishedAt) })}</p>
              {n.bottom.length ? <p className="text-sm text-amber-900">{t("rankingNotice.bottom", { names: n.bottom.join(list) })}</p> : null}
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pages={pages} label={t("rankingNotice.pages")} />
    </div>
  );
}
