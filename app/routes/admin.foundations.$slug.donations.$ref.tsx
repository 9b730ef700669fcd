import { Form, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/admin.foundations.$slug.donations.$ref";
import { DonationStatusBadge } from "~/components/donation-form";
import { useKindLabel } from "~/components/giving-public";
import { FormErrors, getFormProps, replyFor, SubmitButton, TextareaField, TextField, useZodForm } from "~/components/form";
import { cell, DataTable, Done, EmptyState, Fact, PageTitle, Section, TextLink } from "~/components/ui";
import { RefundFormSchema } from "~/domain/donations";
import { accountNameIn, memoIn } from "~/domain/ledger";
import { fenToInput, formatFen } from "~/domain/money";
import { receivedText, refundFailureKey } from "~/domain/payment-facts";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { notFound } from "~/lib/permissions.server";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { requireViewer } from "~/lib/session.server";
import { paymentsMode } from "~/lib/stripe.server";
import { managerDonationDetail } from "~/services/giving/foundation-pages.server";
import { requireFoundationManager } from "~/services/giving/access.server";
import { requestRefund, reviewRefund } from "~/services/giving/manage.server";

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const foundation = await requireFoundationManager(viewer, params.slug);
  const detail = await managerDonationDetail(foundation.id, params.ref);
  if (!detail) notFound();
  const done = new URL(request.url).searchParams.get("done") === "refund";
  return {
    foundation: { slug: foundation.slug, nameZh: foundation.nameZh, nameEn: foundation.nameEn },
    ...detail,
    demo: paymentsMode() === "demo",
    done,
  };
}

/**
 * Two steps over the same fields: "review" checks the amount and reason and asks for
 * confirmation (nothing is sent); "refund" — the confirmation's button — asks the payment
 * provider for the refund.
 */
const Intents = z.discriminatedUnion("intent", [
  RefundFormSchema.extend({ intent: z.literal("review") }),
  RefundFormSchema.extend({ intent: z.literal("refund") }),
]);

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  await requireFoundationManager(viewer, params.slug);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission, { confirm: null });
  const v = submission.value;
  switch (v.intent) {
    case "review": {
      const r = await reviewRefund(viewer, params.slug, params.ref, v);
      if (!r.ok) return problemReply(submission, r.problem, { confirm: null });
      return { intent: v.intent, result: submission.reply(), confirm: { amount: v.amount, amountFen: r.amountFen, reason: v.reason } };
    }
    case "refund": {
      const r = await requestRefund(viewer, params.slug, params.ref, v);
      if (r.ok) return redirect(`/admin/foundations/${encodeURIComponent(params.slug)}/donations/${encodeURIComponent(params.ref)}?done=refund`);
      return problemReply(submission, r.problem, { confirm: null });
    }
  }
}

export const meta: Route.MetaFunction = ({ matches, params }) => pageMeta(matches, "foundationAdmin.detail.title", { ref: params.ref });

const card = "rounded-lg bg-white p-4 shadow-sm sm:p-5";

