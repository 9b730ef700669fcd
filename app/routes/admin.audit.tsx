import { Form, useNavigation } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/admin.audit";
import { EmptyState, KeysetPager, Notice, PageTitle, Section } from "~/components/ui";
import { FilterActions, FilterBar, FilterInput, FilterSelect } from "~/components/ui/filters";
import type { DiffValue } from "~/domain/audit-diff";
import { CURSOR_PARAM } from "~/domain/keyset";
import { invalidSubmission, parseForm, readForm } from "~/lib/forms.server";
import { useT, type T } from "~/lib/i18n";
import { resolveLocale } from "~/lib/locale.server";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { messages } from "~/locales";
import { AUDIT_OBJECT_TYPES, listAuditLog, parseAuditFilters, verifyAuditChain } from "~/services/books/audit-log.server";
import type { AuditItem } from "~/services/books/audit-log.server";

/**
 * The audit log for officials: the records about objects in their areas, newest first (keyset
 * pages), filtered by round, project, person, action prefix, object type and Shanghai days; each
 * record's before/after as masked changed keys; the filtered log as CSV; and the chain's
 * verification. Who sees which record: services/books/access.server.ts auditLogScope.
 */
export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const url = new URL(request.url);
  const filters = parseAuditFilters(url.searchParams);
  const log = await listAuditLog(viewer, filters, url.searchParams.get(CURSOR_PARAM), { locale: resolveLocale(request, viewer) });
  const exportQuery = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => typeof e[1] === "string")).toString();
  return { ...log, filters, types: [...AUDIT_OBJECT_TYPES], exportHref: `/admin/audit/export${exportQuery ? `?${exportQuery}` : ""}` };
}

const Intents = z.discriminatedUnion("intent", [z.object({ intent: z.literal("verify") })]);

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const r = await verifyAuditChain(viewer);
  return r.ok ? { intent: "verify" as const, check: r.check } : null;
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "audit.title");

const has = (key: string) => Object.hasOwn(messages, key);
const actionLabel = (t: T, action: string) => (has(`audit.action.${action}`) ? t(`audit.action.${action}`) : action);
const typeLabel = (t: T, type: string) => (has(`audit.object.${type}`) ? t(`audit.object.${type}`) : type);

function Value({ value }: { value: DiffValue | undefined }) {
  const t = useT();
  if (value === undefined) return <span className="text-slate-500">{t("audit.changes.absent")}</span>;
  if ("hidden" in value) return <span className="italic text-slate-600">{t(`audit.hidden.${value.hidden}`)}</span>;
  return <span className="break-all font-mono text-xs">{value.text}</span>;
}

