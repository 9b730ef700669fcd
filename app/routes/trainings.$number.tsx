import { Form } from "react-router";
import type { Route } from "./+types/trainings.$number";
import { ConfirmSubmit, FormActions, FormErrors, getFormProps, replyErrors, replyFor, SelectField, TextareaField, TextField, useZodForm } from "~/components/form";
import { Done, EmptyState, Fact, PageTitle, Section, TextLink } from "~/components/ui";
import { TrainingTime } from "~/components/training";
import { shanghaiLocalOf, TrainingPageIntents } from "~/domain/trainings";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, formatNumber, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { referenceNumber } from "~/lib/params.server";
import { getViewer, requireViewer } from "~/lib/session.server";
import { addMaterial, cancelSignup, cancelTraining, editTraining, markAttendance, signUp, trainingPage } from "~/services/trainings/trainings.server";
import QRCode from "qrcode";

/**
 * A training: what, when, where and the seats left; signing up for one's organization and
 * cancelling; for its officials the sign-ups with attendance (marked by hand or checked in by
 * the code shown here as a QR code during the check-in window) and the materials.
 */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await getViewer(request);
  const page = await trainingPage(referenceNumber(params.number), viewer);
  const qr = page.checkIn ? await QRCode.toString(page.checkIn.url, { type: "svg", errorCorrectionLevel: "M", margin: 2 }) : null;
  return { ...page, signedIn: !!viewer, qr: qr ? `data:image/svg+xml;base64,${Buffer.from(qr, "utf8").toString("base64")}` : null };
}

export async function action({ request, params }: Route.ActionArgs) {
  const number = referenceNumber(params.number);
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), TrainingPageIntents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const v = submission.value;
  const answer = (r: { ok: boolean; problem?: unknown }, notice: string) =>
    r.ok ? { intent: v.intent, result: submission.reply({ resetForm: true }), notice } : problemReply(submission, (r as { problem: Parameters<typeof problemReply>[1] }).problem);
  // each step checks the viewer against this training (officials of its area; members of organizations it is open to)
  switch (v.intent) {
    case "signup":
      return answer(await signUp(viewer, number, v.organizationId), "trainings.done.signedUp");
    case "cancel":
      return answer(await cancelSignup(viewer, number), "trainings.done.cancelled");
    case "mark":
      return answer(await markAttendance(viewer, number, v), "trainings.done.marked");
    case "material":
      return answer(await addMaterial(viewer, number, v.file ?? []), "trainings.done.material");
    case "edit":
      return answer(await editTraining(viewer, number, v), "trainings.done.edited");
    case "cancelTraining":
      return answer(await cancelTraining(viewer, number, v.reason), "trainings.done.cancelledTraining");
  }
}

export const meta: Route.MetaFunction = ({ data, matches }) => {
  const base = pageMeta(matches, "trainings.title");
  return data ? [{ title: `${data.training.topic} · ${base[0]!.title}` }] : base;
};

const panel = "space-y-3 rounded-lg border border-slate-300 bg-slate-50 p-5";

