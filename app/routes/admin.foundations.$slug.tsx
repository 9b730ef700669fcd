import { Form, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/admin.foundations.$slug";
import { DonationStatusBadge } from "~/components/donation-form";
import { ConfirmSubmit, ErrorList, getFormProps, inputClass, replyFor, SubmitButton, useZodForm } from "~/components/form";
import { ButtonLink, Done, EmptyState, ScrollArea, ExportLinks, Fact, NumberedPager, PageTitle, PerPage, Section, Stat, TableHead, TextLink } from "~/components/ui";
import { FilterActions, FilterBar, FilterInput, FilterSelect, KeepParam } from "~/components/ui/filters";
import { formatFen } from "~/domain/money";
import { postingAmount, postingMessage } from "~/domain/posting-limits";
import { formatDateTime, formatNumber, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { requireViewer } from "~/lib/session.server";
import { DONATION_STATUSES, MANAGER_PAGE_SIZES } from "~/domain/donations";
import { managerCampaigns, managerDonations, monthlyGiftCounts, parseManagerFilters } from "~/services/giving/foundation-pages.server";
import { requireFoundationManager } from "~/services/giving/access.server";
import { topUpCampaign } from "~/services/giving/manage.server";
import { closeCampaign, reviewCloseCampaign } from "~/services/giving/campaign-close.server";

const REQUEST_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A sponsor's top-up of one campaign's pool (one form per campaign); the request key makes a resubmission post once. */
const TopUpFields = z.object({
  campaign: z.string({ error: "validation.invalid" }).min(1, "validation.invalid"),
  amount: z
    .string({ error: "posting.amount.required" })
    .trim()
    .superRefine((value, ctx) => {
      const amount = postingAmount(value);
      if (!amount.ok) ctx.addIssue({ code: "custom", message: postingMessage(amount.problem) });
    }),
  requestKey: z.string({ error: "validation.invalid" }).regex(REQUEST_KEY, "validation.invalid"),
});

/**
 * Two steps over the same fields: "topupReview" checks the amount and asks for the confirmation
 * (nothing is written); "topup" — the confirmation's button — books it.
 */
/**
 * Ending a campaign early, in two steps too: "closeReview" reads what is left in the pool and asks
 * for the confirmation; "close" ends it and gives the pool back (campaign-close.server.ts).
 */
const CloseFields = z.object({ campaign: z.string({ error: "validation.invalid" }).min(1, "validation.invalid") });

const Intents = z.discriminatedUnion("intent", [
  TopUpFields.extend({ intent: z.literal("topupReview") }),
  TopUpFields.extend({ intent: z.literal("topup") }),
  CloseFields.extend({ intent: z.literal("closeReview") }),
  CloseFields.extend({ intent: z.literal("close") }),
]);

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const foundation = await requireFoundationManager(viewer, params.slug);
  const url = new URL(request.url);
  const filters = parseManagerFilters(url.searchParams);
  const [list, campaigns, monthly] = await Promise.all([managerDonations(foundation.id, filters), managerCampaigns(foundation.id), monthlyGiftCounts(foundation.id)]);
  const done = url.searchParams.get("done");
  return {
    foundation: { slug: foundation.slug, nameZh: foundation.nameZh, nameEn: foundation.nameEn },
    filters,
    list,
    campaigns,
    monthly,
    /** one per page view: a form resubmitted (back button, double click) tops up once */
    requestKey: globalThis.crypto.randomUUID(),
    done: done === "topup" ? "foundationAdmin.topup.done" : done === "close" ? "campaign.close.done" : null,
  };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  await requireFoundationManager(viewer, params.slug);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission, { confirm: null, closeConfirm: null });
  const v = submission.value;
  switch (v.intent) {
    case "topupReview": {
      const amount = postingAmount(v.amount);
      return { intent: v.intent, result: submission.reply(), confirm: amount.ok ? { campaign: v.campaign, amount: v.amount, amountFen: amount.fen } : null, closeConfirm: null };
    }
    case "closeReview": {
      const r = await reviewCloseCampaign(viewer, params.slug, v.campaign);
      if (!r.ok) return problemReply(submission, r.problem, { confirm: null, closeConfirm: null });
      return { intent: v.intent, result: submission.reply(), confirm: null, closeConfirm: { campaign: v.campaign, leftFen: r.leftFen } };
    }
    case "close": {
      const r = await closeCampaign(viewer, params.slug, v.campaign);
      if (r.ok) return redirect(`/admin/foundations/${encodeURIComponent(params.slug)}?done=close`);
      return problemReply(submission, r.problem, { confirm: null, closeConfirm: null });
    }
    case "topup": {
      const r = await topUpCampaign(viewer, params.slug, v.campaign, v.amount, v.requestKey);
      if (r.ok) return redirect(`/admin/foundations/${encodeURIComponent(params.slug)}?done=topup`);
      return problemReply(submission, r.problem, { confirm: null, closeConfirm: null });
    }
  }
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "foundationAdmin.title");

