import { data, Form } from "react-router";
import type { Route } from "./+types/projects.$ref.beneficiaries";
import { ErrorList, inputClass, SubmitButton } from "~/components/form";
import { ProjectNav } from "~/components/project-nav";
import { cell, DataTable, EmptyState, PageTitle, Pagination, Problems } from "~/components/ui";
import { BENEFICIARY_NAME_MAX, CONSENT_METHODS, CONSENT_NOTE_MAX } from "~/domain/pii";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { beneficiariesPage, registerBeneficiary, revealBeneficiary, type RegisterValues } from "~/services/projects/beneficiaries.server";

/** Full names and phones appear only in the response to an audited reveal: never cache it. */
const NO_STORE = { "Cache-Control": "no-store" };

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const page = new URL(request.url).searchParams.get("page");
  return data({ view: await beneficiariesPage(viewer, params.ref, page) }, { headers: NO_STORE });
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent === "reveal") {
    const revealed = await revealBeneficiary(viewer, params.ref, String(form.get("beneficiaryId") ?? ""));
    return data({ intent, revealed, registered: null, values: null, fieldErrors: null, formErrors: null }, { headers: NO_STORE });
  }
  const values: RegisterValues = {
    name: String(form.get("name") ?? ""),
    phone: String(form.get("phone") ?? ""),
    consent: String(form.get("consent") ?? ""),
    consentMethod: String(form.get("consentMethod") ?? ""),
    consentNote: String(form.get("consentNote") ?? ""),
  };
  const result = await registerBeneficiary(viewer, params.ref, values);
  if (result.ok) {
    return data({ intent: "register", revealed: null, registered: { id: result.id, name: result.name, phone: result.phone }, values: null, fieldErrors: null, formErrors: null }, { headers: NO_STORE });
  }
  // the typed values go back into the form (the grantee typed them a moment ago)
  return data({ intent: "register", revealed: null, registered: null, values, fieldErrors: result.fieldErrors, formErrors: result.formErrors }, { status: 400, headers: NO_STORE });
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "beneficiary.title");

