import { Link } from "react-router";
import type { Route } from "./+types/home";
import { useLocale, useT, formatNumber } from "~/lib/i18n";
import { homeStats } from "~/services/areas/areas.server";
import { formatFen } from "~/domain/money";
import { Section, Stat } from "~/components/ui";

/** The district's counts on the home page (label home.stats.<key>). */
const COUNTS = ["communities", "villages", "residents", "organizations", "foundations"] as const;
const statValue = "mt-1 break-words text-2xl font-semibold tabular-nums";

export async function loader() {
  return homeStats();
}

export default function Home({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const s = loaderData;
  const steps = ["needs", "proposals", "review", "notice", "monitoring", "evaluation"] as const;
  return (
    <div className="space-y-10">
      <section className="rounded-xl bg-gradient-to-br from-brand-700 to-brand-800 px-6 py-10 text-white">
        <h1 className="text-2xl font-bold sm:text-3xl">{t("app.name")}</h1>
        <p className="mt-3 max-w-2xl text-brand-50">{t("app.tagline")}</p>
        <p className="mt-4 max-w-2xl text-sm text-brand-100">{t("home.intro")}</p>
        <div className="mt-6 flex flex-wrap gap-3">
          <Link to="/areas" className="rounded bg-white px-4 py-2 font-medium text-brand-800">
            {t("home.cta.areas")}
          </Link>
          <Link to="/foundations" className="rounded border border-white px-4 py-2 font-medium">
            {t("home.cta.foundations")}
          </Link>
        </div>
      </section>

      <Section id="stats-h" title={t("home.stats.title")} className={null}>
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
