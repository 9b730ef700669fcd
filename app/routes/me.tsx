import type { ReactNode } from "react";
import { Form } from "react-router";
import type { Route } from "./+types/me";
import { EmptyState, Fact, PageTitle, Section, TextLink } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { bulkKindOf, deadlineState } from "~/domain/work";
import { formatDateTime, formatNumber, useLocale, useT } from "~/lib/i18n";
import { formatDeadline } from "~/lib/deadline";
import { localName, pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { meDashboard } from "~/services/accounts/me.server";

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return meDashboard(viewer);
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "me.title");

const card = "rounded-lg bg-white p-5 shadow-sm";
/** links here sit a little lower under their text (TextLink adds the rest) */
const offset = "underline-offset-4";

/** Where everyone can go from here. */
const BROWSE = [
  ["/areas", "home.cta.areas"],
  ["/foundations", "home.cta.foundations"],
  ["/inbox", "nav.inbox"],
] as const;

type Work = Route.ComponentProps["loaderData"]["work"];

const deadlineTone = { past: "text-red-700 font-medium", soon: "text-amber-800 font-medium", later: "text-slate-600" } as const;

/**
 * What waits for the viewer, per kind (oldest first, a few each, a link to the kind's list page),
 * or the empty state. The kinds and their order are domain/work.ts's.
 */
