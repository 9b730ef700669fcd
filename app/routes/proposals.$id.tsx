import { useSearchParams } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/proposals.$id";
import { ProposalStatus } from "~/components/proposal-status";
import { replyFor } from "~/components/form";
import { ConfirmAction, Fact, Notice, PageTitle, Problems, Section, TableHead, TextLink, type Column } from "~/components/ui";
import { categoryName } from "~/domain/categories";
import { formatFen } from "~/domain/money";
import { budgetCategoryName, proposalTotals, type ProposalSnapshot } from "~/domain/proposals";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { requireViewer } from "~/lib/session.server";
import { loadProposalFor, withdraw } from "~/services/proposals/proposals.server";

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return loadProposalFor(viewer, params.id);
}

/** Withdrawing a submitted proposal, with an optional reason (kept in the audit log). */
const WithdrawSchema = z.object({ intent: z.literal("withdraw"), reason: z.string().optional() });

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseForm(await readForm(request), WithdrawSchema);
  if (submission.status !== "success") return invalidSubmission(submission);
  const r = await withdraw(viewer, params.id, submission.value.reason);
  if (!r.ok) return problemReply(submission, r.problem);
  return { intent: submission.value.intent, result: submission.reply(), withdrawn: true };
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "proposal.view.title");

/** A titled table of the proposal (its milestones, its budget): column headers over the rows, and a footer row if any. */
function ViewTable({ id, title, columns, foot, children }: { id: string; title: string; columns: readonly Column[]; foot?: React.ReactNode; children: React.ReactNode }) {
  return (
    <Section id={id} title={title} size="lg" className="overflow-x-auto rounded-lg bg-white p-5 shadow-sm">
      <table className="mt-2 w-full text-sm">
        <TableHead className={null} rowClassName="text-left text-slate-600" cellClassName="py-1" scoped={false} columns={columns} />
        <tbody>{children}</tbody>
        {foot ? <tfoot>{foot}</tfoot> : null}
      </table>
    </Section>
  );
}

/** One field of the proposal: its label over its text (kept as written, line breaks and all). */
function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Fact label={label} labelClassName="text-sm text-slate-600" valueClassName="mt-0.5 whitespace-pre-wrap">
      {children}
    </Fact>
  );
}

