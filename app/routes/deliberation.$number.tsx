import type { SubmissionResult } from "@conform-to/react";
import { Form, useSearchParams } from "react-router";
import type { Route } from "./+types/deliberation.$number";
import { ConfirmSubmit, ErrorList, FormActions, FormErrors, getFormProps, replyErrors, replyFor, SelectField, TextareaField, TextField, useZodForm } from "~/components/form";
import { MatterStatusBadge, MatterSteps, useRulesText } from "~/components/matter-steps";
import { Done, PageTitle, Section, TextLink } from "~/components/ui";
import { MatterIntents, MatterPageIntents, ONLINE_VOTE_CHOICES, REVIEW_BODIES, REVIEW_OUTCOMES, RESOLUTION_BODIES } from "~/domain/deliberation";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { notFound } from "~/lib/permissions.server";
import { getViewer, requireViewer } from "~/lib/session.server";
import { addRemark, amendMatter, matterDetail, recordResolution, recordReview } from "~/services/deliberation/deliberation.server";
import { castOnlineVote, closeOnlineVoting, onlineVotingOf, openOnlineVoting, type OnlineVoting } from "~/services/deliberation/online-votes.server";

function matterNumber(raw: string | undefined): number {
  const n = Number(raw);
  if (!/^\d{1,9}$/.test(raw ?? "") || !Number.isSafeInteger(n) || n < 1) notFound();
  return n;
}

export async function loader({ request, params }: Route.LoaderArgs) {
  const number = matterNumber(params.number);
  const viewer = await getViewer(request);
  const [detail, online] = await Promise.all([matterDetail(number, viewer), onlineVotingOf(number, viewer)]);
  return { ...detail, online };
}

export async function action({ request, params }: Route.ActionArgs) {
  const number = matterNumber(params.number);
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), MatterPageIntents);
  // a remark on a review meeting is answered to that meeting's form (each has its own)
  const reviewId = typeof submission.payload.reviewId === "string" && submission.payload.reviewId ? submission.payload.reviewId : null;
  if (submission.status !== "success") return invalidSubmission(submission, { reviewId });
  const v = submission.value;
  // each step refuses (403) anyone who may not take it in this matter's community
  switch (v.intent) {
    case "amend": {
      const r = await amendMatter(viewer, number, v);
      return r.ok ? { intent: v.intent, result: submission.reply(), notice: "deliberation.done.saved" } : problemReply(submission, r.problem);
    }
    case "review": {
      const { attachments, ...fields } = v;
      const r = await recordReview(viewer, number, fields, attachments ?? []);
      const choseFiles = (attachments ?? []).some((f) => f.size > 0);
      return r.ok ? { intent: v.intent, result: submission.reply({ resetForm: true }), notice: "deliberation.done.saved" } : problemReply(submission, r.problem, { choseFiles });
    }
    case "resolve": {
      const r = await recordResolution(viewer, number, v);
      return r.ok ? { intent: v.intent, result: submission.reply({ resetForm: true }), notice: r.passed ? "deliberation.done.passed" : "deliberation.done.failed" } : problemReply(submission, r.problem);
    }
    case "remark": {
      const r = await addRemark(viewer, number, v);
      return r.ok ? { intent: v.intent, reviewId, result: submission.reply({ resetForm: true }), notice: "deliberation.done.saved" } : problemReply(submission, r.problem, { reviewId });
    }
    case "openVoting":
    case "closeVoting": {
      const r = v.intent === "openVoting" ? await openOnlineVoting(viewer, number) : await closeOnlineVoting(viewer, number);
      return r.ok ? { intent: v.intent, result: submission.reply(), notice: v.intent === "openVoting" ? "online.done.opened" : "online.done.closed" } : problemReply(submission, r.problem);
    }
    case "vote": {
      const r = await castOnlineVote(viewer, number, v);
      return r.ok ? { intent: v.intent, result: submission.reply(), notice: "online.done.voted" } : problemReply(submission, r.problem);
    }
  }
}

export const meta: Route.MetaFunction = ({ data, matches }) => {
  const base = pageMeta(matches, "deliberation.title");
  return data ? [{ title: `${data.matter.title} · ${base[0]!.title}` }] : base;
};

const panel = "space-y-3 rounded-lg border border-slate-300 bg-slate-50 p-5";
const numeric = { inputMode: "numeric" as const, autoComplete: "off" };

