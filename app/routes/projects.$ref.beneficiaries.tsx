import { data, Form } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/projects.$ref.beneficiaries";
import { ErrorList, FormActions, getFormProps, inputClass, replyFor, useZodForm } from "~/components/form";
import { NO_STORE, noStore } from "~/components/project-forms";
import { cell, DataTable, EmptyState, Notice, PageTitle, Pagination, Problems, Section } from "~/components/ui";
import { BENEFICIARY_NAME_MAX, CONSENT_METHODS, CONSENT_NOTE_MAX } from "~/domain/pii";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { beneficiariesPage, registerBeneficiary, revealBeneficiary, type Registered } from "~/services/projects/beneficiaries.server";

/**
 * What the registration form sends; the service checks it (required fields, a mobile number,
 * consent) with its RegisterSchema, so the errors come back next to the fields with what was typed.
 */
const RegisterForm = z.object({
  intent: z.literal("register"),
  name: z.string().optional(),
  phone: z.string().optional(),
  consent: z.string().optional(),
  consentMethod: z.string().optional(),
  consentNote: z.string().optional(),
});
const RevealSchema = z.object({ intent: z.literal("reveal"), beneficiaryId: z.string() });
const Intents = z.discriminatedUnion("intent", [RegisterForm, RevealSchema]);

/** Full names and phones appear only in the response to an audited reveal: never cache this page or its answers. */
export const headers = () => NO_STORE;

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const page = new URL(request.url).searchParams.get("page");
  return data({ view: await beneficiariesPage(viewer, params.ref, page) }, { headers: NO_STORE });
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return noStore(invalidSubmission(submission, { revealed: null, registered: null }));
  const v = submission.value;
  switch (v.intent) {
    case "reveal": {
      const revealed = await revealBeneficiary(viewer, params.ref, v.beneficiaryId);
      return data({ intent: v.intent, result: submission.reply(), revealed, registered: null as Registered | null }, { headers: NO_STORE });
    }
    case "register": {
      const r = await registerBeneficiary(viewer, params.ref, v);
      if (r.ok) {
        const { ok: _ok, ...registered } = r;
        return data({ intent: v.intent, result: submission.reply({ resetForm: true }), revealed: null, registered }, { headers: NO_STORE });
      }
      // what was typed goes back into the form (the grantee typed it a moment ago)
      return noStore(problemReply(submission, r.problem, { revealed: null, registered: null }));
    }
  }
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "beneficiary.title");

