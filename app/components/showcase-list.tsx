import { Link } from "react-router";
import { EmptyState, Pagination } from "~/components/ui";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName } from "~/lib/names";

type ShowcaseCase = {
  storyZh: string;
  storyEn: string | null;
  outcomesZh: string;
  outcomesEn: string | null;
  photoIds: string[];
  markedAt: string;
  project: { referenceNo: string; title: string; organization: { name: string }; community: { nameZh: string; nameEn: string } | null };
};

/** Showcase cases (优秀案例): each project's story, outcomes and photos from its approved reports, numbered pages. */
export function ShowcaseList({ cases, page, pages }: { cases: readonly ShowcaseCase[]; page: number; pages: number }) {
  const t = useT();
  const locale = useLocale();
  if (!cases.length) return <EmptyState title={t("showcase.none")} />;
  return (
    <>
      <ul className="space-y-6" data-testid="showcase-cases">
        {cases.map((c) => {
          const english = locale === "en" && c.storyEn && c.outcomesEn;
          const ref = encodeURIComponent(c.project.referenceNo);
          return (
            <li key={c.project.referenceNo} className="space-y-3 rounded-lg bg-white p-4 shadow-sm" data-testid="showcase-case">
              <h2 className="text-lg font-semibold">
                <Link to={`/projects/${ref}`} className="underline">
                  {c.project.title}
                </Link>
              </h2>
              <p className="text-sm text-slate-600">
                {c.project.referenceNo} · {c.project.organization.name}
                {c.project.community ? ` · ${localName(locale, c.project.community)}` : ""} · {t("showcase.markedAt", { at: formatDateTime(locale, c.markedAt, false) })}
              </p>
              {locale === "en" && !english ? <p className="text-xs text-slate-600">{t("showcase.chineseOnly")}</p> : null}
              <p className="whitespace-pre-line" lang={english ? "en" : "zh-CN"}>
                {english ? c.storyEn : c.storyZh}
              </p>
              <h3 className="font-medium">{t("showcase.outcomes")}</h3>
              <p className="whitespace-pre-line" lang={english ? "en" : "zh-CN"}>
                {english ? c.outcomesEn : c.outcomesZh}
              </p>
              {c.photoIds.length ? (
                <ul className="grid grid-cols-2 gap-2 sm:grid-cols-3">
                  {c.photoIds.map((id, i) => (
                    <li key={id}>
                      <a href={`/projects/${ref}/photos/${id}`}>
                        <img src={`/projects/${ref}/photos/${id}?thumb=1`} alt={t("showcase.photoAlt", { n: i + 1, title: c.project.title })} className="h-32 w-full rounded object-cover" loading="lazy" />
                      </a>
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          );
        })}
      </ul>
      <Pagination page={page} pages={pages} label={t("showcase.pages")} />
    </>
  );
}
