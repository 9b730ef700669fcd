import { NavLink, Outlet } from "react-router";
import type { Route } from "./+types/admin.foundations.$slug.layout";
import { useLocale, useT } from "~/lib/i18n";
import { localName } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { foundationAdminAccess } from "~/services/giving/access.server";
import { TextLink } from "~/components/ui";

/**
 * Every page under /admin/foundations/:slug — the overview, one gift, a new campaign, directed
 * invitations (its managers), its money and appropriations (the officials who set up its money):
 * only they get here, each sees the links to their own pages (each page's own loader and action
 * still check, as a layout's loader does not guard its children's actions), and they share this
 * header.
 */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const { foundation, manages, funds } = await foundationAdminAccess(viewer, params.slug);
  return { foundation: { slug: foundation.slug, nameZh: foundation.nameZh, nameEn: foundation.nameEn }, manages, funds };
}

const link = ({ isActive }: { isActive: boolean }) => (isActive ? "font-semibold text-slate-900" : "text-brand-700 underline");

export default function FoundationAdminLayout({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { foundation, manages, funds } = loaderData;
  const base = `/admin/foundations/${foundation.slug}`;
  return (
    <div className="space-y-6">
      <nav aria-label={t("area.breadcrumb")} className="flex flex-wrap gap-x-4 gap-y-1 text-sm" data-testid="foundation-admin-nav">
        {funds ? <TextLink to="/admin/foundations">{t("funds.list.title")}</TextLink> : null}
        {manages ? (
          <>
            <NavLink to={base} end className={link}>
              {t("foundationAdmin.title")} · {localName(locale, foundation)}
            </NavLink>
            <NavLink to={`${base}/campaigns/new`} className={link}>
              {t("foundationAdmin.campaigns.new")}
            </NavLink>
            <NavLink to={`${base}/invitations`} className={link}>
              {t("directed.admin.nav")}
            </NavLink>
            <NavLink to={`${base}/annual-report`} className={link}>
              {t("report.annualNav")}
            </NavLink>
          </>
        ) : null}
        {funds ? (
          <NavLink to={`${base}/money`} className={link}>
            {t("funds.money.nav")} · {localName(locale, foundation)}
          </NavLink>
        ) : null}
        <TextLink to={`/foundations/${foundation.slug}`}>{t("foundationAdmin.publicPage")}</TextLink>
      </nav>
      <Outlet />
    </div>
  );
}