function AmendForm({ result, rationale }: { result: SubmissionResult<string[]> | null; rationale: string }) {
  const t = useT();
  const [form, fields] = useZodForm(MatterIntents, result, { id: "matter-amend", defaultValue: { rationale } });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3">
      <FormErrors form={form} />
      <TextareaField meta={fields.rationale} label={t("deliberation.form.rationale")} rows={4} />
      <FormActions submit={t("deliberation.form.submitAmend")} intent="amend" />
    </Form>
  );
}

function ReviewForm({ result, choseFiles }: { result: SubmissionResult<string[]> | null; choseFiles: boolean }) {
  const t = useT();
  const [form, fields] = useZodForm(MatterIntents, result, { id: "matter-review" });
  const fileErrors = fields.attachments.errors;
  return (
    <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="space-y-3">
      <FormErrors form={form} />
      <SelectField meta={fields.body} label={t("deliberation.form.body")} placeholder="—" options={REVIEW_BODIES.map((b) => ({ value: b, label: t(`deliberation.body.${b}`) }))} />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <TextField meta={fields.meetingOn} type="date" label={t("deliberation.form.meetingOn")} />
        <TextField meta={fields.place} label={t("deliberation.form.place")} />
        <TextField meta={fields.attendeesEntitled} label={t("deliberation.form.attendeesEntitled")} inputProps={numeric} />
        <TextField meta={fields.attendeesPresent} label={t("deliberation.form.attendeesPresent")} inputProps={numeric} />
      </div>
      <TextareaField meta={fields.officeHolders} label={t("deliberation.form.officeHolders")} hint={t("deliberation.form.officeHoldersHint")} rows={2} />
      <TextareaField meta={fields.minutes} label={t("deliberation.form.minutes")} rows={6} />
      <SelectField meta={fields.outcome} label={t("deliberation.form.outcome")} placeholder="—" options={REVIEW_OUTCOMES.map((o) => ({ value: o, label: t(`deliberation.outcome.${o}`) }))} />
      <TextareaField meta={fields.reasons} label={t("deliberation.form.reasons")} rows={2} />
      <div>
        <label htmlFor="matter-review-attachments" className="block text-sm font-medium text-slate-800">
          {t("deliberation.form.attachments")}
        </label>
        <input
          id="matter-review-attachments"
          name="attachments"
          type="file"
          multiple
          accept="image/jpeg,image/png,image/webp,image/gif,application/pdf"
          aria-invalid={fileErrors?.length ? true : undefined}
          aria-describedby={fileErrors?.length ? "matter-review-attachments-error" : undefined}
          className="mt-1 block w-full text-sm"
        />
        <ErrorList id="matter-review-attachments-error" errors={fileErrors} />
        {choseFiles ? <p className="mt-1 text-sm text-amber-900">{t("deliberation.form.attachmentsAgain")}</p> : null}
      </div>
      <FormActions submit={t("deliberation.form.submitReview")} intent="review" />
    </Form>
  );
}

function ResolutionForm({ result }: { result: SubmissionResult<string[]> | null }) {
  const t = useT();
  const [form, fields] = useZodForm(MatterIntents, result, { id: "matter-resolve" });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3">
      <FormErrors form={form} />
      <p className="text-sm text-slate-600">{t("deliberation.form.resolveHint")}</p>
      <SelectField meta={fields.body} label={t("deliberation.form.body")} placeholder="—" options={RESOLUTION_BODIES.map((b) => ({ value: b, label: t(`deliberation.body.${b}`) }))} />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <TextField meta={fields.meetingOn} type="date" label={t("deliberation.form.meetingOn")} />
        <TextField meta={fields.place} label={t("deliberation.form.place")} />
      </div>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-5">
        <TextField meta={fields.entitled} label={t("deliberation.form.entitled")} inputProps={numeric} />
        <TextField meta={fields.present} label={t("deliberation.form.present")} inputProps={numeric} />
        <TextField meta={fields.votesFor} label={t("deliberation.form.votesFor")} inputProps={numeric} />
        <TextField meta={fields.votesAgainst} label={t("deliberation.form.votesAgainst")} inputProps={numeric} />
        <TextField meta={fields.abstentions} label={t("deliberation.form.abstentions")} inputProps={numeric} />
      </div>
      <TextareaField meta={fields.text} label={t("deliberation.form.text")} rows={4} />
      <FormActions submit={t("deliberation.form.submitResolve")} intent="resolve" />
    </Form>
  );
}