export default function BeneficiariesPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { view } = loaderData;
  const values = actionData?.values ?? null;
  const errors: Partial<Record<keyof RegisterValues, string>> = actionData?.fieldErrors ?? {};
  const revealed = actionData?.revealed ?? null;
  const fieldProps = (name: keyof RegisterValues) => ({
    name,
    id: `b-${name}`,
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": errors[name] ? `b-${name}-error` : undefined,
  });
  return (
    <div className="space-y-6">
      <ProjectNav referenceNo={view.project.referenceNo} official={view.isOfficial} />
      <PageTitle sub={`${view.project.referenceNo} · ${view.project.title}`}>{t("beneficiary.title")}</PageTitle>
      <p className="text-sm text-slate-700">{t("beneficiary.intro")}</p>

      {view.canRegister ? (
        <section className="space-y-3 rounded-lg bg-white p-4 shadow-sm" aria-labelledby="register-heading">
          <h2 id="register-heading" className="text-lg font-semibold">
            {t("beneficiary.register.title")}
          </h2>
          {actionData?.registered ? (
            <p role="status" className="rounded border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900" data-testid="done">
              {t("beneficiary.done.registered", { name: actionData.registered.name, phone: actionData.registered.phone })} {t("beneficiary.maskedNote")}
            </p>
          ) : null}
          <Problems errors={actionData?.formErrors} />
          {/* a new key after each registration empties the form */}
          <Form method="post" className="grid gap-3 sm:grid-cols-2" key={actionData?.registered?.id ?? "form"} data-testid="beneficiary-form">
            <input type="hidden" name="intent" value="register" />
            <div>
              <label htmlFor="b-name" className="block text-sm font-medium">
                {t("beneficiary.field.name")}
              </label>
              <input {...fieldProps("name")} required maxLength={BENEFICIARY_NAME_MAX} autoComplete="off" defaultValue={values?.name ?? ""} className={inputClass} />
              <ErrorList id="b-name-error" errors={errors.name ? [errors.name] : undefined} />
            </div>
            <div>
              <label htmlFor="b-phone" className="block text-sm font-medium">
                {t("beneficiary.field.phone")}
              </label>
              <input {...fieldProps("phone")} required type="tel" inputMode="tel" autoComplete="off" defaultValue={values?.phone ?? ""} className={inputClass} />
              <p className="mt-1 text-xs text-slate-600">{t("beneficiary.field.phoneHint")}</p>
              <ErrorList id="b-phone-error" errors={errors.phone ? [errors.phone] : undefined} />
            </div>
            <fieldset className="sm:col-span-2" aria-describedby={errors.consentMethod ? "b-consentMethod-error" : undefined}>
              <legend className="text-sm font-medium">{t("beneficiary.field.consentMethod")}</legend>
              <div className="mt-1 flex flex-wrap gap-4">
                {CONSENT_METHODS.map((m) => (
                  <label key={m} className="text-sm">
                    <input type="radio" name="consentMethod" value={m} required defaultChecked={(values?.consentMethod ?? "ORAL") === m} /> {t(`beneficiary.consent.${m}`)}
                  </label>
                ))}
              </div>
              <ErrorList id="b-consentMethod-error" errors={errors.consentMethod ? [errors.consentMethod] : undefined} />
            </fieldset>
            <div className="sm:col-span-2">
              <label htmlFor="b-consentNote" className="block text-sm font-medium">
                {t("beneficiary.field.consentNote")}
              </label>
              <input {...fieldProps("consentNote")} maxLength={CONSENT_NOTE_MAX} defaultValue={values?.consentNote ?? ""} className={inputClass} />
              <p className="mt-1 text-xs text-slate-600">{t("beneficiary.field.consentNoteHint")}</p>
              <ErrorList id="b-consentNote-error" errors={errors.consentNote ? [errors.consentNote] : undefined} />
            </div>
            <div className="sm:col-span-2">
              <label className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  name="consent"
                  id="b-consent"
                  required
                  defaultChecked={values?.consent === "on"}
                  aria-invalid={errors.consent ? true : undefined}
                  aria-describedby={errors.consent ? "b-consent-error" : undefined}
                  className="mt-1"
                />
                <span>{t("beneficiary.field.consent")}</span>
              </label>
              <ErrorList id="b-consent-error" errors={errors.consent ? [errors.consent] : undefined} />
            </div>
            <div className="sm:col-span-2">
              <SubmitButton>{t("beneficiary.submit")}</SubmitButton>
            </div>
          </Form>
        </section>
      ) : view.isGrantee ? (
        <p className="rounded border border-amber-300 bg-amber-50 p-3 text-sm">{t("beneficiary.notActive")}</p>
      ) : null}

      <section className="space-y-3" aria-labelledby="list-heading">
        <h2 id="list-heading" className="text-lg font-semibold">
          {t("beneficiary.list.title", { count: view.total })}
        </h2>
        {revealed ? (
          <div role="status" className="rounded border border-amber-400 bg-amber-50 p-3 text-sm" data-testid="revealed">
            <p className="font-medium">{t("beneficiary.revealed.title")}</p>
            <p className="mt-1 text-base">
              {revealed.name} · <a href={`tel:${revealed.phone}`} className="font-mono text-brand-700 underline">{revealed.phone}</a>
            </p>
            <p className="mt-1 text-xs text-slate-700">{t("beneficiary.revealed.note")}</p>
          </div>
        ) : null}
        {view.rows.length === 0 ? (
          <EmptyState title={t("beneficiary.empty")}>{t("beneficiary.emptyHint")}</EmptyState>
        ) : (
          <DataTable
            testId="beneficiaries"
            headers={[t("beneficiary.col.name"), t("beneficiary.col.phone"), t("beneficiary.col.consent"), t("beneficiary.col.registeredAt"), view.canReveal ? t("beneficiary.col.actions") : null]}
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
        )}
        <Pagination page={view.page} pages={view.pages} />
      </section>
    </div>
  );
}
