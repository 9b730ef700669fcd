import { data, Link } from "react-router";
import type { Route } from "./+types/campaigns.$slug";
import { DonorWall, FundraisingStatus } from "~/components/giving-public";
import { Fact, PageTitle, Section, Stat, TextLink } from "~/components/ui";
import { CURSOR_PARAM, PAGE_PARAM } from "~/domain/keyset";
import { formatFen } from "~/domain/money";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { formatDeadline } from "~/lib/deadline";
import { localName, pageMeta, shareMeta, localeOf } from "~/lib/names";
import { campaignPage } from "~/services/giving/foundation-pages.server";
import { PosterLinks } from "~/components/poster-links";

export async function loader({ params, request }: Route.LoaderArgs) {
  const search = new URL(request.url).searchParams;
  const page = await campaignPage(params.slug, { page: search.get(PAGE_PARAM), cursor: search.get(CURSOR_PARAM) });
  if (!page) throw data(null, { status: 404 });
  return page;
}

export const meta: Route.MetaFunction = ({ matches, loaderData, location }) =>
  loaderData
    ? shareMeta(matches, {
        title: localeOf(matches) === "en" ? loaderData.campaign.titleEn : loaderData.campaign.titleZh,
        description: localeOf(matches) === "en" ? loaderData.campaign.descriptionEn : loaderData.campaign.descriptionZh,
        path: location.pathname,
      })
    : pageMeta(matches, "campaignPage.title");

/** Share of the pool matched so far, whole percent (0–100). */
const percentOf = (part: number, whole: number) => (whole > 0 ? Math.min(100, Math.max(0, Math.round((part / whole) * 100))) : 0);
const figure = "text-2xl font-semibold tabular-nums";