function RemarkForm({ result, steps }: { result: SubmissionResult<string[]> | null; steps: { value: string; label: string }[] }) {
  const t = useT();
  const [form, fields] = useZodForm(MatterIntents, result, { id: "matter-remark" });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3">
      <FormErrors form={form} />
      <SelectField meta={fields.step} label={t("deliberation.form.step")} options={steps} />
      <TextareaField meta={fields.body} label={t("deliberation.form.remarkBody")} rows={3} />
      <FormActions submit={t("deliberation.form.submitRemark")} intent="remark" />
    </Form>
  );
}

export default function MatterPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const rulesText = useRulesText();
  const [params] = useSearchParams();
  const { matter, allowed, online } = loaderData;
  const reply = (intent: string) => replyFor(actionData, intent) ?? null;
  // the remark forms share an intent: the answer names the review meeting its form was about (none: the general form)
  const answeredReview = actionData && "reviewId" in actionData ? (actionData.reviewId ?? null) : null;
  const refused = (intent: string) => reply(intent)?.status === "error";
  const remarkReply = (reviewId: string | null) => (answeredReview === reviewId ? reply("remark") : null);
  const choseFiles = !!actionData && "choseFiles" in actionData && !!actionData.choseFiles;
  // a remark on a review meeting has its own form per meeting (ReviewRemarkForm)
  const steps = [
    { value: "PROPOSAL", label: t("deliberation.form.stepProposal") },
    ...(matter.resolution ? [{ value: "RESOLUTION", label: t("deliberation.form.stepResolution") }] : []),
  ];
  return (
    <article className="mx-auto max-w-3xl space-y-6">
      {params.get("proposed") ? <Done message="deliberation.done.proposed" /> : null}
      <Done message={actionData && "notice" in actionData ? actionData.notice : null} />
      <p className="text-sm">
        <TextLink to={`/areas/${matter.area.code}/deliberation`}>← {t("deliberation.matter.back")}</TextLink>
      </p>
      <PageTitle
        sub={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <span>{t("deliberation.matter.number", { number: matter.number })}</span>
            <MatterStatusBadge status={matter.status} />
            <span>{localName(locale, matter.area)}</span>
          </span>
        }
      >
        {matter.title}
      </PageTitle>
      <p className="text-sm text-slate-600">{rulesText(matter.rules)}</p>
      <MatterSteps matter={matter} />
      <OnlineVotingSection online={online} paper={matter.resolution} actionData={actionData} />

      {/* a step refused because the matter moved meanwhile keeps its form in view, with the reason and what was typed */}
      {allowed.propose && (allowed.amend || refused("amend")) ? (
        <Section id="amend-h" title={t("deliberation.form.amend")} className={panel} testId="amend-panel">
          <AmendForm result={reply("amend")} rationale={matter.rationale} />
        </Section>
      ) : null}
      {allowed.record && (matter.status === "PROPOSED" || refused("review")) ? (
        <Section id="review-h" title={t("deliberation.form.review")} className={panel} testId="review-panel">
          <ReviewForm result={reply("review")} choseFiles={choseFiles} />
        </Section>
      ) : null}
      {allowed.record && (matter.status === "FORWARDED" || refused("resolve")) ? (
        <Section id="resolve-h" title={t("deliberation.form.resolve")} className={panel} testId="resolve-panel">
          <ResolutionForm result={reply("resolve")} />
        </Section>
      ) : null}
      {allowed.remark ? (
        <Section id="remark-h" title={t("deliberation.form.remark")} className={panel} testId="remark-panel">
          <RemarkForm result={remarkReply(null)} steps={steps} />
          {matter.reviews.length ? (
            <ul className="space-y-2 text-sm">
              {matter.reviews.map((rv) => (
                <li key={rv.id}>
                  <ReviewRemarkForm reviewId={rv.id} label={t("deliberation.form.stepReview", { date: rv.meetingOn ?? "" })} result={remarkReply(rv.id)} />
                </li>
              ))}
            </ul>
          ) : null}
        </Section>
      ) : null}
    </article>
  );
}

