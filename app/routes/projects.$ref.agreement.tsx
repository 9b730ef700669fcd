import { Form, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/projects.$ref.agreement";
import { inputClass, replyFor, SubmitButton } from "~/components/form";
import { cell, ConfirmAction, DataTable, Done, Fact, PageTitle, Problems, Section } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { BUDGET_CATEGORIES } from "~/domain/proposals";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { acceptAgreement, agreementView, approveRelease, cancelPreparedRelease, countersignAgreement, prepareRelease } from "~/services/projects/projects.server";

/** Signing sends the hash of the terms the signer saw and the confirmation box. */
const signShape = { termsSha256: z.string().default(""), confirm: z.boolean().default(false) };
const Intents = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("accept"), ...signShape }),
  z.object({ intent: z.literal("countersign"), ...signShape }),
  z.object({ intent: z.literal("prepare"), trancheId: z.string(), transferRef: z.string().default("") }),
  z.object({ intent: z.literal("approve"), trancheId: z.string() }),
  z.object({ intent: z.literal("cancel"), trancheId: z.string() }),
]);

const DONE = { accept: "agreement.done.accepted", countersign: "agreement.done.countersigned", prepare: "tranche.done.prepared", approve: "tranche.done.released", cancel: "tranche.done.cancelled" } as const;

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return { view: await agreementView(viewer, params.ref), done: new URL(request.url).searchParams.get("done") };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission, { trancheId: null });
  const v = submission.value;
  const result = await (() => {
    switch (v.intent) {
      case "accept":
        return acceptAgreement(viewer, params.ref, v);
      case "countersign":
        return countersignAgreement(viewer, params.ref, v);
      case "prepare":
        return prepareRelease(viewer, params.ref, v);
      case "approve":
        return approveRelease(viewer, params.ref, v);
      case "cancel":
        return cancelPreparedRelease(viewer, params.ref, v);
    }
  })();
  if (result.ok) return redirect(`/projects/${encodeURIComponent(params.ref)}/agreement?done=${encodeURIComponent(DONE[v.intent])}`);
  return problemReply(submission, result.problem, { trancheId: "trancheId" in v ? v.trancheId : null });
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "agreement.title");

const ALLOWED_DONE = /^(agreement|tranche)\.done\.[a-z]+$/;

