import { Link } from "react-router";
import type { Route } from "./+types/me";
import { EmptyState, PageTitle } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { formatNumber, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { meDashboard } from "~/services/accounts/me.server";

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return meDashboard(viewer);
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "me.title");

const card = "rounded-lg bg-white p-5 shadow-sm";
const link = "text-brand-700 underline underline-offset-4";

export default function Me({ loaderData: me }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const nothingSpecial = !me.official.length && !me.judge.length && !me.foundations.length && !me.isAdmin;
  return (
    <div className="space-y-8">
      <PageTitle sub={me.email}>{t("me.greeting", { name: me.name })}</PageTitle>

      {!me.emailVerified ? (
        <div role="status" className="rounded border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950" data-testid="email-unverified">
          <p className="font-medium">{t("me.unverified.title")}</p>
          <p className="mt-1">
            {t("me.unverified.body", { email: me.email })}{" "}
            <Link to="/account" className={link}>
              {t("me.unverified.link")}
            </Link>
          </p>
        </div>
      ) : null}

      {me.isAdmin ? (
        <section aria-labelledby="me-admin-h" className={card}>
          <h2 id="me-admin-h" className="text-lg font-semibold">{t("role.ADMIN")}</h2>
          <p className="mt-2 text-sm">
            <Link to="/admin" className={link}>
              {t("me.admin.link")}
            </Link>
          </p>
        </section>
      ) : null}

      {me.official.length ? (
        <section aria-labelledby="me-official-h" className="space-y-3" data-testid="me-official">
          <h2 id="me-official-h" className="text-xl font-semibold">{t("me.official.title")}</h2>
          <ul className="grid gap-4 sm:grid-cols-2">
            {me.official.map((a) => (
              <li key={a.code} className={card}>
                <h3 className="text-lg font-semibold">
                  {localName(locale, a)} <span className="text-sm font-normal text-slate-600">{t(`area.level.${a.level}`)}</span>
                </h3>
                <dl className="mt-2 grid grid-cols-2 gap-2 text-sm">
                  <div>
                    <dt className="text-slate-600">{t("me.official.children")}</dt>
                    <dd className="text-lg font-semibold tabular-nums">{formatNumber(locale, a.children)}</dd>
                  </div>
                  <div>
                    <dt className="text-slate-600">{t("areas.col.residents")}</dt>
                    <dd className="text-lg font-semibold tabular-nums">{formatNumber(locale, a.residents)}</dd>
                  </div>
                </dl>
                <p className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-sm">
                  <Link to={`/admin/areas/${a.code}`} className={link}>
                    {t(a.administers ? "me.official.manageStaff" : "me.official.viewStaff")}
                  </Link>
                  <Link to={`/areas/${a.code}`} className={link}>
                    {t("me.official.publicPage")}
                  </Link>
                </p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {me.judge.length ? (
        <section aria-labelledby="me-judge-h" className="space-y-3" data-testid="me-judge">
          <h2 id="me-judge-h" className="text-xl font-semibold">{t("me.judge.title")}</h2>
          <p className="text-sm text-slate-700">
            {t("me.judge.areas")}{" "}
            {me.judge.map((j, i) => (
              <span key={`${j.code}-${i}`}>
                {i > 0 ? "、" : ""}
                <Link to={`/areas/${j.code}`} className={link}>
                  {localName(locale, j)}
                </Link>
              </span>
            ))}
          </p>
          {me.judgeAssignments.length === 0 ? <EmptyState title={t("me.judge.none")}>{t("me.judge.noneHint")}</EmptyState> : null}
        </section>
      ) : null}

      {me.foundations.length ? (
        <section aria-labelledby="me-foundation-h" className="space-y-3" data-testid="me-foundation">
          <h2 id="me-foundation-h" className="text-xl font-semibold">{t("me.foundation.title")}</h2>
          <ul className="grid gap-4 sm:grid-cols-2">
            {me.foundations.map((f) => (
              <li key={f.slug} className={card}>
                <h3 className="text-lg font-semibold">
                  <Link to={`/foundations/${f.slug}`} className={link}>
                    {localName(locale, f)}
                  </Link>
                </h3>
                <p className="mt-2 text-sm text-slate-600">{t("foundations.available")}</p>
                <p className="text-2xl font-semibold tabular-nums">{formatFen(f.balanceFen)}</p>
                <p className="mt-2 text-sm">{f.fundraisingFilingNo ? t("me.foundation.filed", { no: f.fundraisingFilingNo }) : t("foundations.directed")}</p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {me.projects.length ? (
        <section aria-labelledby="me-projects-h" className="space-y-3" data-testid="me-projects">
          <h2 id="me-projects-h" className="text-xl font-semibold">{t("myProjects.title")}</h2>
          <ul className="grid gap-4 sm:grid-cols-2">
            {me.projects.map((p) => (
              <li key={p.referenceNo} className={card}>
                <h3 className="font-semibold">
                  <Link to={`/projects/${encodeURIComponent(p.referenceNo)}/agreement`} className={link}>
                    {p.referenceNo} {p.title}
                  </Link>
                </h3>
                <p className="text-sm text-slate-600">
                  {p.round.title} · {formatFen(p.awardFen)}
                </p>
                <p className="mt-1 text-sm">{t(`project.status.${p.status}`)}</p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="me-orgs-h" className="space-y-3" data-testid="me-organizations">
        <h2 id="me-orgs-h" className="text-xl font-semibold">{t("me.orgs.title")}</h2>
        {me.organizations.length === 0 ? (
          <EmptyState title={t("me.orgs.empty")}>
            <p>{t("me.orgs.emptyHint")}</p>
            <p className="mt-2">
              <Link to="/organizations/new" className={link}>
                {t("org.new.link")}
              </Link>
            </p>
          </EmptyState>
        ) : (
          <>
            <ul className="grid gap-4 sm:grid-cols-2">
              {me.organizations.map((o) => (
                <li key={o.id} className={card}>
                  <h3 className="text-lg font-semibold">
                    <Link to={`/organizations/${o.id}`} className={link}>
                      {o.name}
                    </Link>
                  </h3>
                  <p className="text-sm text-slate-600">
                    {t(`org.kind.${o.kind}`)} · {localName(locale, o.area)}
                  </p>
                  <p className="mt-2 text-sm">
                    {t("me.orgs.members", { count: o.members.length })}: {o.members.map((m) => m.name).join("、")}
                  </p>
                </li>
              ))}
            </ul>
            <p className="text-sm">
              <Link to="/organizations/new" className={link}>
                {t("org.new.link")}
              </Link>
            </p>
          </>
        )}
      </section>

      <section aria-labelledby="me-browse-h" className={card}>
        <h2 id="me-browse-h" className="text-lg font-semibold">{t(nothingSpecial ? "me.resident.title" : "me.browse.title")}</h2>
        {nothingSpecial ? <p className="mt-1 text-sm text-slate-700">{t("me.resident.body")}</p> : null}
        <ul className="mt-3 flex flex-wrap gap-x-6 gap-y-2 text-sm">
          <li>
            <Link to="/areas" className={link}>
              {t("home.cta.areas")}
            </Link>
          </li>
          <li>
            <Link to="/foundations" className={link}>
              {t("home.cta.foundations")}
            </Link>
          </li>
          <li>
            <Link to="/inbox" className={link}>
              {t("nav.inbox")}
            </Link>
          </li>
        </ul>
      </section>
    </div>
  );
}
