import { Link } from "react-router";
import type { Route } from "./+types/admin";
import { ButtonLink, EmptyState, PageTitle, Section } from "~/components/ui";
import { formatNumber, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { requireAdministrator } from "~/lib/permissions.server";
import { mailAccess } from "~/services/accounts/access.server";
import { administeredAreas } from "~/services/accounts/staff.server";

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireAdministrator(request);
  return { areas: await administeredAreas(viewer), mail: mailAccess(viewer) };
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "admin.title");

export default function Admin({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  return (
    <div className="space-y-8">
      <PageTitle sub={t("admin.subtitle")}>{t("admin.title")}</PageTitle>
      {loaderData.mail ? (
        <p>
          <Link to="/admin/mail" className="text-brand-700 underline underline-offset-4">
            {t(loaderData.mail.localMode ? "admin.mailLink.local" : "admin.mailLink.log")}
          </Link>
        </p>
      ) : null}
      <p>
        <Link to="/admin/personal-data" className="text-brand-700 underline underline-offset-4">
          {t("privacy.official.nav")}
        </Link>
      </p>
      <p>
        <Link to="/admin/audit" className="text-brand-700 underline underline-offset-4">
          {t("audit.nav")}
        </Link>
      </p>
      {loaderData.areas.length === 0 ? <EmptyState title={t("admin.noAreas")} /> : null}
      {loaderData.areas.map((a) => (
        <Section key={a.code} id={`admin-${a.code}`} title={localName(locale, a)} sub={t(`area.level.${a.level}`)} className="space-y-3 rounded-lg bg-white p-5 shadow-sm">
          <p className="text-sm text-slate-700">
            {t("admin.area.summary", { staff: formatNumber(locale, a.staff), invitations: formatNumber(locale, a.pendingInvitations) })}
          </p>
          <p>
            <ButtonLink to={`/admin/areas/${a.code}`} className="inline-block text-sm">{t("admin.area.manage")}</ButtonLink>
          </p>
          {a.children.length ? (
            <details>
              <summary className="cursor-pointer text-sm text-brand-700">{t("admin.area.children", { count: a.children.length })}</summary>
              <ul className="mt-2 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-3">
                {a.children.map((c) => (
                  <li key={c.code}>
                    <Link to={`/admin/areas/${c.code}`} className="text-brand-700 underline underline-offset-4">
                      {localName(locale, c)}
                    </Link>
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </Section>
      ))}
    </div>
  );
}
