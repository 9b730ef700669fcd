import { Form, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/rounds.$code.notice";
import { FormErrors, getFormProps, inputClass, replyFor, SubmitButton, useZodForm } from "~/components/form";
import { controlProps, WrappedField } from "~/components/review-form";
import { NoticeCounting } from "~/components/notice-counting";
import { cell, DataTable, Done, EmptyState, Notice, PageTitle, Section, TextLink } from "~/components/ui";
import { objectionFields } from "~/domain/awards";
import { formatFen } from "~/domain/money";
import { formatScore } from "~/domain/ranking";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { deadlineDay, formatDeadline } from "~/lib/deadline";
import { localName, pageMeta, roundTitle } from "~/lib/names";
import { shanghaiDay } from "~/lib/time";
import { getViewer, requireViewer } from "~/lib/session.server";
import { fileObjection, publicNoticePage } from "~/services/awards/awards.server";
import { projectRefsOfRound } from "~/services/public/project-public.server";

const ObjectIntent = z.object({ intent: z.literal("object"), ...objectionFields, attachment: z.instanceof(File).optional() });

/** The public notice (公示) of a round's proposed awards: public, without signing in. */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await getViewer(request);
  const url = new URL(request.url);
  const [page, projects] = await Promise.all([publicNoticePage(params.code), projectRefsOfRound(params.code)]);
  return { ...page, projects, signedIn: !!viewer, here: url.pathname, done: url.searchParams.get("objected") ? "objection.filed" : url.searchParams.get("published") ? "notice.published" : null };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), ObjectIntent);
  if (submission.status !== "success") return invalidSubmission(submission);
  const r = await fileObjection(viewer, params.code, submission.value, submission.value.attachment ?? null);
  return r.ok ? redirect(`/rounds/${encodeURIComponent(params.code)}/notice?objected=1`) : problemReply(submission, r.problem);
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "notice.title");


export default function NoticePage({ loaderData, actionData }: Route.ComponentProps) {
  if (loaderData.pending) return <NoticePending round={loaderData.pending} />;
  return <PublishedNotice loaderData={{ ...loaderData, notice: loaderData.notice! }} actionData={actionData} />;
}

/** Before the awards are published: the round, and when its notice is planned to open. */
function NoticePending({ round: r }: { round: NonNullable<Route.ComponentProps["loaderData"]["pending"]> }) {
  const t = useT();
  const locale = useLocale();
  const day = deadlineDay(locale, shanghaiDay(new Date(r.noticeStartsAt)));
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <TextLink to={`/rounds/${r.code}`}>{roundTitle(locale, r)}</TextLink>
      </p>
      <PageTitle>{t("notice.title")}</PageTitle>
      <Notice tone="muted" role="note" testId="notice-pending">
        {t(r.planned ? "notice.pending.planned" : "notice.pending.late", { date: day })}
      </Notice>
      <p className="text-sm text-slate-700">{t("notice.rules")}</p>
    </div>
  );
}

