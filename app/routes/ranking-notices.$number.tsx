import type { Route } from "./+types/ranking-notices.$number";
import { RankingTable } from "~/components/ranking-table";
import { Done, PageTitle, Section, TextLink } from "~/components/ui";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { rankingNotice } from "~/services/areas/ranking-notice.server";

export async function loader({ request, params }: Route.LoaderArgs) {
  const notice = await rankingNotice(/^\d{1,9}$/.test(params.number) ? Number(params.number) : NaN);
  return { notice, done: new URL(request.url).searchParams.get("published") ? "rankingNotice.done" : null };
}

export const meta: Route.MetaFunction = ({ matches, loaderData }) => pageMeta(matches, "rankingNotice.heading", { quarter: loaderData?.notice.quarter ?? "" });

/** One published quarterly ranking (通报): the note, the bottom three named, the whole table, its fingerprint. */
export default function RankingNoticePage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { notice: n, done } = loaderData;
  const list = locale === "en" ? ", " : "、";
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <p className="text-sm">
        <TextLink to={`/areas/${encodeURIComponent(n.area.code)}/rankings`}>← {localName(locale, n.area)} · {t("rankingNotice.listTitle")}</TextLink>
      </p>
      <Done message={done} />
      <PageTitle sub={t("rankingNotice.byline", { area: localName(locale, n.area), at: formatDateTime(locale, n.publishedAt) })}>
        {t("rankingNotice.heading", { quarter: n.quarter })}
        {n.version > 1 ? ` · ${t("rankingNotice.version", { version: n.version })}` : null}
      </PageTitle>
      {n.correctedBy ? (
        <p role="note" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="notice-corrected">
          {t("rankingNotice.corrected", { version: n.correctedBy.version })} <TextLink to={`/ranking-notices/${n.correctedBy.number}`}>{t("rankingNotice.openCorrection")}</TextLink>
        </p>
      ) : null}
      <Section id="notice-note-h" title={t("rankingNotice.note")}>
        <p className="whitespace-pre-line" data-testid="notice-note">
          {n.note}
        </p>
      </Section>
      {n.bottom.length ? (
        <p className="rounded border border-amber-300 bg-amber-50 p-3 text-amber-900" data-testid="notice-bottom">
          {t("rankingNotice.bottom", { names: n.bottom.join(list) })}
        </p>
      ) : null}
      <Section id="notice-table-h" title={t("rankingNotice.table")} note={t("rankingNotice.weights", { ...n.weights, asOf: formatDateTime(locale, n.asOf) })}>
        <RankingTable rows={n.rows} testId="notice-rows" label={t("rankingNotice.table")} />
      </Section>
      <p>
        <a href={`/ranking-notices/${n.number}/pdf`} className="text-brand-700 underline" data-testid="notice-pdf" download>
          {t("doc.rankingNotice.download")}
        </a>
      </p>
      <p className="text-xs break-all text-slate-600" data-testid="notice-hash">
        {t("rankingNotice.hash", { hash: n.contentHash })}
      </p>
    </div>
  );
}