export default function AgreementPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { view, done } = loaderData;
  const { terms, project, access } = view;
  const zh = locale === "zh-CN";
  const categoryName = (key: string) => {
    const c = BUDGET_CATEGORIES.find((x) => x.key === key);
    return c ? (zh ? c.nameZh : c.nameEn) : key;
  };
  const agreementErrors = (replyFor(actionData, "accept") ?? replyFor(actionData, "countersign"))?.error?.[""] ?? null;
  /** The reply to one tranche's forms (prepare, approve, cancel). */
  const trancheReply = (trancheId: string) =>
    actionData?.trancheId === trancheId ? (replyFor(actionData, "prepare") ?? replyFor(actionData, "approve") ?? replyFor(actionData, "cancel")) : undefined;
  return (
    <div className="space-y-6">
      <PageTitle>{t("agreement.title")}</PageTitle>
      <Done message={done && ALLOWED_DONE.test(done) ? done : null} />
      <p className="flex flex-wrap items-center gap-3">
        <span className="rounded bg-slate-100 px-2 py-1 text-sm" data-testid="project-status">
          {t(`project.status.${project.status}`)}
        </span>
        <a href={`/projects/${encodeURIComponent(project.referenceNo)}/agreement.pdf`} className="text-brand-700 underline" download>
          {t("agreement.pdf")}
        </a>
      </p>

      <Section id="terms-heading" title={t("agreement.pdf.title")} size="lg" className="space-y-4 rounded-lg bg-white p-4 shadow-sm" testId="agreement-terms">
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
          <Fact label={t("agreement.funder")}>
            {zh ? terms.funder.areaNameZh : terms.funder.areaNameEn} · {zh ? terms.funder.foundationNameZh : terms.funder.foundationNameEn}
          </Fact>
          <Fact label={t("agreement.grantee")}>{terms.grantee.name}</Fact>
          <Fact label={t("agreement.project")}>
            {terms.referenceNo} {terms.title}
          </Fact>
          <Fact label={t("agreement.community")}>{terms.community ? (zh ? terms.community.nameZh : terms.community.nameEn) : "—"}</Fact>
          <Fact label={t("agreement.amount")} valueClassName="font-semibold" testId="agreement-amount">
            {formatFen(terms.awardFen)}
          </Fact>
          <Fact label={t("agreement.requested")}>{formatFen(terms.requestedFen)}</Fact>
          <Fact label={t("agreement.coFunding")}>{formatFen(terms.coFundingFen)}</Fact>
          <Fact label={t("agreement.beneficiaries")}>{terms.beneficiaryCount ?? "—"}</Fact>
        </dl>
        <p className="whitespace-pre-line text-sm">{terms.summary}</p>

        <h3 className="font-semibold">{t("agreement.budget")}</h3>
        <DataTable headers={["#", t("agreement.budget.item"), t("agreement.budget.requested"), t("agreement.budget.agreed")]}>
          {terms.budget.map((l) => (
            <tr key={l.position}>
              <td className={cell}>{l.position}</td>
              <td className={cell}>
                {categoryName(l.category)} · {l.item}
              </td>
              <td className={`${cell} text-right`}>{formatFen(l.requestedFen)}</td>
              <td className={`${cell} text-right`}>{formatFen(l.agreedFen)}</td>
            </tr>
          ))}
        </DataTable>

        <h3 className="font-semibold">{t("agreement.milestones")}</h3>
        <ol className="list-inside list-decimal space-y-1 text-sm">
          {terms.milestones.map((m) => (
            <li key={m.position}>
              <strong>{m.title}</strong> · {m.dueOn ? t("agreement.milestone.due", { date: m.dueOn }) : t("agreement.milestone.noDue")}
              {m.deliverable ? <span className="text-slate-600"> — {m.deliverable}</span> : null}
            </li>
          ))}
        </ol>

        <h3 className="font-semibold">{t("agreement.obligations")}</h3>
        <ol className="list-inside list-decimal space-y-1 text-sm">
          {terms.obligations.map((o, i) => (
            <li key={i}>{zh ? o.zh : o.en}</li>
          ))}
        </ol>
        <p className="text-sm">{t("agreement.passScore", { score: terms.evaluationPassScore })}</p>
        <p className="break-all text-xs text-slate-600">
          {t("agreement.hash", { hash: project.termsSha256 })} · {t("agreement.generatedAt", { date: formatDateTime(locale, terms.generatedAt) })}
        </p>
        <ul className="space-y-1 border-t border-slate-200 pt-3 text-sm" data-testid="signatures">
          <li>{project.acceptedAt ? t("agreement.acceptedBy", { name: project.acceptedBy ?? "—", date: formatDateTime(locale, project.acceptedAt) }) : t("agreement.notAccepted")}</li>
          <li>
            {project.countersignedAt
              ? t("agreement.countersignedBy", { name: project.countersignedBy ?? "—", date: formatDateTime(locale, project.countersignedAt) })
              : t("agreement.notCountersigned")}
          </li>
        </ul>

        {project.status === "AWAITING_ACCEPTANCE" && access.isGrantee ? (
          <SignForm intent="accept" label={t("agreement.accept")} question={t("agreement.acceptConfirm")} hash={project.termsSha256} errors={agreementErrors} />
        ) : project.status === "AWAITING_ACCEPTANCE" ? (
          <p className="text-sm text-slate-700">{t("agreement.waitingGrantee")}</p>
        ) : null}
        {project.status === "AWAITING_COUNTERSIGN" && access.isOfficial ? (
          <SignForm intent="countersign" label={t("agreement.countersign")} question={t("agreement.countersignConfirm")} hash={project.termsSha256} errors={agreementErrors} />
        ) : project.status === "AWAITING_COUNTERSIGN" ? (
          <p className="text-sm text-slate-700">{t("agreement.waitingOfficial")}</p>
        ) : null}
      </Section>

      <Section id="tranches-heading" title={t("agreement.tranches")} size="lg">
        <p className="text-sm" data-testid="paid-total">
          {t("tranche.paidTotal", { paid: formatFen(view.paidFen), award: formatFen(project.awardFen) })}
        </p>
        {access.isOfficial ? <p className="text-sm text-slate-600">{t("tranche.fourEyes")}</p> : null}
        <ol className="space-y-3">
          {view.tranches.map((tr) => {
            const mine = trancheReply(tr.id);
            return (
              <li key={tr.id} className="space-y-2 rounded-lg bg-white p-4 shadow-sm" data-testid={`tranche-${tr.position}`}>
                <p className="flex flex-wrap items-baseline gap-x-3">
                  <strong>{t("tranche.number", { n: tr.position })}</strong>
                  <span>{t("tranche.amount", { percent: tr.percent, amount: formatFen(tr.amountFen) })}</span>
                  <span className="text-sm text-slate-600">{t(`tranche.trigger.${tr.trigger}`)}</span>
                  <span className="rounded bg-slate-100 px-2 py-0.5 text-sm" data-testid="tranche-status">
                    {t(`tranche.status.${tr.status}`)}
                  </span>
                </p>
                {tr.milestone ? <p className="text-sm text-slate-700">{t("tranche.tiedTo", { position: tr.milestone.position, title: tr.milestone.title })}</p> : null}
                {tr.preparedAt ? (
                  <p className="text-sm">{t("tranche.preparedBy", { name: tr.preparedBy ?? "—", date: formatDateTime(locale, tr.preparedAt), ref: tr.transferRef ?? "" })}</p>
                ) : null}
                {tr.releasedAt ? <p className="text-sm">{t("tranche.releasedBy", { name: tr.approvedBy ?? "—", date: formatDateTime(locale, tr.releasedAt) })}</p> : null}
                {tr.heldReason ? <p className="text-sm text-red-800">{t("tranche.heldReason", { reason: tr.heldReason })}</p> : null}
                {mine ? <Problems errors={mine.error?.[""]} /> : null}
                {access.isOfficial && tr.status === "RELEASABLE" && !tr.prepareProblem ? (
                  <Form method="post" className="flex flex-wrap items-end gap-3">
                    <input type="hidden" name="trancheId" value={tr.id} />
                    <label className="text-sm">
                      {t("tranche.transferRef")}
                      <input
                        name="transferRef"
                        required
                        defaultValue={String(mine?.initialValue?.transferRef ?? "")}
                        className={inputClass}
                        aria-describedby={`ref-hint-${tr.id}`}
                        autoComplete="off"
                        data-testid="transfer-ref"
                      />
                      <span id={`ref-hint-${tr.id}`} className="mt-1 block text-xs text-slate-600">
                        {t("tranche.transferRefHint")}
                      </span>
                    </label>
                    <SubmitButton name="intent" value="prepare">
                      {t("tranche.prepare")}
                    </SubmitButton>
                  </Form>
                ) : null}
                {access.isOfficial && tr.status === "RELEASABLE" && tr.prepareProblem ? <p className="text-sm text-slate-600">{t(tr.prepareProblem)}</p> : null}
                {access.isOfficial && tr.status === "PREPARED" ? (
                  <div className="flex flex-wrap gap-3">
                    {tr.approveProblem ? (
                      <p className="text-sm text-slate-700">{t(tr.approveProblem)}</p>
                    ) : (
                      <ConfirmAction
                        label={t("tranche.approve")}
                        question={t("tranche.approveConfirm", { amount: formatFen(tr.amountFen) })}
                        confirmLabel={t("tranche.approve")}
                        intent="approve"
                        hidden={{ trancheId: tr.id }}
                      />
                    )}
                    <ConfirmAction label={t("tranche.cancel")} question={t("tranche.cancelConfirm")} intent="cancel" hidden={{ trancheId: tr.id }} />
                  </div>
                ) : null}
              </li>
            );
          })}
        </ol>
      </Section>
    </div>
  );
}

function SignForm({ intent, label, question, hash, errors }: { intent: string; label: string; question: string; hash: string; errors: readonly string[] | null }) {
  return (
    <Form method="post" className="space-y-3 rounded border border-brand-100 bg-brand-50 p-3" data-testid={`${intent}-form`}>
      <Problems errors={errors} />
      <input type="hidden" name="termsSha256" value={hash} />
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" name="confirm" className="mt-1" required />
        <span>{question}</span>
      </label>
      <SubmitButton name="intent" value={intent}>
        {label}
      </SubmitButton>
    </Form>
  );
}
