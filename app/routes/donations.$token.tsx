import { data, Link } from "react-router";
import type { Route } from "./+types/donations.$token";
import { DemoPaymentsBanner, DonationStatusBadge, purposeText, useAutoRevalidate } from "~/components/donation-form";
import { ButtonLink, Fact, PageTitle, TextLink } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { donationByToken, isDemoPayments } from "~/services/giving/donor-pages.server";

export async function loader({ params }: Route.LoaderArgs) {
  // the token is the secret link of the receipt email: whoever holds it may see this gift
  const donation = await donationByToken(params.token);
  if (!donation) throw data(null, { status: 404 });
  return { donation, demo: isDemoPayments() };
}

export const meta: Route.MetaFunction = ({ matches }) => [...pageMeta(matches, "donor.donation.title"), { name: "robots", content: "noindex" }];

export default function DonationPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { donation: d, demo } = loaderData;
  const confirming = d.status === "PENDING" || d.status === "PROCESSING";
  const { stopped, refreshing } = useAutoRevalidate(confirming);
  const foundation = localName(locale, d.foundation);
  const amount = formatFen(d.amountFen);
  const refunded = d.status === "REFUNDED" || d.status === "PARTIALLY_REFUNDED";

  return (
    <div className="mx-auto max-w-2xl space-y-6">
      {demo ? <DemoPaymentsBanner /> : null}
      <PageTitle sub={<span className="tabular-nums">{t("donor.field.ref")}: {d.ref}</span>}>{t("donor.donation.title")}</PageTitle>

      <section aria-live="polite" className="space-y-3 rounded-lg bg-white p-5 shadow-sm" data-testid="donation-state">
        <p>
          <DonationStatusBadge status={d.status} />
        </p>
        {confirming ? (
          <>
            <p>{stopped ? t("donor.donation.pendingStopped") : t("donor.donation.pending")}</p>
            <TextLink to={`/donations/${d.token}`} aria-busy={refreshing} className="inline-block text-sm font-medium">{t("donor.donation.refresh")}</TextLink>
          </>
        ) : null}
        {d.status === "SUCCEEDED" || refunded || d.status === "DISPUTED" ? (
          <>
            {d.status === "SUCCEEDED" ? <p>{t("donor.donation.succeeded", { foundation, amount, email: d.maskedEmail })}</p> : null}
            {d.receiptNo ? (
              <p>
                {t("donor.field.receiptNo")}: <span className="font-medium tabular-nums" data-testid="receipt-no">{d.receiptNo}</span>
              </p>
            ) : null}
            {d.matches.map((m) => (
              <p key={m.campaignSlug} className="text-emerald-900" data-testid="donation-matched">
                {t("email.donationReceipt.matchedBy", { sponsor: m.sponsorName, amount: formatFen(m.matchedFen) })}
                {m.returnedFen > 0 ? <span className="text-slate-600"> (−{formatFen(m.returnedFen)})</span> : null}
              </p>
            ))}
          </>
        ) : null}
        {refunded ? (
          <div className="space-y-1" data-testid="donation-refunded">
            <p>{t("donor.donation.refunded", { refunded: formatFen(d.refundedFen), amount })}</p>
            {d.status === "PARTIALLY_REFUNDED" ? <p>{t("donor.donation.kept", { kept: formatFen(d.amountFen - d.refundedFen) })}</p> : null}
            {d.refunds.length ? (
              <ul className="list-disc pl-5 text-sm text-slate-700">
                {d.refunds.map((r, i) => (
                  <li key={i}>{t("donor.donation.refundRow", { date: formatDateTime(locale, r.createdAt), amount: formatFen(r.amountFen), reason: r.reason })}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        {d.status === "DISPUTED" && !d.disputeLost ? <p className="text-red-900">{t("donor.donation.disputed")}</p> : null}
        {d.disputeLost ? <p className="text-red-900" data-testid="donation-dispute-lost">{t("transparency.gift.disputeLost")}</p> : null}
        {d.status === "FAILED" ? (
          <>
            <p>{t("donor.donation.failed")}</p>
            {d.donatePath ? <ButtonLink to={d.donatePath} className="inline-block">{t("donor.donation.tryAgain")}</ButtonLink> : <p>{t("directed.donation.retryClosed")}</p>}
          </>
        ) : null}
      </section>

      <dl className="grid gap-x-4 gap-y-2 rounded-lg bg-white p-5 shadow-sm sm:grid-cols-[auto_1fr]">
        <Fact bare label={t("donor.field.foundation")}>
          <Link to={`/foundations/${d.foundation.slug}`} className="underline">{foundation}</Link>
        </Fact>
        <Fact bare label={t("donor.field.amount")} valueClassName="font-medium tabular-nums">{amount}</Fact>
        <Fact bare label={t("donor.field.frequency")}>{t(`donor.frequency.${d.frequency}`)}</Fact>
        <Fact bare label={t("donor.field.method")}>{t(`donation.method.${d.method}`)}</Fact>
        <Fact bare label={t("donor.field.purpose")}>{purposeText(t, d.earmark)}</Fact>
        <Fact bare label={t("donor.field.donor")}>{locale === "en" ? d.publicNameEn : d.publicNameZh}</Fact>
        {d.message ? <Fact bare label={t("donor.field.message")} valueClassName="whitespace-pre-line break-words">{d.message}</Fact> : null}
        <Fact bare label={t("donor.field.email")} testId="donation-email">{d.maskedEmail}</Fact>
        <Fact bare label={t("donor.field.date")} valueClassName="tabular-nums">{formatDateTime(locale, d.paidAt ?? d.createdAt)}</Fact>
      </dl>

      <nav aria-label={t("donor.donation.title")} className="flex flex-col gap-2 rounded-lg bg-white p-5 shadow-sm">
        {d.receiptNo ? (
          <TextLink to={`/donations/${d.token}/receipt`} className="font-medium">{t("donor.donation.receiptLink")}</TextLink>
        ) : null}
        {!confirming && d.status !== "FAILED" ? (
          <TextLink to={`/transparency/gifts/${d.ref}`}>{t("donor.donation.traceLink")}</TextLink>
        ) : null}
        <TextLink to={`/foundations/${d.foundation.slug}#donors-h`}>{t("donor.donation.wallLink")}</TextLink>
        {d.matches.map((m) => (
          <TextLink key={m.campaignSlug} to={`/campaigns/${m.campaignSlug}`}>{t("donor.campaign.link")}: {locale === "en" ? m.titleEn : m.titleZh}</TextLink>
        ))}
        {d.monthlyToken ? (
          <TextLink to={`/giving/monthly/${d.monthlyToken}`}>{t("donor.donation.monthlyLink")}</TextLink>
        ) : null}
      </nav>
      <p className="text-sm text-slate-600">{t("donor.secretLink")}</p>
    </div>
  );
}