export default function ProposalPage({ loaderData: p, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const [params] = useSearchParams();
  const s: ProposalSnapshot | null = p.snapshot;
  // a draft is shown from its rows, a submission from its frozen snapshot
  const view = s ?? {
    title: p.draft.title,
    summary: p.draft.summary,
    community: p.draftCommunity,
    category: p.draft.category,
    needs: p.draftNeeds,
    beneficiaryGroups: p.draft.beneficiaryGroups,
    beneficiaryCount: p.draft.beneficiaryCount,
    activityPlan: p.draft.activityPlan,
    coFundingFen: p.draft.coFundingFen,
    milestones: p.draft.milestones,
    budgetLines: p.draft.budgetLines.map((l) => ({ ...l, totalFen: l.quantity * l.unitPriceFen })),
    team: p.draft.team,
    totals: proposalTotals(p.draft.budgetLines),
  };

  return (
    <div className="mx-auto max-w-4xl space-y-6">
      {params.get("submitted") ? <Notice tone="success" testId="submitted-notice">{t("proposal.submitted", { referenceNo: p.referenceNo ?? "" })}</Notice> : null}
      {actionData && "withdrawn" in actionData ? (
        <p role="status" className="rounded border border-slate-300 bg-slate-50 p-3 text-sm">
          {t("proposal.withdrawn")}
        </p>
      ) : null}
      <Problems errors={replyFor(actionData, "withdraw")?.error?.[""]} />

      <PageTitle sub={`${p.organization.name} · ${p.round.title}`}>
        {view.title || t("proposal.untitled")} <ProposalStatus status={p.status} />
      </PageTitle>

      <dl className="grid gap-3 rounded-lg bg-white p-5 shadow-sm sm:grid-cols-3">
        <Row label={t("proposal.referenceNo")}>
          <span className="font-mono" data-testid="reference-no">
            {p.referenceNo ?? "—"}
          </span>
        </Row>
        <Row label={t("proposal.requested")}>{formatFen(p.requestedFen ?? view.totals.totalFen)}</Row>
        <Row label={t("proposal.submittedAt")}>{p.submittedAt ? formatDateTime(locale, p.submittedAt) : "—"}</Row>
        {p.withdrawnAt ? <Row label={t("proposal.withdrawnAt")}>{formatDateTime(locale, p.withdrawnAt)}</Row> : null}
      </dl>

      {p.screening ? (
        <Section id="screening-h" title={t("proposal.screening")} size="lg" className="rounded-lg bg-white p-5 shadow-sm">
          <p className="mt-2">
            <ProposalStatus status={p.screening.outcome} /> <span className="text-sm text-slate-600">{formatDateTime(locale, p.screening.at)}</span>
          </p>
          <p className="mt-2 whitespace-pre-wrap">{p.screening.reason}</p>
        </Section>
      ) : null}

      {p.canEdit ? (
        <p className="rounded border border-slate-300 bg-white p-3">
          {t("proposal.draftNotice")}{" "}
          <TextLink to={`/proposals/${p.id}/edit`} className="font-medium">{t("proposal.continueEditing")}</TextLink>
        </p>
      ) : null}

      <section className="space-y-4 rounded-lg bg-white p-5 shadow-sm">
        <dl className="grid gap-4 sm:grid-cols-2">
          <Row label={t("proposal.field.summary")}>{view.summary || "—"}</Row>
          <Row label={t("proposal.field.community")}>{view.community ? localName(locale, view.community) : "—"}</Row>
          <Row label={t("proposal.field.category")}>{view.category ? categoryName(p.round.categories, view.category, locale) : "—"}</Row>
          <Row label={t("proposal.field.beneficiaryGroups")}>
            {view.beneficiaryGroups.map((g) => t(`proposal.group.${g}`)).join("、") || "—"}
          </Row>
          <Row label={t("proposal.field.beneficiaryCount")}>{view.beneficiaryCount ?? "—"}</Row>
          <Row label={t("proposal.field.coFunding")}>{formatFen(view.coFundingFen)}</Row>
          {view.needs.length ? (
            <Row label={t("proposal.field.needs")}>
              {view.needs.map((n) => (
                <TextLink key={n.id} to={`/needs/${n.number}`} className="mr-3">#{n.number} {n.title}</TextLink>
              ))}
            </Row>
          ) : null}
        </dl>
        <dl>
          <Row label={t("proposal.field.activityPlan")}>{view.activityPlan || "—"}</Row>
        </dl>
      </section>

      <ViewTable id="v-milestones-h" title={t("proposal.section.milestones")} columns={[[t("proposal.field.milestone.title"), "pr-2"], [t("proposal.field.milestone.dueOn"), "pr-2"], t("proposal.field.milestone.deliverable")]}>
        {view.milestones.map((m, i) => (
          <tr key={i} className="border-t border-slate-100">
            <td className="py-1 pr-2">{m.title}</td>
            <td className="py-1 pr-2 tabular-nums">{m.dueOn ?? "—"}</td>
            <td className="py-1">{m.deliverable}</td>
          </tr>
        ))}
      </ViewTable>

      <ViewTable
        id="v-budget-h"
        title={t("proposal.section.budget")}
        columns={[
          [t("proposal.field.line.category"), "pr-2"],
          [t("proposal.field.line.item"), "pr-2"],
          [t("proposal.field.line.quantity"), "pr-2 text-right"],
          [t("proposal.field.line.unitPrice"), "pr-2 text-right"],
          [t("proposal.field.line.total"), "text-right"],
        ]}
        foot={
          <tr className="border-t-2 border-slate-300 font-semibold">
            <td colSpan={4} className="py-1 pr-2">
              {t("proposal.total")}（{t("proposal.labourShareValue", { share: view.totals.labourPercent, cap: p.round.labourCapPercent })}）
            </td>
            <td className="py-1 text-right tabular-nums">{formatFen(view.totals.totalFen)}</td>
          </tr>
        }
      >
        {view.budgetLines.map((l, i) => (
          <tr key={i} className="border-t border-slate-100">
            <td className="py-1 pr-2">{budgetCategoryName(l.category, locale)}</td>
            <td className="py-1 pr-2">{l.item}</td>
            <td className="py-1 pr-2 text-right tabular-nums">{l.quantity}</td>
            <td className="py-1 pr-2 text-right tabular-nums">{formatFen(l.unitPriceFen)}</td>
            <td className="py-1 text-right tabular-nums">{formatFen(l.totalFen)}</td>
          </tr>
        ))}
      </ViewTable>

      <Section id="v-team-h" title={t("proposal.section.team")} size="lg" className="rounded-lg bg-white p-5 shadow-sm">
        <ul className="mt-2 space-y-1 text-sm">
          {view.team.map((m, i) => (
            <li key={i}>
              <span className="font-medium">{m.name}</span>
              {m.role ? ` · ${m.role}` : ""}
              {m.experience ? <span className="text-slate-600"> — {m.experience}</span> : null}
            </li>
          ))}
        </ul>
      </Section>

      <Section id="v-attachments-h" title={t("proposal.section.attachments")} size="lg" className="rounded-lg bg-white p-5 shadow-sm">
        {p.attachments.length ? (
          <ul className="mt-2 space-y-1 text-sm">
            {p.attachments.map((a) => (
              <li key={a.id}>
                <a href={`/proposals/${p.id}/attachments/${a.id}`} className="text-brand-700 underline">
                  {a.label ? `${a.label}（${a.name}）` : a.name}
                </a>
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-2 text-sm text-slate-600">{t("proposal.attachment.none")}</p>
        )}
      </Section>

      {p.snapshotSha256 ? (
        <>
          <p className="text-sm">
            <a href={`/proposals/${p.id}/proposal.pdf`} className="font-medium text-brand-700 underline" download data-testid="proposal-pdf">{t("doc.proposal.download")}</a>
          </p>
          <p className="break-all text-xs text-slate-500">{t("proposal.snapshotHash", { hash: p.snapshotSha256 })}</p>
        </>
      ) : null}

      {p.canWithdraw ? (
        <ConfirmAction label={t("proposal.withdraw")} question={t("proposal.withdraw.question")} confirmLabel={t("proposal.withdraw.confirm")} intent="withdraw" />
      ) : null}
      <p>
        <TextLink to="/proposals" className="text-sm">{t("proposal.backToList")}</TextLink>
      </p>
    </div>
  );
}