function WorkList({ work, now }: { work: Work; now: string }) {
  const t = useT();
  const locale = useLocale();
  return (
    <Section
      id="me-work-h"
      title={t("work.title")}
      sub={work.total ? <span data-testid="work-total">{t("work.total", { count: work.total })}</span> : undefined}
      size="lg"
      testId="me-work"
    >
      {work.groups.length === 0 ? (
        <EmptyState title={t("work.empty")}>{t("work.emptyHint")}</EmptyState>
      ) : (
        <ul className="grid gap-4 lg:grid-cols-2">
          {work.groups.map((g) => (
            <li key={g.kind} className={card} data-testid={`work-${g.kind}`}>
              <h3 className="flex items-baseline justify-between gap-2 font-semibold">
                <span>{t(`work.kind.${g.kind}`)}</span>
                <span className="rounded-full bg-brand-700 px-2 text-sm font-normal text-white tabular-nums" data-testid="work-count" aria-label={t("work.count", { count: g.count })}>
                  {formatNumber(locale, g.count)}
                </span>
              </h3>
              <GroupItems group={g}>
                <ul className="mt-2 space-y-2 text-sm">
                  {g.items.map((i) => {
                    const state = i.deadline ? deadlineState(i.deadline, new Date(now)) : null;
                    const bulk = bulkKindOf(g.kind) && i.select;
                    return (
                      <li key={i.id} data-testid="work-item" className={bulk ? "flex gap-2" : undefined}>
                        {bulk ? (
                          <input
                            type="checkbox"
                            name="item"
                            value={i.select!}
                            id={`work-select-${i.id}`}
                            aria-label={t("work.bulk.selectItem", { title: `${i.ref ?? ""} ${i.title}` })}
                            className="mt-1 h-5 w-5 shrink-0"
                          />
                        ) : null}
                        <div>
                          <TextLink to={i.href} className={offset}>
                            {i.ref ? <span className="font-mono">{i.ref} </span> : null}
                            {i.title}
                          </TextLink>
                          <p className="text-slate-600">
                            {i.deadline && state ? (
                              <span className={deadlineTone[state]}>
                                {t("work.deadline", { date: formatDeadline(locale, i.deadline) })}
                                {state !== "later" ? ` · ${t(`work.deadline.${state}`)}` : ""}
                              </span>
                            ) : i.since ? (
                              t("work.since", { date: formatDateTime(locale, i.since, false) })
                            ) : null}
                          </p>
                          {i.missing?.length ? (
                            <p className="text-slate-700">
                              {g.kind === "draftsToSubmit" ? `${t("work.missing")} ` : null}
                              {i.missing.map((k) => t(k)).join(g.kind === "draftsToSubmit" ? "、" : " · ")}
                            </p>
                          ) : null}
                          {i.unmet?.length ? (
                            <p className="text-amber-900" data-testid="work-unmet">
                              {`${t("work.unmet")} `}
                              {i.unmet.map((k) => t(k)).join("、")}
                            </p>
                          ) : null}
                          {i.ready ? (
                            <p className="text-emerald-800" data-testid="work-ready">
                              {t("work.ready")}
                            </p>
                          ) : null}
                        </div>
                      </li>
                    );
                  })}
                </ul>
              </GroupItems>
              {g.more || g.listHref ? (
                <p className="mt-3 flex flex-wrap gap-x-3 text-sm">
                  {g.more ? <span className="text-slate-600">{t("work.more", { count: g.more })}</span> : null}
                  {g.listHref ? (
                    <TextLink to={g.listHref} className={offset}>
                      {t("work.viewAll")}
                    </TextLink>
                  ) : null}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

/**
 * A kind whose items may be approved together (domain/work.ts BULK_KINDS) lists them inside a GET
 * form to /me/approve/:kind: tick several, and the next page shows what will be approved for the
 * official to confirm. Other kinds are a plain list.
 */
function GroupItems({ group, children }: { group: Work["groups"][number]; children: ReactNode }) {
  const t = useT();
  const bulk = bulkKindOf(group.kind);
  if (!bulk || !group.items.some((i) => i.select)) return <>{children}</>;
  const to = `/me/approve/${bulk}`;
  return (
    <Form method="get" action={to} data-testid={`work-bulk-${bulk}`}>
      {children}
      <p className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
        <button type="submit" className="rounded border border-brand-700 px-3 py-1 font-medium text-brand-800">
          {t("work.bulk.approveSelected")}
        </button>
        <TextLink to={to} className={offset}>
          {t("work.bulk.chooseMore")}
        </TextLink>
      </p>
    </Form>
  );
}

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

/** A Part of cards, one for each item; nothing when there are none. */
function CardPart<T>({ name, title, items, keyOf, children }: { name: string; title: string; items: readonly T[]; keyOf: (item: T) => string; children: (item: T) => ReactNode }) {
  if (items.length === 0) return null;
  return (
    <Part name={name} title={title}>
      <Cards items={items} keyOf={keyOf}>
        {children}
      </Cards>
    </Part>
  );
}

export default function Me({ loaderData: me }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const nothingSpecial = !me.official.length && !me.judge.length && !me.foundations.length && !me.isAdmin;
  const newOrganization = <TextLink to="/organizations/new" className={offset}>{t("org.new.link")}</TextLink>;
  return (
    <div className="space-y-8">
      <PageTitle sub={me.email}>{t("me.greeting", { name: me.name })}</PageTitle>

      {me.email && !me.emailVerified ? (
        <div role="status" className="rounded border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950" data-testid="email-unverified">
          <p className="font-medium">{t("me.unverified.title")}</p>
          <p className="mt-1">
            {t("me.unverified.body", { email: me.email })}{" "}
            <TextLink to="/account" className={offset}>{t("me.unverified.link")}</TextLink>
          </p>
        </div>
      ) : null}

      <WorkList work={me.work} now={me.now} />

      {me.isAdmin ? (
        <Section id="me-admin-h" title={t("role.ADMIN")} size="lg" className={card}>
          <p className="mt-2 text-sm">
            <TextLink to="/admin" className={offset}>{t("me.admin.link")}</TextLink>
          </p>
        </Section>
      ) : null}

      <CardPart name="official" title={t("me.official.title")} items={me.official} keyOf={(a) => a.code}>
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
                <Fact key={f.label} label={f.label} valueClassName="text-lg font-semibold tabular-nums">{formatNumber(locale, f.value)}</Fact>
              ))}
            </dl>
            <p className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-sm">
              <TextLink to={`/admin/areas/${a.code}`} className={offset}>{t(a.administers ? "me.official.manageStaff" : "me.official.viewStaff")}</TextLink>
              <TextLink to={`/areas/${a.code}`} className={offset}>{t("me.official.publicPage")}</TextLink>
            </p>
          </>
        )}
      </CardPart>

      {me.judge.length ? (
        <Part name="judge" title={t("me.judge.title")}>
          <p className="text-sm text-slate-700">
            {t("me.judge.areas")}{" "}
            {me.judge.map((j, i) => (
              <span key={`${j.code}-${i}`}>
                {i > 0 ? "、" : ""}
                <TextLink to={`/areas/${j.code}`} className={offset}>{localName(locale, j)}</TextLink>
              </span>
            ))}
          </p>
          <p className="text-sm text-slate-700" data-testid="me-judging">
            {t("me.judge.sheets", { submitted: me.judging.submitted, total: me.judging.sheets })}{" "}
            <TextLink to="/judging" className={offset}>{t("review.queue.title")}</TextLink>
          </p>
        </Part>
      ) : null}

      <CardPart name="foundation" title={t("me.foundation.title")} items={me.foundations} keyOf={(f) => f.slug}>
        {(f) => (
          <>
            <h3 className="text-lg font-semibold">
              <TextLink to={`/foundations/${f.slug}`} className={offset}>{localName(locale, f)}</TextLink>
            </h3>
            <p className="mt-2 text-sm text-slate-600">{t("foundations.available")}</p>
            <p className="text-2xl font-semibold tabular-nums">{formatFen(f.balanceFen)}</p>
            <p className="mt-2 text-sm">{f.fundraisingFilingNo ? t("me.foundation.filed", { no: f.fundraisingFilingNo }) : t("foundations.directed")}</p>
          </>
        )}
      </CardPart>

      <CardPart name="projects" title={t("myProjects.title")} items={me.projects} keyOf={(p) => p.referenceNo}>
        {(p) => (
          <>
            <h3 className="font-semibold">
              <TextLink to={`/projects/${encodeURIComponent(p.referenceNo)}/agreement`} className={offset}>{p.referenceNo} {p.title}</TextLink>
            </h3>
            <p className="text-sm text-slate-600">
              {p.round.title} · {formatFen(p.awardFen)}
            </p>
            <p className="mt-1 text-sm">{t(`project.status.${p.status}`)}</p>
          </>
        )}
      </CardPart>

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
                    <TextLink to={`/organizations/${o.id}`} className={offset}>{o.name}</TextLink>
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
              <TextLink to={to} className={offset}>{t(label)}</TextLink>
            </li>
          ))}
        </ul>
      </Section>
    </div>
  );
}