function PublishedNotice({ loaderData, actionData }: { loaderData: Route.ComponentProps["loaderData"] & { notice: NonNullable<Route.ComponentProps["loaderData"]["notice"]> }; actionData: Route.ComponentProps["actionData"] }) {
  const t = useT();
  const locale = useLocale();
  const { notice, projects, signedIn, here, done } = loaderData;
  const r = notice.round;
  const [form, fields] = useZodForm(ObjectIntent, replyFor(actionData, "object"), { id: "object" });
  // one explanation per notice period: the first publication, then each restart after an upheld objection
  const byPeriod = new Map<string, typeof notice.awards>();
  for (const a of notice.awards) {
    const key = `${a.noticeStartsAt}|${a.noticeEndsAt}`;
    byPeriod.set(key, [...(byPeriod.get(key) ?? []), a]);
  }
  const periods = [...byPeriod].map(([key, items]) => ({
    key,
    end: items[0]!.noticeEndsAt,
    basis: items[0]!.noticeBasis,
    restarted: items[0]!.restarted,
    refs: items.map((a) => a.proposal.referenceNo ?? ""),
  }));
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <TextLink to={`/rounds/${r.code}`}>{roundTitle(locale, r)}</TextLink>
      </p>
      <PageTitle sub={t(r.final ? "notice.final" : "notice.running", { days: r.noticeDays, date: formatDateTime(locale, r.publishedAt) })}>{t("notice.title")}</PageTitle>
      <Done message={done} />
      <p className="text-sm text-slate-700">{t("notice.rules")}</p>
      {periods.length ? (
        <section aria-labelledby="counting-h" className="space-y-3 rounded-lg bg-white p-4 shadow-sm">
          <h2 id="counting-h" className="font-semibold">{t("notice.counting.title")}</h2>
          {periods.map((p) => (
            <div key={p.key}>
              {p.restarted ? <p className="text-sm">{t("notice.counting.restarted")} {p.refs.join(locale === "en" ? ", " : "、")}</p> : null}
              <NoticeCounting end={p.end} basis={p.basis} />
            </div>
          ))}
        </section>
      ) : null}
      <p className="flex flex-wrap gap-3 text-sm">
        <a href={`/rounds/${r.code}/notice.pdf`} className="font-medium text-brand-700 underline" download data-testid="notice-pdf">{t("doc.notice.download")}</a>
        {["csv", "json", "xlsx"].map((f) => (
          <a key={f} href={`/rounds/${r.code}/notice/export?format=${f}`} className="text-brand-700 underline" download>{t("results.export", { format: f.toUpperCase() })}</a>
        ))}
      </p>
      <DataTable
        testId="notice-table"
        headers={[t("results.col.rank"), t("results.col.proposal"), t("notice.col.organization"), t("notice.col.community"), t("results.col.composite"), t("results.col.outcome"), t("results.col.award"), t("notice.col.period")]}
        empty={notice.awards.length === 0 && <EmptyState title={t("notice.empty")} />}
      >
        {notice.awards.map((a) => (
          <tr key={a.id} data-testid={`notice-${a.proposal.referenceNo}`}>
            <td className={cell}>{a.rank}</td>
            <td className={cell}>
              <span className="font-mono">{a.proposal.referenceNo}</span> {a.proposal.title}
              {a.status === "FINAL" && projects[a.proposal.id] ? (
                <TextLink to={`/projects/${encodeURIComponent(projects[a.proposal.id]!)}`} data-testid="project-link" className="block text-xs">{t("projectPublic.notice.project")}</TextLink>
              ) : null}
            </td>
            <td className={cell}>{a.proposal.organization}</td>
            <td className={cell}>{a.proposal.community ? localName(locale, a.proposal.community) : "—"}</td>
            <td className={cell}>{a.composite === null ? "—" : formatScore(a.composite)}</td>
            <td className={cell} data-testid="outcome">{t(`results.outcome.${a.outcome}`)}</td>
            <td className={cell}>{formatFen(a.awardFen)}</td>
            <td className={cell}>
              {formatDateTime(locale, a.noticeStartsAt, false)} – {formatDeadline(locale, a.noticeEndsAt)}
              <span className="block text-xs" data-testid="award-status">{t(a.status === "FINAL" ? "notice.status.FINAL" : "notice.status.PROPOSED")}{a.restarted ? ` · ${t("notice.restarted")}` : ""}</span>
            </td>
          </tr>
        ))}
      </DataTable>

      <Section id="objections-h" title={t("notice.objections")}>
        {notice.awards.every((a) => a.objections.length === 0) ? <p className="text-sm text-slate-600">{t("notice.noObjections")}</p> : null}
        <ul className="space-y-2" data-testid="objection-list">
          {notice.awards.flatMap((a) =>
            a.objections.map((o) => (
              <li key={o.id} className="rounded bg-white p-3 text-sm shadow-sm">
                <p>
                  <span className="font-mono">{a.proposal.referenceNo}</span> · {formatDateTime(locale, o.createdAt)} · <strong>{t(`objection.status.${o.status}`)}</strong>
                </p>
                <p className="whitespace-pre-line">{o.reason}</p>
                {o.resolution ? <p className="mt-1 border-l-4 border-slate-300 pl-2" data-testid="resolution">{t("notice.resolution")}：{o.resolution}</p> : null}
              </li>
            )),
          )}
        </ul>
        {notice.awards.some((a) => a.canObject) ? (
          signedIn ? (
            <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="space-y-3 rounded-lg bg-white p-4 shadow-sm" aria-labelledby="object-h">
              <h3 id="object-h" className="font-semibold">{t("objection.formTitle")}</h3>
              <p className="text-sm text-slate-700">{t("objection.privacy")}</p>
              <FormErrors form={form} />
              <input type="hidden" name="intent" value="object" />
              <WrappedField meta={fields.proposalId} label={t("objection.item")}>
                <select {...controlProps(fields.proposalId)} className={inputClass} required>
                  {notice.awards.filter((a) => a.canObject).map((a) => <option key={a.id} value={a.proposal.id}>{a.proposal.referenceNo} {a.proposal.title}</option>)}
                </select>
              </WrappedField>
              <WrappedField meta={fields.reason} label={t("objection.reason")}>
                <textarea {...controlProps(fields.reason)} rows={4} minLength={10} maxLength={2000} required className={inputClass} />
              </WrappedField>
              <WrappedField meta={fields.attachment} label={t("objection.attachment")}>
                <input type="file" name={fields.attachment.name} accept="image/*,application/pdf" className="mt-1 block text-sm" />
              </WrappedField>
              <SubmitButton>{t("objection.submit")}</SubmitButton>
            </Form>
          ) : (
            <p>
              <TextLink to={`/login?redirectTo=${encodeURIComponent(here)}`}>{t("objection.signIn")}</TextLink>
            </p>
          )
        ) : null}
      </Section>
    </div>
  );
}
