import type { Route } from "./+types/volunteers.$id";
import { EmptyState, PageTitle, Section, Stat, TextLink } from "~/components/ui";
import { formatHours } from "~/domain/volunteers";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { notFound } from "~/lib/permissions.server";
import { getViewer } from "~/lib/session.server";
import { volunteerPage } from "~/services/volunteers/volunteers.server";

/**
 * A volunteer's service record: every entry of hours and the total. Public when they consented to
 * the volunteer wall; otherwise only they and the community's officials see it (404 to others).
 */
export async function loader({ request, params }: Route.LoaderArgs) {
  if (!/^[0-9a-f-]{36}$/.test(params.id)) notFound();
  return volunteerPage(params.id, await getViewer(request));
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "volunteers.page.title");

export default function VolunteerPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { volunteer, minutes, entries } = loaderData;
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <p className="text-sm">
        <TextLink to={`/areas/${volunteer.area.code}/volunteers`}>
          ← {localName(locale, volunteer.area)} · {t("volunteers.title")}
        </TextLink>
      </p>
      <PageTitle sub={`${t("volunteers.page.title")} · ${t(`volunteers.status.${volunteer.status}`)}`}>{volunteer.name}</PageTitle>
      <dl className="grid grid-cols-2 gap-4">
        <Stat label={t("volunteers.page.total")} value={t("volunteers.hours", { hours: formatHours(minutes) })} testId="volunteer-hours" />
      </dl>
      <Section id="entries-h" title={t("volunteers.page.entries")} testId="volunteer-entries">
        {entries.length === 0 ? (
          <EmptyState>{t("volunteers.page.empty")}</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-lg bg-white shadow-sm">
            {entries.map((e) => (
              <li key={e.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 p-4">
                <span className="text-sm text-slate-600">{formatDateTime(locale, e.servedOn, false)}</span>
                <span className="font-medium tabular-nums">{t("volunteers.hours", { hours: formatHours(e.minutes) })}</span>
                {e.reversal ? <span className="rounded bg-amber-100 px-2 text-sm text-amber-900">{t("shifts.reversal")}</span> : null}
                {e.wish ? (
                  <TextLink to={`/needs/${e.wish.number}/wish`}>
                    {t("volunteers.page.wish", { number: e.wish.number })} {e.wish.title}
                  </TextLink>
                ) : null}
                {e.project ? <TextLink to={`/projects/${e.project.referenceNo}`}>{t("volunteers.page.project", { ref: e.project.referenceNo })}</TextLink> : null}
                {!e.wish && e.note ? <span className="text-sm">{e.note}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}