export default function CampaignPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { campaign: c, foundation, money, fundraising, eligibleProjects, donors } = loaderData;
  const percent = percentOf(money.matchedFen, money.fundedFen);
  const title = locale === "en" ? c.titleEn : c.titleZh;
  const description = locale === "en" ? c.descriptionEn : c.descriptionZh;
  return (
    <div className="space-y-8">
      <nav aria-label={t("area.breadcrumb")} className="text-sm">
        <TextLink to={`/foundations/${foundation.slug}`}>{localName(locale, foundation)}</TextLink>
      </nav>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <PageTitle sub={t("campaignPage.by", { sponsor: c.sponsorName, kind: t(`campaignPage.sponsorKind.${c.sponsorKind}`) })}>
          <span className={`mr-2 inline-block rounded px-2 py-0.5 align-middle text-sm font-medium ${c.phase === "open" ? "bg-emerald-100 text-emerald-900" : c.phase === "upcoming" ? "bg-sky-100 text-sky-900" : "bg-slate-100 text-slate-700"}`} data-testid="campaign-phase">
            {t(`givingPublic.phase.${c.phase}`)}
          </span>
          {title}
        </PageTitle>
        <PosterLinks kind="campaign" slug={c.slug} />
        {fundraising.kind === "public" ? (
          <div className="space-y-1 text-right">
            <Link
              to={`/foundations/${foundation.slug}/donate?campaign=${encodeURIComponent(c.id)}`}
              className="inline-block rounded-lg bg-brand-700 px-6 py-3 text-lg font-semibold text-white shadow hover:bg-brand-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700"
              data-testid="give-button"
            >
              {t("givingPublic.give")}
            </Link>
            {c.phase !== "open" ? <p className="max-w-xs text-sm text-slate-600">{t(`campaignPage.giveHint.${c.phase}`)}</p> : null}
          </div>
        ) : (
          // a fund without a filing: the page shows what the sponsor's pool did (transparency), and asks no one for a gift
          <p className="max-w-xs rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950" data-testid="directed-only">
            {t("directed.campaign.noGive")}
          </p>
        )}
      </div>

      {c.closedAt ? (
        <p role="status" className="rounded-lg border border-slate-300 bg-slate-50 p-4" data-testid="campaign-closed">
          {c.returnedFen
            ? t("campaign.closed.note", { amount: formatFen(c.returnedFen), to: t("giving.campaign.sponsorBack", { sponsor: c.sponsorName }) })
            : t("campaign.closed.noneLeft")}{" "}
          <time dateTime={c.closedAt} className="text-sm text-slate-600">
            {formatDateTime(locale, c.closedAt)}
          </time>
        </p>
      ) : null}

      {description ? <p className="whitespace-pre-line rounded-lg bg-white p-5 shadow-sm">{description}</p> : null}

      <Section id="money-h" title={t("campaignPage.money.title")} className="space-y-4 rounded-lg bg-white p-5 shadow-sm">
        <dl className="grid gap-4 sm:grid-cols-3">
          <Stat label={t("campaignPage.money.raised")} value={formatFen(money.raisedFen)} testId="campaign-raised" className={null} valueClassName={figure} />
          <Stat label={t("campaignPage.money.matched")} value={formatFen(money.matchedFen)} testId="campaign-matched" className={null} valueClassName={`${figure} text-emerald-800`} />
          <Stat label={t("campaignPage.money.remaining")} value={formatFen(money.remainingFen)} testId="campaign-remaining" className={null} valueClassName={figure} />
        </dl>
        <div>
          <p id="progress-label" className="mb-1 text-sm text-slate-700">
            {t("campaignPage.progress", { matched: formatFen(money.matchedFen), pool: formatFen(money.fundedFen), percent })}
          </p>
          <div
            role="progressbar"
            aria-labelledby="progress-label"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            aria-valuetext={t("campaignPage.progressValue", { percent })}
            className="h-4 w-full overflow-hidden rounded-full bg-slate-200"
            data-testid="campaign-progress"
          >
            <div className="h-full rounded-full bg-emerald-700" style={{ width: `${percent}%` }} />
          </div>
        </div>
      </Section>

      <div className="grid gap-4 md:grid-cols-2">
        <Section id="terms-h" title={t("campaignPage.terms.title")} size="lg" headingClassName="mb-3" className="rounded-lg bg-white p-5 shadow-sm">
          <dl className="space-y-2 text-sm">
            <Fact layout="row" label={t("campaignPage.terms.sponsor")}>
              {c.sponsorName} <span className="text-slate-600">({t(`campaignPage.sponsorKind.${c.sponsorKind}`)})</span>
            </Fact>
            <Fact layout="row" label={t("campaignPage.terms.ratio")} testId="campaign-ratio">
              {c.ratioSponsor}:{c.ratioDonor}{" "}
              <span className="text-slate-600">{t("campaignPage.terms.ratioHint", { donor: formatFen(c.ratioDonor * 100), sponsor: formatFen(c.ratioSponsor * 100) })}</span>
            </Fact>
            <Fact layout="row" label={t("campaignPage.terms.cap")}>
              {c.perDonationCapFen !== null ? formatFen(c.perDonationCapFen) : t("campaignPage.terms.noCap")}
            </Fact>
            <Fact layout="row" label={t("campaignPage.terms.window")}>
              <time dateTime={c.startsAt}>{formatDateTime(locale, c.startsAt)}</time> – <time dateTime={c.endsAt}>{formatDeadline(locale, c.endsAt)}</time>
              <span className="block text-xs text-slate-600">{t("campaignPage.terms.timezone")}</span>
            </Fact>
            <Fact layout="row" label={t("campaignPage.terms.pool")} valueClassName="tabular-nums">
              {formatFen(money.fundedFen)}
            </Fact>
          </dl>
          {c.restricted ? (
            <div className="mt-4">
              <h3 className="text-sm font-semibold">{t("campaignPage.eligible.title")}</h3>
              <p className="text-sm text-slate-600">{t("campaignPage.eligible.hint")}</p>
              <ul className="mt-1 list-inside list-disc text-sm" data-testid="eligible-projects">
                {eligibleProjects.map((p) => (
                  <li key={p.referenceNo}>
                    <TextLink to={`/projects/${encodeURIComponent(p.referenceNo)}`}>{p.referenceNo} {p.title}</TextLink>
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <p className="mt-4 text-sm text-slate-600">{t("campaignPage.eligible.all")}</p>
          )}
        </Section>
        <Section id="law-h" title={t("givingPublic.filing.title")} size="lg" headingClassName="mb-3" className="rounded-lg bg-white p-5 shadow-sm">
          <FundraisingStatus status={fundraising} />
          <p className="mt-3 text-sm">
            <TextLink to={`/foundations/${foundation.slug}`}>{t("campaignPage.foundationLink", { name: localName(locale, foundation) })}</TextLink>
          </p>
        </Section>
      </div>

      <DonorWall donors={donors} param={PAGE_PARAM} cursorParam={CURSOR_PARAM} headingId="donors-h" />
    </div>
  );
}