function Changes({ item }: { item: AuditItem }) {
  const t = useT();
  if (!item.changes.length) return <p className="mt-1 text-xs text-slate-500">{t("audit.changes.none")}</p>;
  return (
    <details className="mt-1" data-testid="audit-changes">
      <summary className="cursor-pointer text-sm text-brand-700">{t("audit.changes", { count: item.changes.length })}</summary>
      <table className="mt-2 w-full table-fixed border-collapse text-left text-sm">
        <thead>
          <tr className="border-b border-slate-200 text-xs text-slate-600">
            <th scope="col" className="w-1/4 py-1 pr-2 font-medium">{t("audit.changes.key")}</th>
            <th scope="col" className="py-1 pr-2 font-medium">{t("audit.changes.before")}</th>
            <th scope="col" className="py-1 font-medium">{t("audit.changes.after")}</th>
          </tr>
        </thead>
        <tbody>
          {item.changes.map((c) => (
            <tr key={c.key} className="border-b border-slate-100 align-top">
              <th scope="row" className="break-all py-1 pr-2 font-mono text-xs font-normal">{c.key}</th>
              <td className="py-1 pr-2"><Value value={c.before} /></td>
              <td className="py-1"><Value value={c.after} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function Record({ item }: { item: AuditItem }) {
  const t = useT();
  const object = item.projectRef ?? item.roundCode;
  return (
    <li className="rounded-lg bg-white p-4 shadow-sm" data-testid="audit-row" data-seq={item.seq}>
      <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[10rem_1fr]">
        <dt className="sr-only">{t("audit.col.time")}</dt>
        <dd className="text-slate-600">
          <time dateTime={item.at}>{item.atText}</time> · #{item.seq}
        </dd>
        <dt className="sr-only">{t("audit.col.action")}</dt>
        <dd className="font-medium text-slate-900" data-testid="audit-action" title={item.action}>
          {actionLabel(t, item.action)} <code className="ml-1 text-xs font-normal text-slate-500">{item.action}</code>
        </dd>
        <dt className="text-slate-600 sm:text-right">{t("audit.col.actor")}</dt>
        <dd className="break-words">{item.actorName ? `${item.actorName}${item.actorEmail ? ` (${item.actorEmail})` : ""}` : t("audit.actor.system")}</dd>
        <dt className="text-slate-600 sm:text-right">{t("audit.col.object")}</dt>
        <dd className="break-all">
          {typeLabel(t, item.objectType)} {object ? <span className="font-medium">{object}</span> : null} <span className="font-mono text-xs text-slate-500">{item.objectId}</span>
        </dd>
      </dl>
      <Changes item={item} />
    </li>
  );
}

function Verify({ actionData }: { actionData: Route.ComponentProps["actionData"] }) {
  const t = useT();
  const busy = useNavigation().formData?.get("intent") === "verify";
  const check = actionData && "check" in actionData ? actionData.check : null;
  return (
    <Section id="verify" title={t("audit.verify.title")} sub={t("audit.verify.hint")} className="space-y-3 rounded-lg bg-white p-4 shadow-sm">
      <Form method="post">
        <button type="submit" name="intent" value="verify" disabled={busy} className="rounded bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800 disabled:opacity-60">
          {t("audit.verify.button")}
        </button>
      </Form>
      {check ? (
        <div className="space-y-2" data-testid="verify-result">
          <Notice tone={check.intact ? "success" : "warning"} testId={check.intact ? "chain-intact" : "chain-broken"}>
            {check.intact
              ? t("audit.verify.intact", { records: check.records })
              : t("audit.verify.broken", { records: check.records, problems: check.problems, seq: check.firstBroken?.seq ?? "", kind: t(`audit.verify.kind.${check.firstBroken?.kind ?? ""}`) })}
          </Notice>
          <p className="break-all text-sm" data-testid="chain-head">
            {t("audit.verify.head", { seq: check.headSeq ?? "—", hash: check.headHash })}
          </p>
          <p className="text-xs text-slate-600">{t("audit.verify.headHint")}</p>
        </div>
      ) : null}
    </Section>
  );
}

export default function AuditLog({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const { items, pager, filters, seesUnmapped, exportHref, types } = loaderData;
  const filtered = Object.values(filters).some((v) => v !== undefined);
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <PageTitle sub={t("audit.subtitle")}>{t("audit.title")}</PageTitle>
      <p className="text-sm text-slate-700">{t(seesUnmapped ? "audit.scope.unmapped" : "audit.scope.areas")}</p>
      <FilterBar label={t("audit.filters")} idPrefix="audit" values={filters} className="grid grid-cols-1 gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-4">
        <FilterInput name="round" label={t("audit.filter.round")} maxLength={40} />
        <FilterInput name="project" label={t("audit.filter.project")} maxLength={40} />
        <FilterInput name="person" label={t("audit.filter.person")} maxLength={200} />
        <FilterInput name="action" label={t("audit.filter.action")} hint={t("audit.filter.actionHint")} maxLength={100} />
        <FilterSelect name="type" label={t("audit.filter.type")} allLabel={t("audit.filter.allTypes")} options={types.map((v) => ({ value: v, label: typeLabel(t, v) }))} />
        <FilterInput name="from" type="date" label={t("audit.filter.from")} />
        <FilterInput name="to" type="date" label={t("audit.filter.to")} />
        <FilterActions apply={t("audit.filter.apply")} clear={t("audit.filter.clear")} clearTo={filtered ? "/admin/audit" : null} className="flex items-end gap-3" />
      </FilterBar>
      <p className="text-sm">
        <a href={exportHref} className="text-brand-700 underline underline-offset-4" data-testid="audit-export" download>
          {t("audit.export")}
        </a>{" "}
        <span className="text-xs text-slate-600">{t("audit.exportHint")}</span>
      </p>
      {items.length === 0 ? (
        <EmptyState title={t("audit.empty")}>{t("audit.emptyHint")}</EmptyState>
      ) : (
        <>
          <ol className="space-y-3" aria-label={t("audit.title")} data-testid="audit-list">
            {items.map((item) => (
              <Record key={item.seq} item={item} />
            ))}
          </ol>
          <KeysetPager pager={pager} label={t("audit.pages")} />
        </>
      )}
      <Verify actionData={actionData} />
    </div>
  );
}
