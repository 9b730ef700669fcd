import { Form, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/projects.$ref.showcase";
import { ConfirmSubmit, FormActions, FormErrors, getFormProps, TextareaField, useZodForm, replyFor } from "~/components/form";
import { Done, PageTitle, Section, TextLink } from "~/components/ui";
import { OUTCOMES_MAX, PHOTOS_MAX, REASON_MAX, STORY_MAX } from "~/domain/showcase";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { markShowcase, showcaseEditor, withdrawShowcase } from "~/services/reports/showcase.server";

const MarkSchema = z.object({
  intent: z.literal("mark"),
  storyZh: z.string({ error: "showcase.storyRequired" }),
  storyEn: z.string().default(""),
  outcomesZh: z.string({ error: "showcase.outcomesRequired" }),
  outcomesEn: z.string().default(""),
  photoIds: z.array(z.string()).default([]),
});
const WithdrawSchema = z.object({ intent: z.literal("withdraw"), reason: z.string({ error: "showcase.reasonRequired" }) });
const Intents = z.discriminatedUnion("intent", [MarkSchema, WithdrawSchema]);

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return { ...(await showcaseEditor(viewer, params.ref)), done: new URL(request.url).searchParams.get("done") };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const v = submission.value;
  const r = v.intent === "mark" ? await markShowcase(viewer, params.ref, v) : await withdrawShowcase(viewer, params.ref, v.reason);
  if (!r.ok) return problemReply(submission, r.problem);
  return redirect(`/projects/${encodeURIComponent(params.ref)}/showcase?done=${v.intent}`);
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "showcase.editTitle");

/** An official marks a closed project as a showcase case (优秀案例), or withdraws it with a reason. */
export default function ShowcaseEditor({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { project, current, photos, done } = loaderData;
  const shown = current && !current.withdrawnAt;
  const [markForm, fields] = useZodForm(MarkSchema, replyFor(actionData, "mark"), {
    id: "showcase-mark",
    defaultValue: current ? { storyZh: current.storyZh, storyEn: current.storyEn ?? "", outcomesZh: current.outcomesZh, outcomesEn: current.outcomesEn ?? "", photoIds: current.photoIds } : undefined,
  });
  const [withdrawForm, withdrawFields] = useZodForm(WithdrawSchema, replyFor(actionData, "withdraw"), { id: "showcase-withdraw" });
  const chosen = new Set(current?.photoIds ?? []);
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <p className="text-sm">
        <TextLink to={`/projects/${encodeURIComponent(project.referenceNo)}`}>← {project.referenceNo} {project.title}</TextLink>
      </p>
      <Done message={done ? `showcase.done.${done}` : null} />
      <PageTitle sub={t("showcase.editSub")}>{t("showcase.editTitle")}</PageTitle>
      {current ? (
        <p className="text-sm" data-testid="showcase-state">
          {shown ? t("showcase.stateShown", { at: formatDateTime(locale, current.markedAt) }) : t("showcase.stateWithdrawn", { at: formatDateTime(locale, current.withdrawnAt!), reason: current.withdrawReason ?? "" })}
        </p>
      ) : null}
      {project.status !== "CLOSED" ? (
        <p className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">{t("showcase.notClosed")}</p>
      ) : (
        <Form method="post" {...getFormProps(markForm)} className="space-y-4 rounded-lg bg-white p-4 shadow-sm" data-testid="showcase-form">
          <FormErrors form={markForm} />
          <TextareaField meta={fields.storyZh} label={t("showcase.storyZh")} hint={t("showcase.storyHint", { max: STORY_MAX })} rows={6} />
          <TextareaField meta={fields.outcomesZh} label={t("showcase.outcomesZh")} hint={t("showcase.outcomesHint", { max: OUTCOMES_MAX })} rows={4} />
          <TextareaField meta={fields.storyEn} label={t("showcase.storyEn")} hint={t("showcase.englishHint")} rows={4} />
          <TextareaField meta={fields.outcomesEn} label={t("showcase.outcomesEn")} rows={3} />
          <fieldset className="space-y-2" aria-describedby="showcase-photos-hint">
            <legend className="font-medium">{t("showcase.photos")}</legend>
            <p id="showcase-photos-hint" className="text-sm text-slate-600">
              {photos.length ? t("showcase.photosHint", { max: PHOTOS_MAX }) : t("showcase.noPhotos")}
            </p>
            {fields.photoIds.errors?.length ? <p className="text-sm text-red-700">{t(fields.photoIds.errors[0]!)}</p> : null}
            <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3">
              {photos.map((p, i) => (
                <li key={p.id}>
                  <label className="block space-y-1 text-sm">
                    <img src={`/projects/${encodeURIComponent(project.referenceNo)}/photos/${p.id}?thumb=1`} alt={p.caption || t("showcase.photoAlt", { n: i + 1, title: project.title })} className="h-28 w-full rounded object-cover" />
                    <span className="flex items-center gap-2">
                      <input type="checkbox" name="photoIds" value={p.id} defaultChecked={chosen.has(p.id)} />
                      {p.caption || t("showcase.photoN", { n: i + 1 })}
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <FormActions submit={shown ? t("showcase.update") : t("showcase.mark")} intent="mark" />
        </Form>
      )}
      {shown ? (
        <Section id="showcase-withdraw-h" title={t("showcase.withdraw")}>
          <Form method="post" {...getFormProps(withdrawForm)} className="space-y-3" data-testid="showcase-withdraw-form">
            <FormErrors form={withdrawForm} />
            <TextareaField meta={withdrawFields.reason} label={t("showcase.reason")} hint={t("showcase.reasonHint", { max: REASON_MAX })} rows={3} />
            <ConfirmSubmit label={t("showcase.withdraw")} question={t("showcase.withdrawQuestion")} confirm={t("showcase.withdrawConfirm")} intent="withdraw" open={!!replyFor(actionData, "withdraw")} />
          </Form>
        </Section>
      ) : null}
    </div>
  );
}
