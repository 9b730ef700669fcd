import type { Route } from "./+types/admin.releases";
import { cell, DataTable, EmptyState, PageTitle, Pagination, TextLink } from "~/components/ui";
import { formatFen, pageOf } from "~/domain/money";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { pendingReleases } from "~/services/projects/projects.server";

const PER_PAGE = 20;

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const requested = new URL(request.url).searchParams.get("page");
  const first = await pendingReleases(viewer, 1, PER_PAGE);
  const { page, pages } = pageOf(requested, first.total, PER_PAGE);
  const result = page === 1 ? first : await pendingReleases(viewer, page, PER_PAGE);
  return { ...result, page, pages };
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "releases.title");

export default function ReleasesPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { rows, page, pages } = loaderData;
  return (
    <div className="space-y-4">
      <PageTitle sub={t("releases.intro")}>{t("releases.title")}</PageTitle>
      <DataTable
        testId="releases"
        headers={[t("agreement.project"), t("agreement.grantee"), t("agreement.tranches"), t("releases.col.amount"), null]}
        empty={rows.length === 0 && <EmptyState title={t("releases.none")} />}
      >
        {rows.map((r) => (
          <tr key={r.id}>
            <td className={cell}>
              <TextLink to={`/projects/${encodeURIComponent(r.project.referenceNo)}/agreement`}>
                {r.project.referenceNo}
              </TextLink>{" "}
              {r.project.title}
            </td>
            <td className={cell}>{r.project.organization.name}</td>
            <td className={cell}>{t("tranche.number", { n: r.position })}</td>
            <td className={`${cell} text-right`}>{formatFen(r.amountFen)}</td>
            <td className={cell}>
              {t(`tranche.status.${r.status}`)}
              {r.preparedAt ? <span className="block text-xs text-slate-600">{formatDateTime(locale, r.preparedAt)}</span> : null}
              {r.preparedByMe ? <span className="block text-xs text-slate-600">{t("releases.preparedByMe")}</span> : null}
            </td>
          </tr>
        ))}
      </DataTable>
      <Pagination page={page} pages={pages} />
    </div>
  );
}
