import { Link, useLocation } from "react-router";
import type { Route } from "./+types/admin.needs";
import { NeedStatusBadge, useCategoryName } from "~/components/need-card";
import { EmptyState, ScrollArea, ExportLinks, NumberedPager, PageTitle, PerPage, TableHead, TextLink } from "~/components/ui";
import { FilterActions, FilterBar, FilterSelect } from "~/components/ui/filters";
import { NEED_PAGE_SIZES, NEED_STATUSES, parseNeedListQuery } from "~/domain/needs";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { adminNeeds } from "~/services/needs/needs.server";

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const query = parseNeedListQuery(new URL(request.url).searchParams);
  // 403 for anyone who is not an official; only needs inside the viewer's areas
  return { query, list: await adminNeeds(viewer, query) };
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "needs.admin.title");

export default function AdminNeeds({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const location = useLocation();
  const category = useCategoryName();
  const { query, list } = loaderData;
  const statusHref = (s: string) => {
    const p = new URLSearchParams(location.search);
    p.set("status", s);
    p.delete("page");
    p.delete("cursor");
    return `${location.pathname}?${p}`;
  };
  return (
    <div>
      <PageTitle sub={t("needs.admin.subtitle")}>{t("needs.admin.title")}</PageTitle>
      <nav aria-label={t("needs.admin.counts")} className="mb-4">
        <ul className="flex flex-wrap gap-2 text-sm" data-testid="status-counts">
          {NEED_STATUSES.map((s) => (
            <li key={s}>
              <Link
                to={statusHref(s)}
                aria-current={list.status === s ? "page" : undefined}
                className={`inline-block rounded border px-3 py-1 ${list.status === s ? "border-slate-800 bg-slate-800 text-white" : "border-slate-300 bg-white"}`}
              >
                {t(`needs.status.${s}`)} · {list.counts[s]}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <FilterBar idPrefix="admin-needs" values={{ community: query.community, status: list.status }} className="mb-4 grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-4">
        <div className="sm:col-span-2">
          <FilterSelect
            name="community"
            label={t("needs.filter.community")}
            allLabel={t("needs.filter.allCommunities")}
            options={list.areas.map((a) => ({
              value: a.code,
              label: a.level === "SUBDISTRICT" ? t("needs.filter.wholeSubdistrict", { name: localName(locale, a) }) : `\u3000${localName(locale, a)}`,
            }))}
          />
        </div>
        <FilterSelect name="status" label={t("needs.filter.status")} options={NEED_STATUSES.map((s) => ({ value: s, label: t(`needs.status.${s}`) }))} />
        <FilterActions apply={t("needs.filter.apply")} />
      </FilterBar>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-slate-700">{t("needs.total", { count: list.total })}</p>
        <PerPage per={list.per} sizes={NEED_PAGE_SIZES} />
      </div>
      <ExportLinks dataset="needs" className="mb-3" />
      {list.items.length === 0 ? (
        <EmptyState title={t("needs.admin.empty")} />
      ) : (
        <ScrollArea className="rounded-lg bg-white shadow-sm">
          <table className="w-full text-left text-sm">
            <TableHead
              cellClassName="px-3 py-2"
              columns={["#", t("needs.field.title"), t("needs.filter.community"), t("needs.filter.category"), [t("needs.votesLabel"), "text-right"], t("needs.filter.status"), t("needs.admin.postedAt")]}
            />
            <tbody className="divide-y divide-slate-100">
              {list.items.map((n) => (
                <tr key={n.number}>
                  <td className="px-3 py-2 tabular-nums">{n.number}</td>
                  <td className="px-3 py-2">
                    <TextLink to={`/needs/${n.number}?${new URLSearchParams({ back: `${location.pathname}${location.search}` })}`}>{n.title}</TextLink>
                  </td>
                  <td className="px-3 py-2">{localName(locale, n.area)}</td>
                  <td className="px-3 py-2">{category(n.category)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{n.voteCount}</td>
                  <td className="px-3 py-2">
                    <NeedStatusBadge status={n.status} />
                  </td>
                  <td className="px-3 py-2">{formatDateTime(locale, n.createdAt, false)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollArea>
      )}
      <NumberedPager pager={list.pager} />
    </div>
  );
}
