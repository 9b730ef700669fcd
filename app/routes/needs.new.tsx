import { data, Form, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/needs.new";
import { ErrorList, ErrorSummary, FormActions, FormErrors, getFormProps, SelectField, TextareaField, TextField, useZodForm } from "~/components/form";
import { useCategoryName } from "~/components/need-card";
import { PageTitle } from "~/components/ui";
import { NEED_CATEGORIES } from "~/domain/categories";
import { NEED_TITLE_MAX, PostNeedSchema } from "~/domain/needs";
import { useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { requireViewer } from "~/lib/session.server";
import { needAreaGroups, postNeed } from "~/services/needs/needs.server";

export async function loader({ request }: Route.LoaderArgs) {
  await requireViewer(request);
  const groups = await needAreaGroups();
  // a community's poster links here with `?area=CODE`: that community is chosen already
  const areaCode = new URL(request.url).searchParams.get("area");
  const chosen = areaCode ? groups.flatMap((g) => g.communities).find((c) => c.code === areaCode) : undefined;
  return {
    groups: groups.map((g) => ({ code: g.code, nameZh: g.nameZh, nameEn: g.nameEn, communities: g.communities.map(({ id, nameZh, nameEn }) => ({ id, nameZh, nameEn })) })),
    communityId: chosen?.id ?? null,
  };
}

/** The form as posted: the need, and the photo (optional: an empty file input is "no photo"). */
const PostNeedForm = PostNeedSchema.extend({ photo: z.instanceof(File).optional() });

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), PostNeedForm);
  // a file cannot be typed back into the form: the page says to choose it again
  const chosePhoto = submission.payload.photo instanceof File && submission.payload.photo.size > 0;
  if (submission.status !== "success") return invalidSubmission(submission, { chosePhoto, retryMinutes: null });
  const { photo, ...need } = submission.value;
  const posted = await postNeed(viewer, need, photo ?? null);
  if (posted.ok) return redirect(`/needs/${posted.number}?posted=1`);
  const retryAfter = posted.problem.detail?.retryAfterSeconds;
  const reply = problemReply(submission, posted.problem, { chosePhoto, retryMinutes: retryAfter ? Math.ceil(retryAfter / 60) : null });
  // too many posts within the hour: "too many requests", as before
  return retryAfter ? data(reply.data, { status: 429 }) : reply;
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "needs.new.title");

export default function NewNeed({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const category = useCategoryName();
  const [form, fields] = useZodForm(PostNeedForm, actionData?.result, { id: "new-need", defaultValue: loaderData.communityId ? { communityId: loaderData.communityId } : undefined });
  const photoErrors = fields.photo.errors;
  return (
    <div className="mx-auto max-w-2xl">
      <PageTitle sub={t("needs.new.subtitle")}>{t("needs.new.title")}</PageTitle>
      <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="space-y-6 rounded-lg bg-white p-5 shadow-sm sm:p-6">
        <ErrorSummary lastResult={actionData?.result} />
        <FormErrors form={form} />
        {actionData?.retryMinutes ? (
          <p role="status" className="text-sm text-red-900">
            {t("needs.error.retryIn", { minutes: actionData.retryMinutes })}
          </p>
        ) : null}

        <SelectField
          meta={fields.communityId}
          label={t("needs.field.community")}
          placeholder={t("needs.field.community.placeholder")}
          groups={loaderData.groups.map((g) => ({ label: localName(locale, g), options: g.communities.map((c) => ({ value: c.id, label: localName(locale, c) })) }))}
        />

        <TextField meta={fields.title} label={t("needs.field.title")} hint={t("needs.field.title.hint")} inputProps={{ maxLength: NEED_TITLE_MAX }} />
        <TextareaField meta={fields.description} label={t("needs.field.description")} hint={t("needs.field.description.hint")} rows={6} />
        <SelectField
          meta={fields.category}
          label={t("needs.field.category")}
          placeholder={t("needs.field.category.placeholder")}
          options={NEED_CATEGORIES.map((c) => ({ value: c, label: category(c) }))}
        />

        <div>
          <label htmlFor="new-need-photo" className="block text-sm font-medium text-slate-800">
            {t("needs.field.photo")}
          </label>
          <input
            id="new-need-photo"
            name="photo"
            type="file"
            accept="image/jpeg,image/png,image/webp,image/gif"
            aria-invalid={photoErrors?.length ? true : undefined}
            aria-describedby={`new-need-photo-hint${photoErrors?.length ? " new-need-photo-error" : ""}`}
            className="mt-1 block w-full text-sm"
          />
          <p id="new-need-photo-hint" className="mt-1 text-sm text-slate-600">
            {t("needs.field.photo.hint")}
          </p>
          <ErrorList id="new-need-photo-error" errors={photoErrors} />
          {actionData?.chosePhoto ? <p className="mt-1 text-sm text-amber-900">{t("needs.field.photo.again")}</p> : null}
        </div>

        <FormActions submit={t("needs.new.submit")} cancelTo="/needs" />
      </Form>
    </div>
  );
}
