import type { SubmissionResult } from "@conform-to/react";
import { Form } from "react-router";
import type { Route } from "./+types/needs.$number.wish";
import { ConfirmSubmit, ErrorList, FormActions, FormErrors, getFormProps, replyErrors, replyFor, SelectField, TextareaField, TextField, useZodForm } from "~/components/form";
import { Done, PageTitle, Problems, Section, TextLink } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { formatHours, WishIntents } from "~/domain/volunteers";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { notFound } from "~/lib/permissions.server";
import { getViewer, requireViewer } from "~/lib/session.server";
import { confirmWish, disputeWish, fulfilWish, markWish, releaseWish, ruleWish, takeWish, wishDetail } from "~/services/volunteers/volunteers.server";
import { TakerText, WishStatusBadge } from "~/components/wish";

function needNumber(raw: string | undefined): number {
  const n = Number(raw);
  if (!/^\d{1,9}$/.test(raw ?? "") || !Number.isSafeInteger(n) || n < 1) notFound();
  return n;
}

export async function loader({ request, params }: Route.LoaderArgs) {
  return wishDetail(needNumber(params.number), await getViewer(request));
}

export async function action({ request, params }: Route.ActionArgs) {
  const number = needNumber(params.number);
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), WishIntents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const v = submission.value;
  const answer = (r: { ok: boolean; problem?: unknown }, notice: string, extra: object = {}) =>
    r.ok ? { intent: v.intent, result: submission.reply({ resetForm: true }), notice } : problemReply(submission, (r as { problem: Parameters<typeof problemReply>[1] }).problem, extra);
  // each step refuses (403) anyone who may not take it on this wish
  switch (v.intent) {
    case "mark":
      return answer(await markWish(viewer, number, v), "wish.done.marked");
    case "take":
      return answer(await takeWish(viewer, number, v), "wish.done.taken");
    case "release":
      return answer(await releaseWish(viewer, number), "wish.done.released");
    case "fulfil": {
      const { photo, ...fields } = v;
      const choseFiles = (photo ?? []).some((f) => f.size > 0);
      return answer(await fulfilWish(viewer, number, fields, photo ?? []), "wish.done.fulfilled", { choseFiles });
    }
    case "confirm":
      return answer(await confirmWish(viewer, number), "wish.done.confirmed");
    case "dispute":
      return answer(await disputeWish(viewer, number, v), "wish.done.disputed");
    case "rule":
      return answer(await ruleWish(viewer, number, v), "wish.done.ruled");
  }
}

export const meta: Route.MetaFunction = ({ data, matches }) => {
  const base = pageMeta(matches, "wish.title");
  return data ? [{ title: `${data.need.title} · ${base[0]!.title}` }] : base;
};

const panel = "space-y-3 rounded-lg border border-slate-300 bg-slate-50 p-5";
type Reply = SubmissionResult<string[]> | null;

function MarkForm({ result }: { result: Reply }) {
  const t = useT();
  const [form, fields] = useZodForm(WishIntents, result, { id: "wish-mark" });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3">
      <FormErrors form={form} />
      <TextField meta={fields.value} label={t("wish.mark.value")} inputProps={{ inputMode: "decimal", autoComplete: "off" }} />
      <FormActions submit={t("wish.mark.submit")} intent="mark" />
    </Form>
  );
}

function FulfilForm({ result, choseFiles }: { result: Reply; choseFiles: boolean }) {
  const t = useT();
  const [form, fields] = useZodForm(WishIntents, result, { id: "wish-fulfil" });
  const fileErrors = fields.photo.errors;
  return (
    <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="space-y-3">
      <FormErrors form={form} />
      <TextareaField meta={fields.note} label={t("wish.fulfil.note")} rows={3} />
      <TextField meta={fields.hours} label={t("wish.fulfil.hours")} inputProps={{ inputMode: "decimal", autoComplete: "off" }} />
      <div>
        <label htmlFor="wish-fulfil-photo" className="block text-sm font-medium text-slate-800">
          {t("wish.fulfil.photo")}
        </label>
        <input
          id="wish-fulfil-photo"
          name="photo"
          type="file"
          accept="image/jpeg,image/png,image/webp,image/gif"
          aria-invalid={fileErrors?.length ? true : undefined}
          aria-describedby={fileErrors?.length ? "wish-fulfil-photo-error" : undefined}
          className="mt-1 block w-full text-sm"
        />
        <ErrorList id="wish-fulfil-photo-error" errors={fileErrors} />
        {choseFiles ? <p className="mt-1 text-sm text-amber-900">{t("wish.fulfil.photoAgain")}</p> : null}
      </div>
      <FormActions submit={t("wish.fulfil.submit")} intent="fulfil" />
    </Form>
  );
}

