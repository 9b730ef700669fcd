import type { ReactNode } from "react";
import { Link } from "react-router";
import type { Route } from "./+types/me";
import { EmptyState, PageTitle, Section } from "~/components/ui";
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

/** Where everyone can go from here. */
const BROWSE = [
  ["/areas", "home.cta.areas"],
  ["/foundations", "home.cta.foundations"],
  ["/inbox", "nav.inbox"],
] as const;

/** One part of the page about one thing the viewer is: a heading and what belongs to it. */
function Part({ name, title, testId, children }: { name: string; title: string; testId?: string; children: ReactNode }) {
  return (
    <Section id={`me-${name}-h`} title={title} testId={testId ?? `me-${name}`}>
      {children}
    </Section>
  );
}

/** The viewer's areas, foundations, projects or organizations, one card each. */
function Cards<T>({ items, keyOf, children }: { items: readonly T[]; keyOf: (item: T) => string; children: (item: T) => ReactNode }) {
  return (
    <ul className="grid gap-4 sm:grid-cols-2">
      {items.map((item) => (
        <li key={keyOf(item)} className={card}>
          {children(item)}
        </li>
      ))}
    </ul>
  );
}

export default function Me({ loaderData: me }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const nothingSpecial = !me.official.length && !me.judge.length && !me.foundations.length && !me.isAdmin;
  const newOrganization = (
    <Link to="/organizations/new" className={link}>
      {t("org.new.link")}
    </Link>
  );
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
        <Section id="me-admin-h" title={t("role.ADMIN")} size="lg" className={card}>
          <p className="mt-2 text-sm">
            <Link to="/admin" className={link}>
              {t("me.admin.link")}
            </Link>
          </p>
        </Section>
      ) : null}

      {me.official.length ? (
        <Part name="official" title={t("me.official.title")}>
          <Cards items={me.official} keyOf={(a) => a.code}>
            {(a) => (
              <>
                <h3 className="text-lg font-semibold">
                  {localName(locale, a)} <span className="text-sm font-normal text-slate-600">{t(`area.level.${a.level}`)}</span>
                </h3>
                <dl className="mt-2 grid grid-cols-2 gap-2 text-sm">
                  {[
                    { label: t("me.official.children"), value: a.children },
                    { label: t("areas.col.residents"), value: a.residents },
                  ].map((f) => (
                    <div key={f.label}>
                      <dt className="text-slate-600">{f.label}</dt>
                      <dd className="text-lg font-semibold tabular-nums">{formatNumber(locale, f.value)}</dd>
                    </div>
                  ))}
                </dl>
                <p className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-sm">
                  <Link to={`/admin/areas/${a.code}`} className={link}>
                    {t(a.administers ? "me.official.manageStaff" : "me.official.viewStaff")}
                  </Link>
                  <Link to={`/areas/${a.code}`} className={link}>
                    {t("me.official.publicPage")}
                  </Link>
                </p>
              </>
            )}
          </Cards>
        </Part>
      ) : null}

      {me.judge.length ? (
        <Part name="judge" title={t("me.judge.title")}>
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
        </Part>
      ) : null}

      {me.foundations.length ? (
        <Part name="foundation" title={t("me.foundation.title")}>
          <Cards items={me.foundations} keyOf={(f) => f.slug}>
            {(f) => (
              <>
                <h3 className="text-lg font-semibold">
                  <Link to={`/foundations/${f.slug}`} className={link}>
                    {localName(locale, f)}
                  </Link>
                </h3>
                <p className="mt-2 text-sm text-slate-600">{t("foundations.available")}</p>
                <p className="text-2xl font-semibold tabular-nums">{formatFen(f.balanceFen)}</p>
                <p className="mt-2 text-sm">{f.fundraisingFilingNo ? t("me.foundation.filed", { no: f.fundraisingFilingNo }) : t("foundations.directed")}</p>
              </>
            )}
          </Cards>
        </Part>
      ) : null}

      {me.projects.length ? (
        <Part name="projects" title={t("myProjects.title")}>
          <Cards items={me.projects} keyOf={(p) => p.referenceNo}>
            {(p) => (
              <>
                <h3 className="font-semibold">
                  <Link to={`/projects/${encodeURIComponent(p.referenceNo)}/agreement`} className={link}>
                    {p.referenceNo} {p.title}
                  </Link>
                </h3>
                <p className="text-sm text-slate-600">
                  {p.round.title} · {formatFen(p.awardFen)}
                </p>
                <p className="mt-1 text-sm">{t(`project.status.${p.status}`)}</p>
              </>
            )}
          </Cards>
        </Part>
      ) : null}

      <Part name="orgs" testId="me-organizations" title={t("me.orgs.title")}>
        {me.organizations.length === 0 ? (
          <EmptyState title={t("me.orgs.empty")}>
            <p>{t("me.orgs.emptyHint")}</p>
            <p className="mt-2">{newOrganization}</p>
          </EmptyState>
        ) : (
          <>
            <Cards items={me.organizations} keyOf={(o) => o.id}>
              {(o) => (
                <>
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
                </>
              )}
            </Cards>
            <p className="text-sm">{newOrganization}</p>
          </>
        )}
      </Part>

      <Section id="me-browse-h" title={t(nothingSpecial ? "me.resident.title" : "me.browse.title")} size="lg" className={card}>
        {nothingSpecial ? <p className="mt-1 text-sm text-slate-700">{t("me.resident.body")}</p> : null}
        <ul className="mt-3 flex flex-wrap gap-x-6 gap-y-2 text-sm">
          {BROWSE.map(([to, label]) => (
            <li key={to}>
              <Link to={to} className={link}>
                {t(label)}
              </Link>
            </li>
          ))}
        </ul>
      </Section>
    </div>
  );
}