export default function TrainingPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const d = loaderData;
  const tr = d.training;
  const [signupForm, signupFields] = useZodForm(TrainingPageIntents, replyFor(actionData, "signup"), { id: "training-signup", defaultValue: { organizationId: d.eligible[0]?.id } });
  const [materialForm, materialFields] = useZodForm(TrainingPageIntents, replyFor(actionData, "material"), { id: "training-material" });
  const cancelErrors = replyErrors(actionData, "cancel");
  const editReply = replyFor(actionData, "edit");
  const [editForm, editFields] = useZodForm(TrainingPageIntents, editReply && editReply.status !== "success" ? editReply : undefined, {
    id: "training-edit",
    defaultValue: {
      topic: tr.topic,
      trainer: tr.trainer,
      description: tr.description,
      startsAt: shanghaiLocalOf(tr.startsAt),
      endsAt: shanghaiLocalOf(tr.endsAt),
      place: tr.place ?? "",
      onlineUrl: tr.onlineUrl ?? "",
      capacity: String(tr.capacity),
    },
  });
  const cancelTrainingReply = replyFor(actionData, "cancelTraining");
  const [cancelTrainingForm, cancelTrainingFields] = useZodForm(TrainingPageIntents, cancelTrainingReply, { id: "training-cancel" });
  const signedUp = !!d.mine && !d.mine.cancelled;
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <Done message={actionData && "notice" in actionData ? actionData.notice : null} />
      <p className="text-sm">
        <TextLink to={`/areas/${tr.area.code}/trainings`}>← {t("trainings.backTo", { area: localName(locale, tr.area) })}</TextLink>
      </p>
      <PageTitle sub={tr.required ? t("trainings.requiredNote") : undefined}>
        {tr.topic}
        {tr.cancelled ? (
          <span className="ml-3 rounded bg-slate-200 px-2 align-middle text-base text-slate-800" data-testid="training-cancelled">
            {t("trainings.cancelled")}
          </span>
        ) : null}
      </PageTitle>
      {tr.cancelled ? (
        <div role="note" className="rounded border border-slate-400 bg-slate-100 p-3 text-sm" data-testid="cancelled-note">
          <p>{t("trainings.cancelledNote")}</p>
          {tr.cancelReason ? <p className="mt-1 whitespace-pre-line">{t("trainings.cancelledReason", { reason: tr.cancelReason })}</p> : null}
        </div>
      ) : null}
      <dl className="grid gap-3 sm:grid-cols-2" data-testid="training-facts">
        <Fact label={t("trainings.when")}>
          <TrainingTime startsAt={tr.startsAt} endsAt={tr.endsAt} />
        </Fact>
        <Fact label={t("trainings.where")}>
          {tr.place ?? t("trainings.online")}
          {tr.onlineUrl ? (
            <>
              {" · "}
              <a href={tr.onlineUrl} className="text-brand-700 underline" rel="noreferrer noopener" target="_blank">
                {t("trainings.join")}
              </a>
            </>
          ) : null}
        </Fact>
        <Fact label={t("trainings.trainer")}>{tr.trainer}</Fact>
        <Fact label={t("trainings.for")}>
          {t(`trainings.audience.${tr.audience}`)}
          {tr.round ? ` ${tr.round.code} ${tr.round.title}` : ""}
        </Fact>
        {tr.cancelled ? null : <Fact label={t("trainings.seatsLabel")}>
          <span data-testid="seats-left">{t("trainings.seats", { left: formatNumber(locale, tr.seatsLeft), capacity: formatNumber(locale, tr.capacity) })}</span>
        </Fact>}
      </dl>
      {tr.description ? <p className="whitespace-pre-line">{tr.description}</p> : null}

      <Section id="mine-h" title={t("trainings.mine.title")} className={panel} testId="my-signup">
        {tr.cancelled ? (
          <p className="text-sm text-slate-600">{t("trainings.cancelledNote")}</p>
        ) : !d.signedIn ? (
          <p className="text-sm">
            <TextLink to={`/login?redirectTo=${encodeURIComponent(`/trainings/${tr.number}`)}`}>{t("trainings.mine.signIn")}</TextLink>
          </p>
        ) : signedUp ? (
          <div className="space-y-2">
            <p data-testid="my-status">
              {d.mine!.attended ? t("trainings.mine.attended", { organization: d.mine!.organization }) : t("trainings.mine.signedUp", { organization: d.mine!.organization })}
            </p>
            {d.mine!.certificate ? (
              <p>
                <a href={`/trainings/${tr.number}/certificate.pdf`} className="text-brand-700 underline" data-testid="certificate-link" download>
                  {t("trainings.mine.certificate")}
                </a>
              </p>
            ) : !tr.started ? (
              <Form method="post" className="space-y-2">
                {cancelErrors?.length ? (
                  <p role="alert" className="text-sm text-red-800">
                    {cancelErrors.map((e) => t(e)).join(" ")}
                  </p>
                ) : null}
                <button type="submit" name="intent" value="cancel" className="rounded border border-red-300 px-3 py-1 text-sm text-red-800">
                  {t("trainings.mine.cancel")}
                </button>
              </Form>
            ) : (
              <p className="text-sm text-slate-600">{t("trainings.mine.checkInHint")}</p>
            )}
          </div>
        ) : tr.started ? (
          <p className="text-sm text-slate-600">{t("trainings.mine.closed")}</p>
        ) : d.eligible.length === 0 ? (
          <p className="text-sm text-slate-600" data-testid="not-eligible">
            {t("trainings.mine.notEligible")}
          </p>
        ) : (
          <Form method="post" {...getFormProps(signupForm)} className="space-y-3">
            <FormErrors form={signupForm} />
            <SelectField meta={signupFields.organizationId} label={t("trainings.mine.organization")} options={d.eligible.map((o) => ({ value: o.id, label: o.name }))} />
            <FormActions submit={t("trainings.mine.signUp")} intent="signup" />
          </Form>
        )}
      </Section>

      {d.materials.length > 0 || d.official ? (
        <Section id="materials-h" title={t("trainings.materials.title")} testId="materials">
          {d.materials.length === 0 ? (
            <EmptyState>{t("trainings.materials.empty")}</EmptyState>
          ) : (
            <ul className="list-disc space-y-1 pl-5">
              {d.materials.map((m) => (
                <li key={m.id}>
                  <a href={`/trainings/${tr.number}/materials/${m.id}`} className="text-brand-700 underline">
                    {m.name}
                  </a>{" "}
                  <span className="text-sm text-slate-600">({m.size})</span>
                </li>
              ))}
            </ul>
          )}
          {d.official ? (
            <Form method="post" encType="multipart/form-data" {...getFormProps(materialForm)} className="mt-3 space-y-2">
              <FormErrors form={materialForm} />
              <label className="block text-sm font-medium" htmlFor="material-file">
                {t("trainings.materials.add")}
              </label>
              <input id="material-file" name={materialFields.file.name} type="file" className="block text-sm" aria-describedby="material-file-hint" />
              <p id="material-file-hint" className="text-sm text-slate-600">
                {t("trainings.materials.hint")}
              </p>
              {materialFields.file.errors?.length ? (
                <p role="alert" className="text-sm text-red-800">
                  {materialFields.file.errors.map((e) => t(e)).join(" ")}
                </p>
              ) : null}
              <FormActions submit={t("trainings.materials.upload")} intent="material" />
            </Form>
          ) : null}
        </Section>
      ) : !signedUp && d.materialCount > 0 ? (
        <p className="text-sm text-slate-600">{t("trainings.materials.forAttendees")}</p>
      ) : null}

      {d.official ? (
        <>
          <Section id="checkin-h" title={t("trainings.checkIn.title")} className={panel} testId="check-in-code">
            {d.checkIn && d.qr ? (
              <div className="space-y-2">
                <img src={d.qr} alt={t("trainings.checkIn.qrAlt")} className="h-64 w-64 bg-white" />
                <p className="text-sm">{t("trainings.checkIn.expires", { time: formatDateTime(locale, d.checkIn.expiresAt) })}</p>
                <p className="break-all text-sm">
                  <a href={d.checkIn.path} className="text-brand-700 underline" data-testid="check-in-url">
                    {d.checkIn.url}
                  </a>
                </p>
                <p className="text-sm text-slate-600">{t("trainings.checkIn.refresh")}</p>
              </div>
            ) : (
              <p className="text-sm text-slate-600">{t("trainings.checkIn.outside")}</p>
            )}
          </Section>
          {tr.cancelled ? null : (
            <Section id="edit-h" title={t("trainings.edit.title")} className={panel} testId="edit-training">
              <Form method="post" {...getFormProps(editForm)} className="space-y-3">
                <FormErrors form={editForm} />
                <p className="text-sm text-slate-600">{t("trainings.edit.hint", { count: formatNumber(locale, d.signups.length) })}</p>
                <TextField meta={editFields.topic} label={t("trainings.form.topic")} />
                <TextField meta={editFields.trainer} label={t("trainings.form.trainer")} />
                <TextareaField meta={editFields.description} label={t("trainings.form.description")} rows={3} />
                <TextField meta={editFields.startsAt} label={t("trainings.form.startsAt")} type="datetime-local" hint={t("trainings.form.timeHint")} inputProps={{ readOnly: tr.started }} />
                <TextField meta={editFields.endsAt} label={t("trainings.form.endsAt")} type="datetime-local" hint={t("trainings.form.timeHint")} inputProps={{ readOnly: tr.started }} />
                <TextField meta={editFields.place} label={t("trainings.form.place")} hint={t("trainings.form.whereHint")} />
                <TextField meta={editFields.onlineUrl} label={t("trainings.form.onlineUrl")} type="url" />
                <TextField meta={editFields.capacity} label={t("trainings.form.capacity")} type="number" inputProps={{ min: 1, inputMode: "numeric" }} />
                <FormActions submit={t("trainings.edit.submit")} intent="edit" />
              </Form>
            </Section>
          )}
          {tr.cancelled || tr.started ? null : (
            <Section id="cancel-training-h" title={t("trainings.cancelTraining.title")} testId="cancel-training">
              <Form method="post" {...getFormProps(cancelTrainingForm)} className="space-y-3">
                <FormErrors form={cancelTrainingForm} />
                <ConfirmSubmit
                  label={t("trainings.cancelTraining.open")}
                  question={t("trainings.cancelTraining.question", { count: formatNumber(locale, d.signups.length) })}
                  confirm={t("trainings.cancelTraining.confirm")}
                  intent="cancelTraining"
                  open={!!cancelTrainingReply && cancelTrainingReply.status !== "success"}
                >
                  <TextareaField meta={cancelTrainingFields.reason} label={t("trainings.cancelTraining.reason")} hint={t("trainings.cancelTraining.reasonHint")} rows={2} />
                </ConfirmSubmit>
              </Form>
            </Section>
          )}
          <Section id="signups-h" title={t("trainings.signups.title", { count: formatNumber(locale, d.signups.length) })} testId="signups">
            {d.signups.length === 0 ? (
              <EmptyState>{t("trainings.signups.empty")}</EmptyState>
            ) : (
              <ul className="divide-y divide-slate-200 rounded-lg bg-white shadow-sm">
                {d.signups.map((s) => (
                  <li key={s.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 p-3" data-testid="signup-row">
                    <span className="font-medium">{s.name}</span>
                    <span className="text-sm text-slate-600">{s.organization}</span>
                    <span className="text-sm">{s.attended ? t(s.via === "code" ? "trainings.signups.byCode" : "trainings.signups.byOfficial") : t("trainings.signups.notYet")}</span>
                    <Form method="post" className="ml-auto">
                      <input type="hidden" name="signupId" value={s.id} />
                      <input type="hidden" name="attended" value={s.attended ? "no" : "yes"} />
                      <button type="submit" name="intent" value="mark" className="rounded border border-slate-400 px-3 py-1 text-sm">
                        {s.attended ? t("trainings.signups.markAbsent") : t("trainings.signups.markAttended")}
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
            )}
          </Section>
        </>
      ) : null}
    </div>
  );
}
