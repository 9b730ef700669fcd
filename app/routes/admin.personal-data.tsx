import { Form } from "react-router";
import { getInputProps } from "@conform-to/react";
import { z } from "zod";
import type { Route } from "./+types/admin.personal-data";
import { ErrorList, FormErrors, getFormProps, replyFor, SelectField, SubmitButton, TextField, useZodForm } from "~/components/form";
import { Notice, PageTitle, Section } from "~/components/ui";
import { IDENTITY_CHECKS, ResidentDeletionSchema, ResidentRequestSchema } from "~/domain/personal-data";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { fail } from "~/lib/result";
import { requireViewer } from "~/lib/session.server";
import { accountByEmail, requireServesResidents } from "~/services/privacy/access.server";
import { eraseForResident } from "~/services/privacy/erasure.server";
import { requestExport } from "~/services/privacy/export.server";

/**
 * An official serves a resident who asks in person, having checked their identity: a copy of
 * their data (sent to the resident's own e-mail; the download needs the resident's sign-in) or
 * the deletion of their account. Only for a resident of the official's area (administrators: any).
 */
export async function loader({ request }: Route.LoaderArgs) {
  requireServesResidents(await requireViewer(request));
  return {};
}

const Intents = z.discriminatedUnion("intent", [
  ResidentRequestSchema.extend({ intent: z.literal("export") }),
  ResidentDeletionSchema.extend({ intent: z.literal("delete") }),
]);

const noAccount = () => fail(404, [], { fieldErrors: { email: ["privacy.official.noAccount"] } });

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  requireServesResidents(viewer);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const v = submission.value;
  const resident = await accountByEmail(v.email);
  if (!resident) return problemReply(submission, noAccount().problem);
  if (v.intent === "export") {
    const r = await requestExport(viewer, { userId: resident.id, identityCheck: v.identityCheck });
    return r.ok ? { intent: v.intent, result: submission.reply({ resetForm: true }), done: "privacy.official.exportDone", pseudonym: null } : problemReply(submission, r.problem);
  }
  const r = await eraseForResident(viewer, resident.id, v.identityCheck);
  return r.ok ? { intent: v.intent, result: submission.reply({ resetForm: true }), done: "privacy.official.deleteDone", pseudonym: r.pseudonym } : problemReply(submission, r.problem);
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "privacy.official.title");

function ResidentForm({ intent, actionData }: { intent: "export" | "delete"; actionData: unknown }) {
  const t = useT();
  const schema = intent === "export" ? ResidentRequestSchema : ResidentDeletionSchema;
  const [form, fields] = useZodForm(schema, replyFor(actionData, intent), { id: `resident-${intent}` });
  const confirm = (fields as Partial<Record<"confirm", (typeof fields)["email"]>>).confirm;
  const confirmProps = confirm ? getInputProps(confirm, { type: "checkbox", value: "on" }) : null;
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-4" data-testid={`resident-${intent}-form`}>
      <FormErrors form={form} />
      <TextField meta={fields.email} type="email" label={t("privacy.official.email")} inputProps={{ autoComplete: "off" }} />
      <SelectField
        meta={fields.identityCheck}
        label={t("privacy.official.identityCheck")}
        placeholder=""
        options={IDENTITY_CHECKS.map((c) => ({ value: c, label: t(`privacy.official.identity.${c}`) }))}
      />
      {confirm && confirmProps ? (
        <div>
          <label className="flex items-start gap-2 text-sm">
            <input {...confirmProps} key={confirmProps.key} className="mt-1 h-4 w-4" />
            <span>{t("privacy.official.deleteConfirm")}</span>
          </label>
          <ErrorList id={confirm.errorId} errors={confirm.errors} />
        </div>
      ) : null}
      <SubmitButton name="intent" value={intent} className={intent === "delete" ? "rounded bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900 disabled:opacity-60" : undefined}>
        {t(intent === "export" ? "privacy.official.exportSubmit" : "privacy.official.deleteSubmit")}
      </SubmitButton>
    </Form>
  );
}

export default function ResidentRequests({ actionData }: Route.ComponentProps) {
  const t = useT();
  const done = actionData && "done" in actionData ? actionData : null;
  return (
    <div className="mx-auto w-full max-w-2xl space-y-6">
      <PageTitle>{t("privacy.official.title")}</PageTitle>
      <p className="text-sm text-slate-700">{t("privacy.official.intro")}</p>
      {done ? (
        <Notice tone="success" testId="done">
          {t(done.done, { pseudonym: done.pseudonym ?? "" })}
        </Notice>
      ) : null}
      <Section id="resident-export-h" title={t("privacy.official.exportSubmit")} size="lg" className="space-y-3 rounded-lg bg-white p-5 shadow-sm">
        <ResidentForm intent="export" actionData={actionData} />
      </Section>
      <Section id="resident-delete-h" title={t("privacy.official.deleteSubmit")} size="lg" className="space-y-3 rounded-lg border border-red-200 bg-white p-5 shadow-sm">
        <ResidentForm intent="delete" actionData={actionData} />
      </Section>
    </div>
  );
}
