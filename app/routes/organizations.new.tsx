import { useState, useSyncExternalStore } from "react";
import { Form, redirect } from "react-router";
import type { Route } from "./+types/organizations.new";
import { ErrorList, ErrorSummary, FormActions, getFormProps, inputClass, SelectField, TextField, useZodForm } from "~/components/form";
import { PageTitle } from "~/components/ui";
import { CreateOrganizationSchema, MAX_MEMBERS, MEMBER_ROWS, ORGANIZATION_KINDS } from "~/domain/organizations";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { organizationAreaOptions } from "~/services/areas/areas.server";
import { createOrganization } from "~/services/accounts/organizations.server";

export async function loader({ request }: Route.LoaderArgs) {
  await requireViewer(request);
  return { areas: await organizationAreaOptions() };
}

/**
 * The member rows exactly as typed (Conform's payload of `members[i].name` / `.position`), so that
 * a refused form comes back with every row in place.
 */
function memberRowsOf(payload: Record<string, unknown>) {
  const typed = Array.isArray(payload.members) ? (payload.members as unknown[]).slice(0, MAX_MEMBERS) : [];
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  return typed.map((row) => {
    const r = (row ?? {}) as { name?: unknown; position?: unknown };
    return { name: text(r.name), position: text(r.position) };
  });
}

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), CreateOrganizationSchema);
  const memberRows = memberRowsOf(submission.payload);
  if (submission.status !== "success") return invalidSubmission(submission, { memberRows });
  const r = await createOrganization(viewer, submission.value);
  if (!r.ok) return problemReply(submission, r.problem, { memberRows });
  return redirect(`/organizations/${r.id}?created=1`);
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "org.new.title");

const noSubscription = () => () => {};

/** The two inputs of each member row. */
const MEMBER_INPUTS = [
  { field: "name", label: "org.field.memberName", maxLength: 50 },
  { field: "position", label: "org.field.memberPosition", maxLength: 30 },
] as const;

export default function NewOrganization({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const [form, fields] = useZodForm(CreateOrganizationSchema, actionData?.result, { id: "new-org" });
  const kind = fields.kind.value as string | undefined;
  const submitted = actionData?.memberRows ?? [];
  // extra rows can be added once JavaScript runs; without it there are always MEMBER_ROWS
  const hydrated = useSyncExternalStore(noSubscription, () => true, () => false);
  const [extra, setExtra] = useState(0);
  const rows = Math.min(MAX_MEMBERS, Math.max(MEMBER_ROWS, submitted.length) + extra);
  const show = (k: string) => !kind || kind === k;
  const levelLabel = (level: string) => t(`area.level.${level}`);
  const memberErrors = form.allErrors["members"];

  return (
    <div className="mx-auto max-w-2xl">
      <PageTitle sub={t("org.new.subtitle")}>{t("org.new.title")}</PageTitle>
      <Form method="post" {...getFormProps(form)} className="space-y-6 rounded-lg bg-white p-5 shadow-sm sm:p-6">
        <ErrorSummary lastResult={actionData?.result} />

        <SelectField
          meta={fields.kind}
          label={t("org.field.kind")}
          placeholder={t("org.field.kind.placeholder")}
          options={ORGANIZATION_KINDS.map((k) => ({ value: k, label: t(`org.kind.${k}`) }))}
          hint={
            <span className="block space-y-1">
              {ORGANIZATION_KINDS.map((k) => (
                <span key={k} className="block">
                  <strong className="font-medium">{t(`org.kind.${k}`)}</strong>：{t(`org.kind.${k}.hint`)}
                </span>
              ))}
            </span>
          }
        />
        <TextField meta={fields.name} label={t("org.field.name")} inputProps={{ autoComplete: "organization" }} />
        <SelectField
          meta={fields.areaId}
          label={t("org.field.area")}
          placeholder={t("org.field.area.placeholder")}
          options={loaderData.areas.map((a) => ({
            value: a.id,
            label: `${a.level === "SUBDISTRICT" ? "" : "　"}${localName(locale, a)}（${levelLabel(a.level)}）`,
          }))}
        />

        {show("SOCIAL_ORGANIZATION") ? (
          <TextField
            meta={fields.uscc}
            label={t("org.field.uscc")}
            hint={t("org.field.uscc.hint")}
            inputProps={{ autoCapitalize: "characters", spellCheck: false, inputMode: "text" }}
          />
        ) : null}
        {show("COMMUNITY_ORGANIZATION") ? <TextField meta={fields.filingNo} label={t("org.field.filingNo")} hint={t("org.field.filingNo.hint")} /> : null}
        <TextField meta={fields.creatorPosition} label={t("org.field.creatorPosition")} hint={t("org.field.creatorPosition.hint")} />

        <fieldset className="space-y-3" aria-describedby="members-hint members-errors">
          <legend className="text-sm font-medium text-slate-800">{t("org.field.members")}</legend>
          <p id="members-hint" className="text-sm text-slate-600">
            {t("org.field.members.hint")}
          </p>
          <ErrorList id="members-errors" errors={memberErrors} />
          <ol className="space-y-3">
            {Array.from({ length: rows }, (_, i) => (
              <li key={i} className="grid grid-cols-1 gap-2 rounded border border-slate-200 p-3 sm:grid-cols-2">
                {MEMBER_INPUTS.map(({ field, label, maxLength }) => {
                  const name = `members[${i}].${field}`;
                  const errors = form.allErrors[name];
                  const id = `${form.id}-member-${i}-${field}`;
                  return (
                    <div key={field}>
                      <label htmlFor={id} className="block text-sm text-slate-800">
                        {t(label, { n: i + 1 })}
                      </label>
                      <input
                        id={id}
                        name={name}
                        defaultValue={submitted[i]?.[field] ?? ""}
                        maxLength={maxLength}
                        autoComplete="off"
                        aria-invalid={errors ? true : undefined}
                        aria-describedby={errors ? `${id}-errors` : undefined}
                        className={inputClass}
                      />
                      <ErrorList id={`${id}-errors`} errors={errors} />
                    </div>
                  );
                })}
              </li>
            ))}
          </ol>
          {hydrated && rows < MAX_MEMBERS ? (
            <button type="button" onClick={() => setExtra((n) => n + 1)} className="rounded border border-slate-300 px-3 py-1 text-sm">
              {t("org.field.addMember")}
            </button>
          ) : null}
        </fieldset>

        <FormActions submit={t("org.new.submit")} cancelTo="/me" />
      </Form>
    </div>
  );
}
