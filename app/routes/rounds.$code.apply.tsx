import { Form, redirect, useSearchParams } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/rounds.$code.apply";
import { SubmitButton } from "~/components/form";
import { ProposalStatus } from "~/components/proposal-status";
import { EligibilityNotice } from "~/components/eligibility-notice";
import { budgetCategoryName } from "~/domain/proposals";
import { ButtonLink, EmptyState, Notice, PageTitle, Problems, Section, TextLink } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { useLocale, useT } from "~/lib/i18n";
import { formatDeadline } from "~/lib/deadline";
import { localName, pageMeta, roundTitle } from "~/lib/names";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { requireViewer } from "~/lib/session.server";
import { applyPage, startDraft } from "~/services/proposals/proposals.server";

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return applyPage(viewer, params.code);
}

/** Starting a draft: for which of the viewer's organizations. */
const StartSchema = z.object({
  organizationId: z.string({ error: "proposal.apply.chooseOrganization" }).min(1, "proposal.apply.chooseOrganization"),
});

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), StartSchema);
  if (submission.status !== "success") return invalidSubmission(submission);
  const started = await startDraft(viewer, params.code, submission.value.organizationId);
  if (!started.ok) return problemReply(submission, started.problem);
  return redirect(`/proposals/${started.id}/edit`);
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "proposal.apply.title");

export default function Apply({ loaderData: d, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const [params] = useSearchParams();
  const r = d.round;
  // an organization keeps one draft per round: where it has one, continuing it is the next step
  const draftOf = (o: (typeof d.organizations)[number]) => o.proposals.find((p) => p.status === "DRAFT");
  const startable = d.organizations.filter((o) => !o.ineligible.length && !draftOf(o));
  const firstEligible = startable[0]?.id;
  const anyDraft = d.organizations.some((o) => draftOf(o));
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <PageTitle sub={`${roundTitle(locale, r)} · ${localName(locale, r.area)}`}>{t("proposal.apply.title")}</PageTitle>

      <Section id="rules-h" title={t("proposal.apply.rules")} size="lg" className="rounded-lg bg-white p-5 shadow-sm">
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm">
          <li>{t("proposal.apply.rule.amount", { min: formatFen(r.minAwardFen), max: formatFen(r.maxAwardFen) })}</li>
          <li>{t("proposal.apply.rule.labour", { cap: r.labourCapPercent })}</li>
          {r.budgetCaps.flatMap((c) => {
            const category = budgetCategoryName(c.category, locale);
            return [
              c.percent !== undefined ? <li key={`${c.category}-p`}>{t("proposal.apply.rule.budgetCap.percent", { category, percent: c.percent })}</li> : null,
              c.maxFen !== undefined ? <li key={`${c.category}-a`}>{t("proposal.apply.rule.budgetCap.amount", { category, amount: formatFen(c.maxFen) })}</li> : null,
            ];
          })}
          <li>{t("proposal.apply.rule.perOrg", { max: r.maxProposalsPerOrg })}</li>
          <li>{t("proposal.apply.rule.period", { from: r.implementationFrom, to: r.implementationTo })}</li>
          <li>{t("proposal.apply.rule.deadline", { at: formatDeadline(locale, r.proposalsDeadline) })}</li>
          <li>{t("proposal.apply.rule.categories", { list: r.categories.map((c) => (locale === "en" ? c.nameEn : c.nameZh)).join(locale === "en" ? ", " : "、") })}</li>
          {r.eligibility.kinds.length ? (
            <li>{t("rounds.page.eligibility.kinds", { list: r.eligibility.kinds.map((k) => t(`org.kind.${k}`)).join(locale === "en" ? ", " : "、") })}</li>
          ) : null}
          {r.eligibility.inRoundArea ? <li>{t("rounds.page.eligibility.area")}</li> : null}
          {r.eligibility.maxOpenProjects !== null ? <li>{t("rounds.page.eligibility.openProjects", { max: r.eligibility.maxOpenProjects })}</li> : null}
          {r.eligibility.refuseTroubled ? <li>{t("rounds.page.eligibility.troubled")}</li> : null}
        </ul>
        <TextLink to={`/rounds/${r.code}`} className="mt-2 inline-block text-sm">{t("proposal.apply.roundPage")}</TextLink>
      </Section>

      {params.get("deleted") ? <Notice tone="success">{t("proposal.apply.draftDeleted")}</Notice> : null}
      <Problems errors={Object.values(actionData?.result.error ?? {}).flatMap((e) => e ?? [])} />

      {!r.open ? (
        <EmptyState title={t("proposal.problem.roundClosed")} />
      ) : d.organizations.length === 0 ? (
        <EmptyState title={t("proposal.apply.noOrganization")}>
          <TextLink to="/organizations/new">{t("proposal.apply.createOrganization")}</TextLink>
        </EmptyState>
      ) : (
        <Form method="post" className="space-y-4 rounded-lg bg-white p-5 shadow-sm">
          <fieldset>
            <legend className="text-sm font-medium text-slate-800">{t(anyDraft && !firstEligible ? "proposal.apply.yourOrganizations" : "proposal.apply.chooseOrganization")}</legend>
            <ul className="mt-2 space-y-3">
              {d.organizations.map((o) => (
                <li key={o.id} className="rounded border border-slate-200 p-3">
                  {draftOf(o) ? (
                    <div className="space-y-2">
                      <p>
                        <span className="font-medium">{o.name}</span> <span className="text-sm text-slate-600">{t(`org.kind.${o.kind}`)}</span>
                      </p>
                      <p className="text-sm text-slate-700">{t("proposal.apply.hasDraft")}</p>
                      <ButtonLink to={`/proposals/${draftOf(o)!.id}/edit`} className="inline-block">
                        {t("proposal.apply.continue", { title: draftOf(o)!.title || t("proposal.untitled") })}
                      </ButtonLink>
                    </div>
                  ) : (
                  <label className="flex items-start gap-2">
                    <input
                      type="radio"
                      name="organizationId"
                      value={o.id}
                      defaultChecked={o.id === firstEligible}
                      disabled={o.ineligible.length > 0}
                      aria-describedby={o.ineligible.length ? `ineligible-${o.id}` : undefined}
                      className="mt-1 h-4 w-4"
                    />
                    <span>
                      <span className="font-medium">{o.name}</span> <span className="text-sm text-slate-600">{t(`org.kind.${o.kind}`)}</span>
                    </span>
                  </label>
                  )}
                  {o.ineligible.length ? (
                    <div id={`ineligible-${o.id}`} className="ml-6 mt-2">
                      <EligibilityNotice messages={o.ineligible} />
                    </div>
                  ) : null}
                  {o.proposals.length ? (
                    <ul className="ml-6 mt-1 space-y-1 text-sm">
                      {o.proposals.filter((p) => p.status !== "DRAFT").map((p) => (
                        <li key={p.id}>
                          <TextLink to={p.status === "DRAFT" ? `/proposals/${p.id}/edit` : `/proposals/${p.id}`}>{p.title || t("proposal.untitled")}</TextLink>
                          <ProposalStatus status={p.status} />
                          {p.referenceNo ? <span className="ml-2 font-mono">{p.referenceNo}</span> : null}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              ))}
            </ul>
          </fieldset>
          {firstEligible ? (
            <SubmitButton className={anyDraft ? "rounded border border-brand-700 px-4 py-2 font-medium text-brand-800 disabled:opacity-60" : undefined}>
              {t("proposal.apply.start")}
            </SubmitButton>
          ) : null}
        </Form>
      )}
    </div>
  );
}
