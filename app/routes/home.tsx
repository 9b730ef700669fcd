import { Link } from "react-router";
import type { Route } from "./+types/home";
import { useLocale, useT, formatNumber, type T } from "~/lib/i18n";
import { publicDataVersion } from "~/lib/public-version.server";
import { homePageData } from "~/services/public/home.server";
import { categoryName, DEFAULT_CATEGORIES } from "~/domain/categories";
import { formatFen } from "~/domain/money";
import { formatDeadline } from "~/lib/deadline";
import { localName, roundTitle } from "~/lib/names";
import { Countdown } from "~/components/countdown";
import { CampaignProgress } from "~/components/charts";
import { ButtonLink, Section, Stat, TextLink, TitleLink } from "~/components/ui";

/** The district's counts on the home page (label home.stats.<key>). */
const COUNTS = ["communities", "villages", "residents", "organizations", "foundations"] as const;
const statValue = "mt-1 break-words text-2xl font-semibold tabular-nums";

export async function loader({ context }: Route.LoaderArgs) {
  // kept per public-data version: no query but the version while nothing public changed
  return homePageData(await publicDataVersion(context));
}

type Data = Route.ComponentProps["loaderData"];

export default function Home({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const s = loaderData;
  const steps = ["needs", "proposals", "review", "notice", "monitoring", "evaluation"] as const;
  return (
    <div className="space-y-10">
      <section aria-labelledby="home-h" className="rounded-xl bg-gradient-to-br from-brand-700 to-brand-800 px-5 py-8 text-white sm:px-6 sm:py-10">
        <h1 id="home-h" className="text-2xl font-bold sm:text-3xl">{t("app.name")}</h1>
        <p className="mt-3 max-w-2xl text-brand-50">{t("app.tagline")}</p>
        <OpenRound round={s.round} now={s.now} t={t} />
      </section>

      <div className="grid gap-6 lg:grid-cols-2">
        <NeedsToSupport needs={s.needs} t={t} />
        <Giving campaign={s.campaign} round={s.round} t={t} />
      </div>

      <LatestProjects projects={s.projects} t={t} />

      <Section id="stats-h" title={t("home.stats.title")} className={null}>
        <p className="mt-2 max-w-3xl text-sm text-slate-700">{t("home.intro")}</p>
        <dl className="mt-4 grid grid-cols-2 gap-4 sm:grid-cols-3">
          {COUNTS.map((k) => (
            <Stat key={k} label={t(`home.stats.${k}`)} value={formatNumber(locale, s[k])} valueClassName={statValue} />
          ))}
          <Stat label={t("home.stats.funds")} value={formatFen(s.fundsFen)} valueClassName={statValue} />
        </dl>
      </Section>

      <Section id="how-h" title={t("home.how.title")} className={null}>
        <ol className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {steps.map((step, i) => (
            <li key={step} className="rounded-lg bg-white p-4 shadow-sm">
              <p className="text-sm font-semibold text-brand-700">
                {i + 1}. {t(`home.how.${step}.title`)}
              </p>
              <p className="mt-1 text-sm text-slate-700">{t(`home.how.${step}.body`)}</p>
            </li>
          ))}
        </ol>
      </Section>
    </div>
  );
}

const heroButton = "inline-block rounded bg-white px-5 py-2.5 text-lg font-semibold text-brand-800 hover:bg-brand-50";
const heroLink = "inline-block rounded border border-white px-4 py-2 font-medium";

/** The round to apply to now (or the nearest one), with its deadline counting down and the way in. */
function OpenRound({ round: r, now, t }: { round: Data["round"]; now: string; t: T }) {
  const locale = useLocale();
  if (!r) {
    return (
      <div className="mt-6 space-y-4" data-testid="home-round-none">
        <p className="max-w-2xl text-brand-50">{t("home.open.none")}</p>
        <div className="flex flex-wrap gap-3">
          <Link to="/rounds" className={heroLink}>{t("home.open.allRounds")}</Link>
          <Link to="/needs/new" className={heroLink}>{t("home.open.postNeed")}</Link>
        </div>
      </div>
    );
  }
  return (
    <div className="mt-6 rounded-lg bg-white/10 p-4 ring-1 ring-white/30 sm:p-5" data-testid="home-round">
      <p className="text-sm font-semibold uppercase tracking-wide text-brand-100">{t(r.accepting ? "home.open.accepting" : "home.open.needs")}</p>
      <h2 className="mt-1 text-xl font-semibold sm:text-2xl">
        <Link to={`/rounds/${r.code}`} className="underline-offset-4 hover:underline" data-testid="home-round-title">{roundTitle(locale, r)}</Link>
      </h2>
      <p className="mt-1 text-sm text-brand-100">
        {localName(locale, r.area)} · {t("home.open.range", { min: formatFen(r.minAwardFen), max: formatFen(r.maxAwardFen), pool: formatFen(r.poolFen) })}
      </p>
      {r.accepting ? (
        <div className="mt-3">
          <p className="text-sm text-brand-100">{t("home.open.deadline")}</p>
          <Countdown end={r.proposalsDeadline} now={now} />
        </div>
      ) : (
        <p className="mt-3" data-testid="home-needs-until">{t("home.open.needsUntil", { at: formatDeadline(locale, r.proposalsStartsAt) })}</p>
      )}
      <div className="mt-4 flex flex-wrap items-center gap-3">
        {r.accepting ? (
          <Link to={`/rounds/${r.code}/apply`} className={heroButton} data-testid="home-apply">{t("home.open.apply")}</Link>
        ) : (
          <Link to="/needs/new" className={heroButton}>{t("home.open.postNeed")}</Link>
        )}
        <Link to={`/rounds/${r.code}`} className={heroLink} data-testid="home-round-link">{t("home.open.details")}</Link>
      </div>
    </div>
  );
}

function NeedsToSupport({ needs, t }: { needs: Data["needs"]; t: T }) {
  const locale = useLocale();
  return (
    <Section id="home-needs-h" title={t("home.needs.title")} note={t("home.needs.note")} size="lg" testId="home-needs">
      {needs.length === 0 ? (
        <p className="text-sm text-slate-600">{t("home.needs.empty")}</p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm">
          {needs.map((n) => (
            <li key={n.number} className="flex items-start justify-between gap-3 px-4 py-3">
              <div className="min-w-0">
                <TitleLink to={`/needs/${n.number}`} className="font-medium">#{n.number} {n.title}</TitleLink>
                <p className="text-sm text-slate-600">
                  {localName(locale, n.area)} · {categoryName(DEFAULT_CATEGORIES, n.category, locale)}
                </p>
              </div>
              <span className="shrink-0 rounded bg-brand-50 px-2 py-0.5 text-sm font-semibold tabular-nums text-brand-900">
                {t("home.needs.votes", { count: n.votes })}
              </span>
            </li>
          ))}
        </ul>
      )}
      <p className="text-sm">
        <TextLink to="/needs">{t("home.needs.all")}</TextLink>
      </p>
    </Section>
  );
}

/** A campaign matching gifts now, with its progress; else the open round's foundation. */
function Giving({ campaign: c, round, t }: { campaign: Data["campaign"]; round: Data["round"]; t: T }) {
  const locale = useLocale();
  return (
    <Section id="home-give-h" title={t("home.give.title")} size="lg" testId="home-give">
      <div className="space-y-3 rounded-lg bg-white p-4 shadow-sm">
        {c ? (
          <>
            <h3 className="font-semibold">
              <TitleLink to={`/campaigns/${c.slug}`}>{localName(locale, c)}</TitleLink>
            </h3>
            <p className="text-sm text-slate-700">{t("home.give.campaign", { sponsor: c.sponsorName, ratio: c.ratio, end: formatDeadline(locale, c.endsAt) })}</p>
            <CampaignProgress matchedFen={c.matchedFen} fundedFen={c.fundedFen} raisedFen={c.raisedFen} />
            <ButtonLink to={`/foundations/${c.foundation.slug}/donate`} className="inline-block">{t("home.give.donate")}</ButtonLink>
          </>
        ) : round ? (
          <>
            <p className="text-sm text-slate-700">{t("home.give.foundation", { name: localName(locale, round.foundation) })}</p>
            <ButtonLink to={`/foundations/${round.foundation.slug}`} className="inline-block">{t("home.give.foundationButton")}</ButtonLink>
          </>
        ) : null}
        <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          <TextLink to="/foundations">{t("home.give.allFoundations")}</TextLink>
          <TextLink to="/transparency">{t("home.give.transparency")}</TextLink>
        </p>
      </div>
    </Section>
  );
}

function LatestProjects({ projects, t }: { projects: Data["projects"]; t: T }) {
  const locale = useLocale();
  return (
    <Section id="home-projects-h" title={t("home.projects.title")} size="lg" testId="home-projects">
      {projects.length === 0 ? (
        <p className="text-sm text-slate-600">{t("home.projects.empty")}</p>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {projects.map((p) => (
            <li key={p.referenceNo} className="overflow-hidden rounded-lg bg-white shadow-sm" data-testid="home-project">
              {p.photo ? (
                <img src={p.photo} alt={t("home.projects.photoAlt", { title: p.title })} loading="lazy" width={400} height={225} className="aspect-video w-full bg-slate-100 object-cover" />
              ) : (
                <div className="flex aspect-video w-full items-center justify-center bg-gradient-to-br from-brand-50 to-slate-100 text-sm text-slate-600" data-testid="photo-placeholder">
                  <svg aria-hidden="true" viewBox="0 0 24 24" className="mr-2 h-6 w-6 fill-none stroke-current" strokeWidth={1.5}>
                    <rect x="3" y="5" width="18" height="14" rx="2" />
                    <circle cx="9" cy="10" r="2" />
                    <path d="M21 16l-5-5-8 8" />
                  </svg>
                  {t("home.projects.noPhoto")}
                </div>
              )}
              <div className="space-y-1 p-4">
                <TitleLink to={`/projects/${encodeURIComponent(p.referenceNo)}`} className="font-medium">{p.title}</TitleLink>
                <p className="text-sm text-slate-600">
                  {p.organization}
                  {p.community ? ` · ${localName(locale, p.community)}` : ""}
                </p>
                <p className="text-sm font-semibold tabular-nums">{t("home.projects.award", { amount: formatFen(p.awardFen) })}</p>
              </div>
            </li>
          ))}
        </ul>
      )}
      <p className="text-sm">
        <TextLink to="/projects">{t("home.projects.all")}</TextLink>
      </p>
    </Section>
  );
}