export default function BeneficiariesPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { view } = loaderData;
  const revealed = actionData?.revealed ?? null;
  const [form, fields] = useZodForm(RegisterForm, replyFor(actionData, "register"), { id: "register" });
  type Name = "name" | "phone" | "consent" | "consentMethod" | "consentNote";
  const errors = (name: Name) => fields[name].errors;
  const typed = (name: Name) => (fields[name].initialValue as string | undefined) ?? "";
  const fieldProps = (name: Name) => ({
    name,
    id: `b-${name}`,
    "aria-invalid": errors(name) ? true : undefined,
    "aria-describedby": errors(name) ? `b-${name}-error` : undefined,
  });
  return (
    <div className="space-y-6">
      <PageTitle>{t("beneficiary.title")}</PageTitle>
      <p className="text-sm text-slate-700">{t("beneficiary.intro")}</p>

      {view.canRegister ? (
        <Section id="register-heading" title={t("beneficiary.register.title")} size="lg" className="space-y-3 rounded-lg bg-white p-4 shadow-sm">
          {actionData?.registered ? (
            <Notice tone="success" testId="done">
              {t("beneficiary.done.registered", { name: actionData.registered.name, phone: actionData.registered.phone })} {t("beneficiary.maskedNote")}
            </Notice>
          ) : null}
          <Problems errors={form.errors} />
          {/* a new key after each registration empties the form */}
          <Form method="post" className="grid gap-3 sm:grid-cols-2" key={actionData?.registered?.id ?? "form"} data-testid="beneficiary-form" {...getFormProps(form)}>
            <input type="hidden" name="intent" value="register" />
            <div>
              <label htmlFor="b-name" className="block text-sm font-medium">
                {t("beneficiary.field.name")}
              </label>
              <input {...fieldProps("name")} required maxLength={BENEFICIARY_NAME_MAX} autoComplete="off" defaultValue={typed("name")} className={inputClass} />
              <ErrorList id="b-name-error" errors={errors("name")} />
            </div>
            <div>
              <label htmlFor="b-phone" className="block text-sm font-medium">
                {t("beneficiary.field.phone")}
              </label>
              <input {...fieldProps("phone")} required type="tel" inputMode="tel" autoComplete="off" defaultValue={typed("phone")} className={inputClass} />
              <p className="mt-1 text-xs text-slate-600">{t("beneficiary.field.phoneHint")}</p>
              <ErrorList id="b-phone-error" errors={errors("phone")} />
            </div>
            <fieldset className="sm:col-span-2" aria-describedby={errors("consentMethod") ? "b-consentMethod-error" : undefined}>
              <legend className="text-sm font-medium">{t("beneficiary.field.consentMethod")}</legend>
              <div className="mt-1 flex flex-wrap gap-4">
                {CONSENT_METHODS.map((m) => (
                  <label key={m} className="text-sm">
                    <input type="radio" name="consentMethod" value={m} required defaultChecked={(typed("consentMethod") || "ORAL") === m} /> {t(`beneficiary.consent.${m}`)}
                  </label>
                ))}
              </div>
              <ErrorList id="b-consentMethod-error" errors={errors("consentMethod")} />
            </fieldset>
            <div className="sm:col-span-2">
              <label htmlFor="b-consentNote" className="block text-sm font-medium">
                {t("beneficiary.field.consentNote")}
              </label>
              <input {...fieldProps("consentNote")} maxLength={CONSENT_NOTE_MAX} defaultValue={typed("consentNote")} className={inputClass} />
              <p className="mt-1 text-xs text-slate-600">{t("beneficiary.field.consentNoteHint")}</p>
              <ErrorList id="b-consentNote-error" errors={errors("consentNote")} />
            </div>
            <div className="sm:col-span-2">
              <label className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  name="consent"
                  id="b-consent"
                  required
                  defaultChecked={typed("consent") === "on"}
                  aria-invalid={errors("consent") ? true : undefined}
                  aria-describedby={errors("consent") ? "b-consent-error" : undefined}
                  className="mt-1"
                />
                <span>{t("beneficiary.field.consent")}</span>
              </label>
              <ErrorList id="b-consent-error" errors={errors("consent")} />
            </div>
            <FormActions submit={t("beneficiary.submit")} className="sm:col-span-2" />
          </Form>
        </Section>
      ) : view.isGrantee ? (
        <p className="rounded border border-amber-300 bg-amber-50 p-3 text-sm">{t("beneficiary.notActive")}</p>
      ) : null}

      <Section id="list-heading" title={t("beneficiary.list.title", { count: view.total })} size="lg">
        {revealed ? (
          <div role="status" className="rounded border border-amber-400 bg-amber-50 p-3 text-sm" data-testid="revealed">
            <p className="font-medium">{t("beneficiary.revealed.title")}</p>
            <p className="mt-1 text-base">
              {revealed.name} · <a href={`tel:${revealed.phone}`} className="font-mono text-brand-700 underline">{revealed.phone}</a>
            </p>
            <p className="mt-1 text-xs text-slate-700">{t("beneficiary.revealed.note")}</p>
          </div>
        ) : null}
        <DataTable
          testId="beneficiaries"
          headers={[t("beneficiary.col.name"), t("beneficiary.col.phone"), t("beneficiary.col.consent"), t("beneficiary.col.registeredAt"), view.canReveal ? t("beneficiary.col.actions") : null]}
          empty={view.rows.length === 0 && <EmptyState title={t("beneficiary.empty")}>{t("beneficiary.emptyHint")}</EmptyState>}
        >
          {view.rows.map((r) => (
            <tr key={r.id}>
              <td className={cell}>{revealed?.id === r.id ? revealed.name : r.name}</td>
              <td className={`${cell} font-mono`}>{revealed?.id === r.id ? revealed.phone : r.phone}</td>
              <td className={cell}>
                {r.consentMethod ? t(`beneficiary.consent.${r.consentMethod}`) : ""}
                {r.consentNote ? <span className="block text-xs text-slate-600">{r.consentNote}</span> : null}
              </td>
              <td className={cell}>{formatDateTime(locale, r.createdAt)}</td>
              {view.canReveal ? (
                <td className={cell}>
                  <Form method="post">
                    <input type="hidden" name="intent" value="reveal" />
                    <input type="hidden" name="beneficiaryId" value={r.id} />
                    <button type="submit" className="rounded border border-slate-400 px-2 py-0.5 text-sm" aria-label={t("beneficiary.revealLabel", { name: r.name })}>
                      {t("beneficiary.reveal")}
                    </button>
                  </Form>
                </td>
              ) : null}
            </tr>
          ))}
        </DataTable>
        <Pagination page={view.page} pages={view.pages} />
      </Section>
    </div>
  );
}
