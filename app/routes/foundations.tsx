import type { Route } from "./+types/foundations";
import { AreaLink } from "~/components/area-table";
import { ButtonLink, EmptyState, Fact, PageTitle, TitleLink } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { listFoundations } from "~/services/giving/foundations.server";

export async function loader() {
  return { foundations: await listFoundations() };
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "foundations.title");

export default function Foundations({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { foundations } = loaderData;
  return (
    <div>
      <PageTitle sub={t("foundations.subtitle")}>{t("foundations.title")}</PageTitle>
      {foundations.length === 0 ? (
        <EmptyState title={t("foundations.empty")}>{t("foundations.emptyHint")}</EmptyState>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2">
          {foundations.map((f) => (
            <li key={f.slug} className="rounded-lg bg-white p-5 shadow-sm" data-testid="foundation-card">
              <h2 className="text-lg font-semibold">
                <TitleLink to={`/foundations/${f.slug}`}>{localName(locale, f)}</TitleLink>
              </h2>
              <p className="mt-1 text-sm text-slate-600">
                <AreaLink area={f.area} />
              </p>
              <dl className="mt-3 space-y-1 text-sm">
                <Fact layout="row" label={t("foundations.available")} valueClassName="text-lg font-semibold tabular-nums">{formatFen(f.balanceFen)}</Fact>
                <Fact layout="row" label={t("foundations.filing")}>{f.fundraisingFilingNo ?? <span className="rounded bg-amber-100 px-2 py-0.5 text-amber-900">{t("foundations.directed")}</span>}</Fact>
              </dl>
              {f.raisesPublicly ? (
                <p className="mt-4">
                  <ButtonLink to={`/foundations/${f.slug}/donate`} aria-label={`${t("givingPublic.give")} · ${localName(locale, f)}`} className="inline-block text-sm">
                    {t("givingPublic.give")}
                  </ButtonLink>
                </p>
              ) : (
                <p className="mt-4 text-sm text-slate-700" data-testid="directed-only">{t("directed.list.only")}</p>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