/** A remark on one review meeting: the step and the review go as hidden fields. */
function ReviewRemarkForm({ reviewId, label, result }: { reviewId: string; label: string; result: SubmissionResult<string[]> | null }) {
  const t = useT();
  const [form, fields] = useZodForm(MatterIntents, result, { id: `matter-remark-${reviewId}` });
  return (
    // open when the server refused it, so its errors and what was typed are in view
    <details className="rounded border border-slate-200 bg-white p-3" open={result?.status === "error" || undefined}>
      <summary className="cursor-pointer">{t("deliberation.form.remark")}：{label}</summary>
      <Form method="post" {...getFormProps(form)} className="mt-2 space-y-3">
        <FormErrors form={form} />
        <input type="hidden" name="step" value="REVIEW" />
        <input type="hidden" name="reviewId" value={reviewId} />
        {/* the hidden fields cannot show their own errors (a meeting no longer of this matter) */}
        <ErrorList id={`matter-remark-${reviewId}-step-error`} errors={[...(fields.step.errors ?? []), ...(fields.reviewId.errors ?? [])]} />
        <TextareaField meta={fields.body} label={t("deliberation.form.remarkBody")} rows={3} />
        <FormActions submit={t("deliberation.form.submitRemark")} intent="remark" />
      </Form>
    </details>
  );
}

/**
 * The representatives' online vote beside the paper count: the counts for everyone (never who
 * voted), the representative's own vote and ballot, the official's open and close buttons.
 */
function OnlineVotingSection({
  online,
  paper,
  actionData,
}: {
  online: OnlineVoting;
  paper: { votesFor: number; votesAgainst: number; abstentions: number; present: number; entitled: number } | null;
  actionData: unknown;
}) {
  const t = useT();
  const [form, fields] = useZodForm(MatterPageIntents, replyFor(actionData, "vote"), { id: "online-vote" });
  const choiceErrors = fields.choice.errors;
  const runErrors = [...(replyErrors(actionData, "openVoting") ?? []), ...(replyErrors(actionData, "closeVoting") ?? [])];
  const counts = (c: { votesFor: number; votesAgainst: number; abstentions: number }) => ({ for: c.votesFor, against: c.votesAgainst, abstain: c.abstentions });
  return (
    <Section id="online-h" title={t("online.title")} note={t("online.note")} testId="online-voting">
      {online.state === "NONE" ? (
        <p className="text-sm text-slate-600">{t("online.none")}</p>
      ) : (
        <dl className="grid gap-3 sm:grid-cols-2">
          <div className="rounded-lg bg-white p-3 shadow-sm">
            <dt className="text-sm text-slate-600">{t("online.online")} · {t(online.state === "OPEN" ? "online.open" : "online.closed")}</dt>
            <dd data-testid="online-tally">{t("online.tally", { representatives: online.representatives, voted: online.tally.voted, ...counts(online.tally) })}</dd>
          </div>
          {paper ? (
            <div className="rounded-lg bg-white p-3 shadow-sm">
              <dt className="text-sm text-slate-600">{t("online.paper")}</dt>
              <dd data-testid="paper-tally">{t("deliberation.resolution.counts", { entitled: paper.entitled, present: paper.present, ...counts(paper) })}</dd>
            </div>
          ) : null}
        </dl>
      )}
      {online.mine ? <p data-testid="my-online-vote">{t("online.mine", { choice: t(`online.choice.${online.mine}`) })}</p> : null}
      {online.allowed.vote ? (
        <Form method="post" {...getFormProps(form)} className={panel} data-testid="online-ballot">
          <FormErrors form={form} />
          <fieldset aria-describedby={choiceErrors ? "online-choice-error" : "online-once"}>
            <legend className="font-medium">{t("online.vote.legend")}</legend>
            <p id="online-once" className="text-sm text-slate-600">{t("online.vote.once")}</p>
            <div className="mt-2 flex flex-wrap gap-4">
              {ONLINE_VOTE_CHOICES.map((c) => (
                <label key={c} className="text-sm">
                  <input type="radio" name="choice" value={c} required /> {t(`online.choice.${c}`)}
                </label>
              ))}
            </div>
            <ErrorList id="online-choice-error" errors={choiceErrors} />
          </fieldset>
          <FormActions submit={t("online.vote.submit")} intent="vote" />
        </Form>
      ) : null}
      {online.allowed.open || online.allowed.close || runErrors.length ? (
        <Form method="post" className="space-y-2" data-testid="online-run">
          <ErrorList errors={runErrors} />
          {online.allowed.open ? (
            <>
              <p className="text-sm text-slate-600">{t("online.openForm.hint")}</p>
              <FormActions submit={t("online.openForm.submit")} intent="openVoting" />
            </>
          ) : null}
          {online.allowed.close ? <ConfirmSubmit label={t("online.closeForm.submit")} question={t("online.closeForm.question")} confirm={t("online.closeForm.submit")} intent="closeVoting" /> : null}
        </Form>
      ) : null}
    </Section>
  );
}