function RefundForm({ leftFen, lastResult, confirm }: { leftFen: number; lastResult: Parameters<typeof useZodForm>[1]; confirm: { amount: string; amountFen: number; reason: string } | null }) {
  const t = useT();
  const [form, fields] = useZodForm(RefundFormSchema, lastResult, { id: "refund", defaultValue: { amount: fenToInput(leftFen), reason: "" } });
  return (
    <div className="space-y-4">
      {confirm ? (
        <div role="alert" className="space-y-3 rounded border border-red-300 bg-red-50 p-4" data-testid="refund-confirm">
          <p className="font-medium text-red-900">{t("foundationAdmin.refund.confirmQuestion", { amount: formatFen(confirm.amountFen) })}</p>
          <p className="text-sm">{t("foundationAdmin.refund.confirmReason", { reason: confirm.reason })}</p>
          <p className="text-sm text-slate-700">{t("foundationAdmin.refund.confirmHint")}</p>
          <Form method="post" className="flex flex-wrap items-center gap-3">
            <input type="hidden" name="amount" value={confirm.amount} />
            <input type="hidden" name="reason" value={confirm.reason} />
            <SubmitButton name="intent" value="refund" className="rounded bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900 disabled:opacity-60">
              {t("foundationAdmin.refund.confirm")}
            </SubmitButton>
            <a href={`#${fields.amount.id}`} className="text-sm text-slate-700 underline">
              {t("foundationAdmin.refund.change")}
            </a>
          </Form>
        </div>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <FormErrors form={form} />
        <TextField
          meta={fields.amount}
          label={t("foundationAdmin.refund.amount")}
          hint={t("foundationAdmin.refund.amountHint", { left: formatFen(leftFen) })}
          inputProps={{ inputMode: "decimal" }}
        />
        <TextareaField meta={fields.reason} label={t("foundationAdmin.refund.reason")} rows={2} />
        <SubmitButton name="intent" value="review">
          {t("foundationAdmin.refund.review")}
        </SubmitButton>
      </Form>
    </div>
  );
}

export default function DonationDetail({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const kindLabel = useKindLabel();
  const { donation: d, events, postings, matches, refunds, leftFen, refundable, disputes } = loaderData;
  const earmark = d.project ? `${d.project.referenceNo} ${d.project.title}` : d.round ? d.round.title : null;
  return (
    <div className="space-y-8">
      <PageTitle sub={d.receiptNo ? t("foundationAdmin.detail.receipt", { receiptNo: d.receiptNo }) : undefined}>
        {t("foundationAdmin.detail.title", { ref: d.ref })} <DonationStatusBadge status={d.status} manager />
      </PageTitle>
      {d.received ? (
        <section aria-labelledby="held-h" className="rounded-lg border border-amber-300 bg-amber-50 p-4 sm:p-5" data-testid="payment-held">
          <h2 id="held-h" className="mb-2 text-lg font-semibold text-amber-900">
            {t("foundationAdmin.held.title")}
          </h2>
          <p className="text-sm">
            {t(d.status === "HELD" ? "foundationAdmin.held.body" : "foundationAdmin.held.bookedBody", { expected: formatFen(d.amountFen), received: receivedText(d.received) })}
          </p>
        </section>
      ) : null}
      {disputes.length || d.disputeLost ? (
        <section aria-labelledby="dispute-h" className="space-y-2 rounded-lg border border-red-300 bg-red-50 p-4 sm:p-5" data-testid="dispute">
          <h2 id="dispute-h" className="text-lg font-semibold text-red-900">
            {t("foundationAdmin.dispute.title")}
          </h2>
          {d.disputeLost ? (
            <p className="text-sm" data-testid="dispute-lost">{t("foundationAdmin.dispute.lost", { amount: formatFen(d.amountFen) })}</p>
          ) : d.status === "DISPUTED" ? (
            disputes.map((x) => (
              <p key={x.id} className="text-sm" data-testid="dispute-open">
                {t("foundationAdmin.dispute.open", {
                  amount: formatFen(x.amountFen),
                  reason: x.reason ?? t("foundationAdmin.dispute.noReason"),
                  dueBy: x.dueBy ? formatDateTime(locale, x.dueBy) : t("giving.notice.noDeadline"),
                })}
              </p>
            ))
          ) : (
            <p className="text-sm">{t("foundationAdmin.dispute.won")}</p>
          )}
        </section>
      ) : null}
      {loaderData.done ? (
        <div>
          <Done message="foundationAdmin.refund.done" />
          {loaderData.demo ? <p className="mt-2 text-sm text-slate-700">{t("foundationAdmin.refund.doneDemo")}</p> : null}
        </div>
      ) : null}

      <div className="grid gap-4 md:grid-cols-2">
        <Section id="donor-h" title={t("foundationAdmin.detail.donor")} size="lg" headingClassName="mb-3" className={card}>
          <dl className="space-y-2 text-sm">
            <Fact layout="row" label={t("foundationAdmin.detail.name")}>
              {d.donorName ?? "—"}
              {d.anonymous ? <span className="ml-1 rounded bg-slate-100 px-1 text-xs">{t("foundationAdmin.anonymous")}</span> : null}
            </Fact>
            <Fact layout="row" label={t("foundationAdmin.detail.email")} valueClassName="break-all" testId="donor-email">
              {d.email}
            </Fact>
            <Fact label={t("foundationAdmin.detail.message")} valueClassName="whitespace-pre-line break-words">{d.message || "—"}</Fact>
          </dl>
        </Section>
        <Section id="gift-h" title={t("foundationAdmin.detail.gift")} size="lg" headingClassName="mb-3" className={card}>
          <dl className="space-y-2 text-sm">
            <Fact layout="row" label={t("foundationAdmin.col.amount")} valueClassName="font-semibold tabular-nums">
              {formatFen(d.amountFen)}
            </Fact>
            <Fact layout="row" label={t("foundationAdmin.col.refunded")} valueClassName="tabular-nums" testId="refunded">
              {formatFen(d.refundedFen)}
            </Fact>
            <Fact layout="row" label={t("foundationAdmin.detail.method")}>
              {t(`donation.method.${d.method}`)}
              {d.monthly ? ` · ${t("givingPublic.donors.monthly")}` : ""}
            </Fact>
            <Fact layout="row" label={t("foundationAdmin.detail.started")} valueClassName="tabular-nums">
              {formatDateTime(locale, d.createdAt)}
            </Fact>
            <Fact layout="row" label={t("foundationAdmin.detail.paid")} valueClassName="tabular-nums">
              {d.paidAt ? formatDateTime(locale, d.paidAt) : "—"}
            </Fact>
            <Fact layout="row" label={t("foundationAdmin.detail.purpose")}>
              {earmark ?? t("foundationAdmin.detail.general")}
            </Fact>
            {d.campaign ? (
              <Fact layout="row" label={t("foundationAdmin.detail.campaign")}>
                <TextLink to={`/campaigns/${d.campaign.slug}`}>{locale === "en" ? d.campaign.titleEn : d.campaign.titleZh}</TextLink>
              </Fact>
            ) : null}
          </dl>
        </Section>
      </div>

      <Section id="refund-h" title={t("foundationAdmin.refund.title")} size="lg" headingClassName="mb-3" className={card}>
        {refundable ? (
          <RefundForm leftFen={leftFen} lastResult={replyFor(actionData, "review") ?? replyFor(actionData, "refund")} confirm={actionData?.confirm ?? null} />
        ) : (
          <p className="text-sm text-slate-700">{t(d.status === "SUCCEEDED" || d.status === "PARTIALLY_REFUNDED" ? "foundationAdmin.refund.nothingLeft" : "foundationAdmin.refund.notPaid")}</p>
        )}
        <h3 className="mt-6 mb-2 font-semibold">{t("foundationAdmin.refunds.title")}</h3>
        <DataTable
          testId="refund-requests"
          headers={[
            t("foundationAdmin.col.date"),
            t("foundationAdmin.col.amount"),
            t("foundationAdmin.refunds.origin"),
            t("foundationAdmin.refunds.by"),
            t("foundationAdmin.refund.reason"),
            t("foundationAdmin.refunds.status"),
          ]}
          empty={refunds.length === 0 && <p className="text-sm text-slate-600">{t("foundationAdmin.refunds.empty")}</p>}
        >
          {refunds.map((r) => (
            <tr key={r.id}>
              <td className={`${cell} whitespace-nowrap tabular-nums`}>{formatDateTime(locale, r.createdAt)}</td>
              <td className={`${cell} text-right tabular-nums whitespace-nowrap`}>{formatFen(r.amountFen)}</td>
              <td className={cell}>{t(`foundationAdmin.refunds.origin.${r.origin}`)}</td>
              <td className={cell}>{r.by ?? "—"}</td>
              <td className={`${cell} break-words`}>{r.reason}</td>
              <td className={cell} data-testid="refund-status">
                {t(`foundationAdmin.refunds.status.${r.status}`)}
                {r.status === "FAILED" ? (
                  <div className="mt-1 space-y-1 text-sm">
                    <p>
                      {t("foundationAdmin.refunds.failed", {
                        amount: formatFen(r.amountFen),
                        reason: t(refundFailureKey(r.failureReason)),
                      })}
                    </p>
                    {refundable ? (
                      // a retry is a new request: it goes through the same review and confirmation
                      <Form method="post">
                        <input type="hidden" name="amount" value={fenToInput(Math.min(r.amountFen, leftFen))} />
                        <input type="hidden" name="reason" value={r.reason} />
                        <SubmitButton name="intent" value="review" className="rounded border border-brand-700 px-3 py-1 text-sm font-medium text-brand-800">
                          {t("foundationAdmin.refunds.retry", { amount: formatFen(Math.min(r.amountFen, leftFen)) })}
                        </SubmitButton>
                      </Form>
                    ) : null}
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      </Section>

      <Section id="matches-h" title={t("foundationAdmin.matches.title")} size="lg" headingClassName="mb-3" className={card} empty={matches.length === 0 && t("foundationAdmin.matches.empty")}>
        <ul className="space-y-1 text-sm" data-testid="matches">
          {matches.map((m) => (
            <li key={m.campaign.slug}>
              <TextLink to={`/campaigns/${m.campaign.slug}`}>
                {locale === "en" ? m.campaign.titleEn : m.campaign.titleZh}
              </TextLink>{" "}
              ({m.campaign.sponsorName}) —{" "}
              {t("foundationAdmin.matches.line", { matched: formatFen(m.matchedFen), returned: formatFen(m.returnedFen) })}
              {m.partial ? ` · ${t("foundationAdmin.matches.partial")}` : ""}
            </li>
          ))}
        </ul>
      </Section>

      <Section id="events-h" title={t("foundationAdmin.events.title")} size="lg" headingClassName="mb-3" className={card}>
        <DataTable
          testId="payment-events"
          headers={[t("foundationAdmin.events.at"), t("foundationAdmin.events.type"), t("foundationAdmin.events.outcome")]}
          empty={events.length === 0 && <EmptyState title={t("foundationAdmin.events.empty")} />}
        >
          {events.map((e) => (
            <tr key={e.id}>
              <td className={`${cell} whitespace-nowrap tabular-nums`}>{formatDateTime(locale, e.stripeCreatedAt)}</td>
              <td className={`${cell} font-mono text-xs`}>{e.type}</td>
              <td className={`${cell} font-mono text-xs`}>{e.outcome}</td>
            </tr>
          ))}
        </DataTable>
      </Section>

      <Section id="postings-h" title={t("foundationAdmin.postings.title")} size="lg" headingClassName="mb-3" className={card} empty={postings.length === 0 && t("foundationAdmin.postings.empty")}>
        <ul className="space-y-3 text-sm" data-testid="postings">
          {postings.map((p) => (
            <li key={p.id} className="rounded border border-slate-200 p-3">
              <p>
                <span className="mr-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs">{kindLabel(p.kind)}</span>{" "}
                <span className="tabular-nums">{formatDateTime(locale, p.occurredAt)}</span> · <span data-testid="posting-memo">{memoIn(p.memo, locale)}</span>
              </p>
              <table className="mt-2 w-full">
                <caption className="sr-only">{t("foundationAdmin.postings.entries")}</caption>
                <tbody>
                  {p.entries.map((e) => (
                    <tr key={e.code}>
                      <td className="py-0.5 pr-2">
                        {localName(locale, e)} <span className="text-xs text-slate-600">{accountNameIn(e.code, locale)}</span>
                      </td>
                      <td className={`py-0.5 text-right tabular-nums ${e.amountFen < 0 ? "text-red-800" : "text-emerald-800"}`}>{formatFen(e.amountFen)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </li>
          ))}
        </ul>
      </Section>
    </div>
  );
}
