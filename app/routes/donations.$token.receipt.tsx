import { data, Link } from "react-router";
import type { Route } from "./+types/donations.$token.receipt";
import { DemoPaymentsBanner, FundraisingLine, purposeText } from "~/components/donation-form";
import { chineseCapitalAmount } from "~/domain/chinese-amount";
import { formatFen } from "~/domain/money";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { isDemoPayments, receiptByToken } from "~/services/giving/donor-pages.server";
import { Fact } from "~/components/ui";

export async function loader({ params }: Route.LoaderArgs) {
  // a receipt exists once the gift is paid and numbered; before that there is nothing to print
  const receipt = await receiptByToken(params.token);
  if (!receipt) throw data(null, { status: 404 });
  return { receipt, demo: isDemoPayments() };
}

export const meta: Route.MetaFunction = ({ matches, loaderData }) => [
  ...pageMeta(matches, "donor.receipt.title").map((m) => ({ title: `${loaderData?.receipt.receiptNo ?? ""} ${m.title}`.trim() })),
  { name: "robots", content: "noindex" },
];

export default function ReceiptPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { receipt: r, demo } = loaderData;
  const foundation = localName(locale, r.foundation);
  const matched = r.matches.filter((m) => m.matchedFen - m.returnedFen > 0);
  const row = "grid grid-cols-[8rem_1fr] gap-x-4 border-b border-slate-200 py-2 last:border-0 sm:grid-cols-[10rem_1fr] print:grid-cols-[9rem_1fr]";
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3 print:hidden">
        <Link to={`/donations/${r.token}`} className="text-sm text-brand-700 underline">
          {t("donor.receipt.back")}
        </Link>
        <button type="button" onClick={() => window.print()} className="rounded bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800">
          {t("donor.receipt.print")}
        </button>
      </div>
      {demo ? <DemoPaymentsBanner /> : null}

      <article aria-labelledby="receipt-title" className="rounded-lg border border-slate-300 bg-white p-6 shadow-sm print:border-0 print:p-0 print:shadow-none" data-testid="receipt">
        <header className="border-b-2 border-slate-900 pb-3 text-center">
          <p className="text-lg font-semibold">{foundation}</p>
          <h1 id="receipt-title" className="mt-1 text-2xl font-bold tracking-widest">
            {t("donor.receipt.title")}
          </h1>
          <p className="mt-1 text-sm tabular-nums">
            {t("donor.field.receiptNo")}: <span className="font-semibold" data-testid="receipt-no">{r.receiptNo}</span>
          </p>
        </header>
        <dl className="mt-4 text-sm">
          <Fact className={row} label={t("donor.field.donor")}>{locale === "en" ? r.receiptNameEn : r.receiptNameZh}</Fact>
          <Fact className={row} label={t("donor.receipt.amountFigures")} valueClassName="font-semibold tabular-nums">{formatFen(r.amountFen)}</Fact>
          <Fact className={row} label={t("donor.receipt.amountCapitals")} valueClassName="font-semibold" testId="receipt-capitals">
            {chineseCapitalAmount(r.amountFen)}
          </Fact>
          <Fact className={row} label={t("donor.receipt.paidAt")} valueClassName="tabular-nums">{r.paidAt ? formatDateTime(locale, r.paidAt) : "—"}</Fact>
          <Fact className={row} label={t("donor.field.method")}>{t(`donation.method.${r.method}`)}</Fact>
          <Fact className={row} label={t("donor.field.frequency")}>{t(`donor.frequency.${r.frequency}`)}</Fact>
          <Fact className={row} label={t("donor.field.purpose")}>{purposeText(t, r.earmark)}</Fact>
          {matched.length ? (
            <Fact className={row} label={t("donor.receipt.matched")}>
              {matched.map((m) => (
                <span key={m.campaignSlug} className="block">
                  {t("email.donationReceipt.matchedBy", { sponsor: m.sponsorName, amount: formatFen(m.matchedFen - m.returnedFen) })}
                </span>
              ))}
            </Fact>
          ) : null}
          <Fact className={row} label={t("donor.donate.fundraising")}>
            <FundraisingLine status={r.fundraising} />
          </Fact>
          <Fact className={row} label={t("donor.field.ref")} valueClassName="tabular-nums">{r.ref}</Fact>
          <Fact className={row} label={t("donor.receipt.issuer")}>{foundation}</Fact>
        </dl>
        {r.refundedFen > 0 ? (
          <p className="mt-4 rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-950" data-testid="receipt-refunded">
            {t("donor.receipt.refunded", { amount: formatFen(r.refundedFen) })}
          </p>
        ) : null}
        <p className="mt-4 text-xs text-slate-700">{t("donor.receipt.notTaxInvoice", { foundation })}</p>
        <p className="mt-1 text-xs text-slate-700">{t("email.donationReceipt.stripe")}</p>
      </article>
    </div>
  );
}