const th = "px-3 py-2 font-medium whitespace-nowrap";
const td = "px-3 py-2";
const num = "px-3 py-2 text-right tabular-nums whitespace-nowrap";

export default function FoundationAdmin({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { foundation, filters, list, campaigns, monthly, requestKey } = loaderData;
  const base = `/admin/foundations/${foundation.slug}`;
  return (
    <div className="space-y-8">
      <PageTitle sub={localName(locale, foundation)}>{t("foundationAdmin.title")}</PageTitle>
      <Done message={loaderData.done} />

      <Section id="overview-h" title={t("foundationAdmin.overview")} size="hidden" className="grid gap-4 sm:grid-cols-3">
        <div className="rounded-lg bg-white p-4 shadow-sm">
          <p className="text-sm text-slate-600">{t("foundationAdmin.monthly.active")}</p>
          <p className="text-2xl font-semibold tabular-nums" data-testid="monthly-active">
            {formatNumber(locale, monthly.active)}
          </p>
          <p className="text-xs text-slate-600">{t("foundationAdmin.monthly.other", { canceled: monthly.canceled, pending: monthly.pending })}</p>
        </div>
        <div className="rounded-lg bg-white p-4 shadow-sm sm:col-span-2">
          <p className="text-sm text-slate-600">{t("foundationAdmin.campaigns.count", { count: campaigns.length })}</p>
          <ButtonLink to={`${base}/campaigns/new`} className="mt-2 inline-block text-sm">{t("foundationAdmin.campaigns.new")}</ButtonLink>
        </div>
      </Section>

      <Section id="donations-h" title={t("foundationAdmin.donations.title")}>
        <FilterBar label={t("foundationAdmin.filter.label")} idPrefix="filter" values={filters} className="grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-5">
          <FilterSelect name="status" label={t("foundationAdmin.filter.status")} allLabel={t("foundationAdmin.filter.allStatuses")} options={DONATION_STATUSES.map((s) => ({ value: s, label: t(`foundationAdmin.status.${s}`) }))} />
          <FilterInput name="from" type="date" label={t("foundationAdmin.filter.from")} />
          <FilterInput name="to" type="date" label={t("foundationAdmin.filter.to")} />
          <FilterInput name="q" label={t("foundationAdmin.filter.q")} hint={t("foundationAdmin.filter.qHint")} />
          <FilterActions apply={t("foundationAdmin.filter.apply")} clear={t("foundationAdmin.filter.clear")} clearTo={base} className="flex items-end gap-3">
            <KeepParam name="per" value={filters.per !== MANAGER_PAGE_SIZES[0] ? filters.per : null} />
          </FilterActions>
        </FilterBar>

        <dl className="grid grid-cols-2 gap-3 rounded-lg bg-white p-4 text-sm shadow-sm sm:grid-cols-5" data-testid="donation-totals">
          <Stat size="lg" label={t("foundationAdmin.totals.count")} value={formatNumber(locale, list.totals.count)} />
          {(
            [
              ["amount", list.totals.amountFen],
              ["refunded", list.totals.refundedFen],
              ["net", list.totals.amountFen - list.totals.refundedFen],
              ["matched", list.totals.matchedFen],
            ] as const
          ).map(([k, fen]) => (
            <Stat key={k} size="lg" label={t(`foundationAdmin.totals.${k}`)} value={formatFen(fen)} />
          ))}
        </dl>
        <p className="text-xs text-slate-600">
          {t("foundationAdmin.totals.hint")} <span data-testid="donations-listed">{t("foundationAdmin.totals.listed", { count: formatNumber(locale, list.listed) })}</span>
        </p>
        <ExportLinks dataset="donations" extra={{ foundation: foundation.slug }} />

        {list.items.length === 0 ? (
          <EmptyState title={t("foundationAdmin.donations.empty")} />
        ) : (
          <ScrollArea className="rounded-lg bg-white shadow-sm">
            <table className="w-full text-left text-sm" data-testid="donations">
              <TableHead
                cellClassName={th}
                columns={[
                  ...(["ref", "date", "donor"] as const).map((k) => t(`foundationAdmin.col.${k}`)),
                  ...(["amount", "refunded", "matched"] as const).map((k) => [t(`foundationAdmin.col.${k}`), "text-right"] as const),
                  ...(["status", "receipt"] as const).map((k) => t(`foundationAdmin.col.${k}`)),
                ]}
              />
              <tbody className="divide-y divide-slate-100">
                {list.items.map((d) => (
                  <tr key={d.ref} data-testid="donation-row">
                    <td className={`${td} whitespace-nowrap`}>
                      <TextLink to={`${base}/donations/${encodeURIComponent(d.ref)}`} className="font-mono">{d.ref}</TextLink>
                    </td>
                    <td className={`${td} whitespace-nowrap tabular-nums`}>{formatDateTime(locale, d.paidAt ?? d.createdAt)}</td>
                    <td className={td}>
                      {d.donorName ?? <span className="text-slate-500">—</span>}
                      {d.anonymous ? <span className="ml-1 rounded bg-slate-100 px-1 text-xs text-slate-700">{t("foundationAdmin.anonymous")}</span> : null}
                      {d.monthly ? <span className="ml-1 rounded bg-sky-100 px-1 text-xs text-sky-900">{t("givingPublic.donors.monthly")}</span> : null}
                      <span className="block text-xs text-slate-600">{t(`donation.method.${d.method}`)}</span>
                    </td>
                    <td className={num}>{formatFen(d.amountFen)}</td>
                    <td className={num}>{d.refundedFen ? formatFen(d.refundedFen) : "—"}</td>
                    <td className={num}>{d.matchedFen ? formatFen(d.matchedFen) : "—"}</td>
                    <td className={td}>
                      <DonationStatusBadge status={d.status} manager />
                    </td>
                    <td className={`${td} whitespace-nowrap font-mono text-xs`}>{d.receiptNo ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
        )}
        <div className="flex flex-wrap items-center justify-between gap-2">
          {list.listed > MANAGER_PAGE_SIZES[0] ? <PerPage per={list.per} sizes={MANAGER_PAGE_SIZES} /> : <span />}
        </div>
        <NumberedPager pager={list.pager} />
      </Section>

      <section aria-labelledby="campaigns-h" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="campaigns-h" className="text-xl font-semibold">
            {t("foundationAdmin.campaigns.title")}
          </h2>
          <TextLink to={`${base}/campaigns/new`} className="text-sm">{t("foundationAdmin.campaigns.new")}</TextLink>
        </div>
        {campaigns.length === 0 ? (
          <EmptyState title={t("foundationAdmin.campaigns.empty")} />
        ) : (
          <ul className="space-y-3" data-testid="manager-campaigns">
            {campaigns.map((c) => {
              return (
                <li key={c.slug} className="space-y-3 rounded-lg bg-white p-4 shadow-sm">
                  <p className="flex flex-wrap items-center gap-2">
                    <span className="rounded bg-slate-100 px-2 py-0.5 text-xs font-medium">{t(`givingPublic.phase.${c.phase}`)}</span>
                    <TextLink to={`/campaigns/${c.slug}`} className="font-semibold">{locale === "en" ? c.titleEn : c.titleZh}</TextLink>
                    <span className="text-sm text-slate-600">
                      {t("givingPublic.campaign.sponsorRatio", { sponsor: c.sponsorName, ratio: `${c.ratioSponsor}:${c.ratioDonor}` })} · {formatDateTime(locale, c.startsAt, false)} – {formatDateTime(locale, c.endsAt, false)}
                    </span>
                  </p>
                  <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
                    <Fact label={t("campaignPage.money.raised")} valueClassName="font-medium tabular-nums">{formatFen(c.money.raisedFen)}</Fact>
                    <Fact label={t("campaignPage.money.matched")} valueClassName="font-medium tabular-nums">{formatFen(c.money.matchedFen)}</Fact>
                    <Fact label={t("campaignPage.money.remaining")} valueClassName="font-medium tabular-nums" testId="campaign-remaining">
                      {formatFen(c.money.remainingFen)}
                    </Fact>
                    <Fact label={t("campaignPage.terms.pool")} valueClassName="font-medium tabular-nums">{formatFen(c.money.fundedFen)}</Fact>
                  </dl>
                  {c.closedAt ? (
                    <p className="text-sm text-slate-700" data-testid="campaign-closed">
                      {c.returnedFen
                        ? t("campaign.closed.note", { amount: formatFen(c.returnedFen), to: t("giving.campaign.sponsorBack", { sponsor: c.sponsorName }) })
                        : t("campaign.closed.noneLeft")}
                    </p>
                  ) : (
                    <>
                      <TopUpForm campaign={c.slug} requestKey={requestKey} actionData={actionData} />
                      <CloseForm campaign={c.slug} title={locale === "en" ? c.titleEn : c.titleZh} sponsor={c.sponsorName} actionData={actionData} />
                    </>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}

/**
 * The top-up form of one campaign: "追加" reviews the amount, then the confirmation under it books
 * it (review's button comes first, so Enter in the field never books). A failed top-up keeps its
 * amount and shows its error under its own campaign only.
 */
function TopUpForm({ campaign, requestKey, actionData }: { campaign: string; requestKey: string; actionData: unknown }) {
  const t = useT();
  const reply = replyFor(actionData, "topupReview") ?? replyFor(actionData, "topup");
  const mine = reply?.initialValue?.campaign === campaign ? reply : undefined;
  const answer = actionData as { confirm?: { campaign: string; amountFen: number } | null } | undefined;
  const confirm = answer?.confirm?.campaign === campaign ? answer.confirm : null;
  const [form, fields] = useZodForm(TopUpFields, mine, { id: `topup-${campaign}` });
  const id = `topup-${campaign}`;
  const errors = [...(form.errors ?? []), ...(fields.amount.errors ?? []), ...(fields.requestKey.errors ?? [])];
  return (
    <Form method="post" {...getFormProps(form)} className="flex flex-wrap items-end gap-3">
      <input type="hidden" name="campaign" value={campaign} />
      <input type="hidden" name="requestKey" value={requestKey} />
      <div>
        <label htmlFor={id} className="block text-sm font-medium text-slate-800">
          {t("foundationAdmin.topup.amount")}
        </label>
        <input
          id={id}
          name="amount"
          inputMode="decimal"
          required
          key={fields.amount.key}
          defaultValue={fields.amount.initialValue ?? ""}
          aria-invalid={errors.length ? true : undefined}
          aria-describedby={`${id}-e`}
          className={`${inputClass} sm:w-48`}
        />
      </div>
      <SubmitButton name="intent" value="topupReview">
        {t("foundationAdmin.topup.submit")}
      </SubmitButton>
      <div className="w-full">
        <ErrorList id={`${id}-e`} errors={errors.length ? errors : undefined} />
      </div>
      {confirm ? (
        <ConfirmSubmit label={t("foundationAdmin.topup.confirmLabel", { amount: formatFen(confirm.amountFen) })} question={t("foundationAdmin.topup.question")} confirm={t("foundationAdmin.topup.confirm")} intent="topup" open className="w-full" />
      ) : null}
    </Form>
  );
}

/** Ending one campaign before its end: the first button asks what is left, the confirmation under it ends the campaign and gives the pool back. */
function CloseForm({ campaign, title, sponsor, actionData }: { campaign: string; title: string; sponsor: string; actionData: unknown }) {
  const t = useT();
  const answer = actionData as { closeConfirm?: { campaign: string; leftFen: number } | null; intent?: string } | undefined;
  const confirm = answer?.closeConfirm?.campaign === campaign ? answer.closeConfirm : null;
  const reply = replyFor(actionData, "closeReview") ?? replyFor(actionData, "close");
  const mine = reply?.initialValue?.campaign === campaign ? reply : undefined;
  const [form] = useZodForm(CloseFields, mine, { id: `close-${campaign}` });
  const to = t("giving.campaign.sponsorBack", { sponsor });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-2 border-t border-slate-200 pt-3" aria-label={t("campaign.close.title")}>
      <input type="hidden" name="campaign" value={campaign} />
      <p className="text-sm text-slate-700">{t("campaign.close.hint", { to })}</p>
      <ErrorList id={`close-${campaign}-e`} errors={form.errors?.length ? form.errors : undefined} />
      {confirm ? (
        <ConfirmSubmit
          label={t("campaign.close.title")}
          question={t("campaign.close.confirmQuestion", { title, amount: formatFen(confirm.leftFen) })}
          confirm={t("campaign.close.confirm")}
          intent="close"
          open
          className="w-full"
        />
      ) : (
        <SubmitButton name="intent" value="closeReview" className="rounded border border-red-800 px-4 py-2 font-medium text-red-800 hover:bg-red-50">
          {t("campaign.close.review")}
        </SubmitButton>
      )}
    </Form>
  );
}
