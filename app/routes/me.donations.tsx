import { Link } from "react-router";
import type { Route } from "./+types/me.donations";
import { DonationStatusBadge } from "~/components/donation-form";
import { EmptyState, ScrollArea, PageTitle, Pagination, Section, TableHead, TextLink } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { myDonations } from "~/services/giving/donor-pages.server";

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return myDonations(viewer, new URL(request.url).searchParams.get("page"));
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "donor.mine.title");

export default function MyDonations({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { donations, monthly, total, paid, givenFen, page, pages } = loaderData;
  const nothing = total === 0 && monthly.length === 0;
  return (
    <div className="space-y-8">
      <PageTitle sub={t("donor.mine.subtitle")}>{t("donor.mine.title")}</PageTitle>

      {nothing ? (
        <EmptyState title={t("donor.mine.empty")}>
          <TextLink to="/foundations" className="font-medium">{t("donor.mine.browse")}</TextLink>
        </EmptyState>
      ) : null}

      {monthly.length ? (
        <Section id="monthly-h" title={t("donor.mine.monthly")}>
          <ul className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm" data-testid="my-monthly">
            {monthly.map((g) => (
              <li key={g.token} className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3 text-sm">
                <span className="font-medium">{localName(locale, g.foundation)}</span>
                <span className="tabular-nums">{t("donor.mine.perMonth", { amount: formatFen(g.amountFen) })}</span>
                <DonationStatusBadge status={g.status} monthly />
                <TextLink to={`/giving/monthly/${g.token}`} className="ml-auto">{t("donor.mine.manage")}</TextLink>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      {total > 0 ? (
        <Section id="gifts-h" title={t("donor.mine.title")} sub={t("donor.mine.count", { count: total, paid, given: formatFen(givenFen) })} subGap="margin">
          <ScrollArea className="rounded-lg bg-white shadow-sm">
            <table className="w-full text-left text-sm" data-testid="my-donations">
              <TableHead
                cellClassName="px-3 py-2 font-medium"
                columns={[t("donor.field.date"), t("donor.field.foundation"), [t("donor.field.amount"), "text-right"], t("donor.field.status"), t("donor.field.receiptNo")]}
              />
              <tbody>
                {donations.map((d) => (
                  <tr key={d.ref} className="border-b border-slate-100 align-top last:border-0">
                    <td className="whitespace-nowrap px-3 py-2 tabular-nums">
                      <TextLink to={`/donations/${d.token}`}>{formatDateTime(locale, d.paidAt ?? d.createdAt, false)}</TextLink>
                      <span className="block text-xs text-slate-600">
                        {d.ref} · {t(`donor.frequency.${d.frequency}`)}
                      </span>
                    </td>
                    <td className="px-3 py-2">
                      <Link to={`/foundations/${d.foundation.slug}`} className="underline">
                        {localName(locale, d.foundation)}
                      </Link>
                    </td>
                    <td className="whitespace-nowrap px-3 py-2 text-right font-medium tabular-nums">
                      {formatFen(d.amountFen)}
                      {d.refundedFen > 0 ? <span className="block text-xs font-normal text-slate-600">−{formatFen(d.refundedFen)}</span> : null}
                      {d.matchedFen > 0 ? <span className="block text-xs font-normal text-emerald-800">+{formatFen(d.matchedFen)} {t("donor.receipt.matched")}</span> : null}
                    </td>
                    <td className="px-3 py-2">
                      <DonationStatusBadge status={d.status} />
                    </td>
                    <td className="px-3 py-2">
                      {d.receiptNo ? (
                        <Link to={`/donations/${d.token}/receipt`} className="text-brand-700 underline tabular-nums" aria-label={`${t("donor.mine.receipt")} ${d.receiptNo}`}>
                          {d.receiptNo}
                        </Link>
                      ) : (
                        <span aria-hidden="true">{t("donor.mine.noReceipt")}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
          <Pagination page={page} pages={pages} />
        </Section>
      ) : null}
    </div>
  );
}