function DisputeForm({ result }: { result: Reply }) {
  const t = useT();
  const [form, fields] = useZodForm(WishIntents, result, { id: "wish-dispute" });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3">
      <FormErrors form={form} />
      <TextareaField meta={fields.reason} label={t("wish.answer.reason")} rows={2} />
      <FormActions submit={t("wish.answer.dispute")} intent="dispute" />
    </Form>
  );
}

function RuleForm({ result }: { result: Reply }) {
  const t = useT();
  const [form, fields] = useZodForm(WishIntents, result, { id: "wish-rule" });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3">
      <FormErrors form={form} />
      <SelectField meta={fields.outcome} label={t("wish.rule.outcome")} placeholder="—" options={(["FULFILLED", "NOT_FULFILLED"] as const).map((o) => ({ value: o, label: t(`wish.ruling.${o}`) }))} />
      <TextareaField meta={fields.reason} label={t("wish.rule.reason")} rows={2} />
      <FormActions submit={t("wish.rule.submit")} intent="rule" />
    </Form>
  );
}

export default function WishPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { need, wish, allowed, limitFen } = loaderData;
  const reply = (intent: string) => replyFor(actionData, intent) ?? null;
  const choseFiles = !!actionData && "choseFiles" in actionData && !!actionData.choseFiles;
  const facts: [string, React.ReactNode, string?][] = wish
    ? [
        ["wish.status", <WishStatusBadge key="s" status={wish.status} testId="wish-status" />],
        ["wish.value", wish.valueFen === 0 ? t("volunteers.value.none") : formatFen(wish.valueFen)],
        ...(wish.taker ? ([["wish.taker", <TakerText key="t" taker={wish.taker} />, "wish-taker"]] as [string, React.ReactNode, string][]) : []),
        ...(wish.takenAt ? ([["wish.takenAt", formatDateTime(locale, wish.takenAt)]] as [string, string][]) : []),
        ...(wish.fulfilledAt ? ([["wish.fulfilledAt", formatDateTime(locale, wish.fulfilledAt)]] as [string, string][]) : []),
        ...(wish.fulfilmentNote ? ([["wish.note", wish.fulfilmentNote]] as [string, string][]) : []),
        ...(wish.minutes !== null ? ([["wish.minutes", t("volunteers.hours", { hours: formatHours(wish.minutes) }) + (wish.hoursRecorded ? ` · ${t("wish.hoursRecorded")}` : ""), "wish-hours"]] as [string, string, string][]) : []),
        ...(wish.disputeReason ? ([["wish.dispute", wish.disputeReason]] as [string, string][]) : []),
        ...(wish.ruledAt && wish.rulingFulfilled !== null ? ([["wish.ruling", `${t(`wish.ruling.${wish.rulingFulfilled ? "FULFILLED" : "NOT_FULFILLED"}`)}：${wish.rulingReason ?? ""}`]] as [string, string][]) : []),
      ]
    : [];
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <Done message={actionData && "notice" in actionData ? actionData.notice : null} />
      <p className="flex flex-wrap gap-4 text-sm">
        <TextLink to={`/needs/${need.number}`}>← #{need.number}</TextLink>
        <TextLink to={`/areas/${need.area.code}/volunteers`}>
          {localName(locale, need.area)} · {t("volunteers.title")}
        </TextLink>
      </p>
      <PageTitle sub={t("wish.title")}>{need.title}</PageTitle>
      <p className="whitespace-pre-line text-slate-800">{need.description}</p>
      {wish ? (
        <dl className="grid grid-cols-1 gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-[10rem_1fr]" data-testid="wish-facts">
          {facts.map(([k, v, id]) => (
            <div key={k} className="contents">
              <dt className="text-sm text-slate-600">{t(k)}</dt>
              <dd data-testid={id}>{v}</dd>
            </div>
          ))}
          {wish.hasPhoto ? (
            <div className="contents">
              <dt className="text-sm text-slate-600">{t("wish.photo")}</dt>
              <dd>
                <img src={`/needs/${need.number}/wish/photo`} alt={t("wish.photo")} className="max-h-64 rounded" />
              </dd>
            </div>
          ) : null}
        </dl>
      ) : (
        <p className="text-slate-700">{t("wish.notWish")}</p>
      )}

      {allowed.mark ? (
        <Section id="mark-h" title={t("wish.mark.title")} note={t("volunteers.limit", { limit: formatFen(limitFen) })} className={panel} testId="mark-panel">
          <MarkForm result={reply("mark")} />
        </Section>
      ) : null}

      {allowed.take ? (
        <Section id="take-h" title={t("wish.take.title")} className={panel} testId="take-panel">
          <Problems errors={replyErrors(actionData, "take")} />
          {allowed.volunteerStatus !== "CONFIRMED" && allowed.pairingUnits.length === 0 && allowed.partnerUnits.length === 0 ? (
            <p className="text-sm">
              {t("wish.take.registerFirst")} <TextLink to={`/areas/${need.area.code}/volunteers`}>{t("volunteers.register.title")}</TextLink>
            </p>
          ) : null}
          <Form method="post" className="space-y-3">
            {allowed.pairingUnits.length ? (
              <label className="block text-sm">
                <span className="block font-medium">{t("wish.take.as")}</span>
                <select name="organizationId" className="mt-1 rounded border border-slate-400 px-2 py-1">
                  {allowed.volunteerStatus === "CONFIRMED" ? <option value="">{t("wish.take.asVolunteer")}</option> : null}
                  {allowed.pairingUnits.map((o) => (
                    <option key={o.id} value={o.id}>
                      {t("wish.take.asOrganization", { name: o.name })}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            {allowed.partnerUnits.length === 0 || allowed.volunteerStatus === "CONFIRMED" || allowed.pairingUnits.length ? <FormActions submit={t("wish.take.submit")} intent="take" /> : null}
          </Form>
          {/* a partner unit's member takes it for the unit (ADR 040) */}
          {allowed.partnerUnits.map((u) => (
            <Form key={u.id} method="post">
              <input type="hidden" name="partnerUnitId" value={u.id} />
              <FormActions submit={t("partners.takeFor", { name: u.name })} intent="take" />
            </Form>
          ))}
        </Section>
      ) : null}

      {allowed.fulfil ? (
        <Section id="fulfil-h" title={t("wish.fulfil.title")} className={panel} testId="fulfil-panel">
          <FulfilForm result={reply("fulfil")} choseFiles={choseFiles} />
          <Form method="post">
            <Problems errors={replyErrors(actionData, "release")} />
            <ConfirmSubmit label={t("wish.release.label")} question={t("wish.release.question")} confirm={t("wish.release.confirm")} intent="release" />
          </Form>
        </Section>
      ) : null}

      {allowed.answer ? (
        <Section id="answer-h" title={t("wish.answer.title")} className={panel} testId="answer-panel">
          <Problems errors={replyErrors(actionData, "confirm")} />
          <Form method="post">
            <FormActions submit={t("wish.answer.confirm")} intent="confirm" />
          </Form>
          <DisputeForm result={reply("dispute")} />
        </Section>
      ) : null}

      {allowed.rule ? (
        <Section id="rule-h" title={t("wish.rule.title")} className={panel} testId="rule-panel">
          <RuleForm result={reply("rule")} />
        </Section>
      ) : null}
    </div>
  );
}
