import { data, Form, Link, redirect, useSearchParams } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/giving.monthly.$token";
import { DemoPaymentsBanner, DonationStatusBadge, useAutoRevalidate } from "~/components/donation-form";
import { replyFor, SubmitButton } from "~/components/form";
import { ConfirmAction, EmptyState, Fact, PageTitle, Section, TextLink } from "~/components/ui";
import { publicDonorName } from "~/domain/donations";
import { formatFen } from "~/domain/money";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { logger } from "~/lib/logger.server";
import { fail } from "~/lib/result";
import { localName, pageMeta } from "~/lib/names";
import { demoChargeNextMonth } from "~/services/giving/demo.server";
import { monthlyPage } from "~/services/giving/donor-pages.server";
import { cancelMonthly, customerPortalUrl } from "~/services/giving/manage.server";

export async function loader({ params }: Route.LoaderArgs) {
  // the token is the secret link of every monthly receipt: whoever holds it manages the gift
  const gift = await monthlyPage(params.token);
  if (!gift) throw data(null, { status: 404 });
  return { gift };
}

/** The buttons of the page: Stripe's customer portal, cancel, and (demo payments mode) a simulated next charge. */
const Intents = z.discriminatedUnion("intent", [z.object({ intent: z.literal("portal") }), z.object({ intent: z.literal("cancel") }), z.object({ intent: z.literal("simulate") })]);

export async function action({ params, request }: Route.ActionArgs) {
  const gift = await monthlyPage(params.token);
  if (!gift) throw data(null, { status: 404 });
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const v = submission.value;
  const done = (notice: string) => ({ intent: v.intent, result: submission.reply(), notice });
  switch (v.intent) {
    case "portal": {
      if (!gift.portal) throw data(null, { status: 400 });
      let url: string | null = null;
      try {
        url = await customerPortalUrl(params.token);
      } catch (error) {
        logger.error({ err: error }, "Stripe customer portal session could not be created");
      }
      if (!url) return data({ intent: v.intent, result: submission.reply({ formErrors: ["donor.monthly.portal.error"] }) }, { status: 502 });
      return redirect(url);
    }
    case "cancel": {
      const r = await cancelMonthly(params.token);
      if (!r.ok) return problemReply(submission, r.problem);
      // demo mode: the cancellation event has been applied already; Stripe's arrives by webhook
      return done(gift.demo ? "donor.monthly.cancel.done" : "donor.monthly.cancel.requested");
    }
    case "simulate": {
      if (!gift.demo) throw data(null, { status: 404 });
      const charged = await demoChargeNextMonth(params.token);
      return charged ? done("donor.monthly.simulate.done") : problemReply(submission, fail(409, "donor.monthly.simulate.error").problem);
    }
  }
}

export const meta: Route.MetaFunction = ({ matches }) => [...pageMeta(matches, "donor.monthly.title"), { name: "robots", content: "noindex" }];

export default function MonthlyGiftPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const [search] = useSearchParams();
  const g = loaderData.gift;
  const { stopped } = useAutoRevalidate(g.status === "PENDING");
  const foundation = localName(locale, g.foundation);
  const notice: string | undefined = actionData && "notice" in actionData ? actionData.notice : undefined;
  const intent = actionData && "intent" in actionData ? String(actionData.intent) : "";
  const problem: string | undefined = replyFor(actionData, intent)?.error?.[""]?.[0];
  const result = notice ? { ok: true, text: notice } : problem ? { ok: false, text: problem } : null;
  const canCancel = g.status !== "CANCELED" && g.started;
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      {g.demo ? <DemoPaymentsBanner /> : null}
      <PageTitle sub={t("donor.monthly.summary", { foundation, amount: formatFen(g.amountFen) })}>{t("donor.monthly.title")}</PageTitle>

      {search.get("from") === "checkout" && g.status !== "CANCELED" ? <p className="rounded border border-emerald-300 bg-emerald-50 p-3">{t("donor.monthly.thanks")}</p> : null}
      {result ? (
        <p role={result.ok ? "status" : "alert"} className={`rounded border p-3 text-sm ${result.ok ? "border-emerald-300 bg-emerald-50 text-emerald-950" : "border-red-300 bg-red-50 text-red-900"}`} data-testid="monthly-result">
          {t(result.text)}
        </p>
      ) : null}

      <section aria-live="polite" className="space-y-2 rounded-lg bg-white p-5 shadow-sm" data-testid="monthly-state">
        <p>
          <DonationStatusBadge status={g.status} monthly />
        </p>
        {g.status === "PENDING" ? (
          <p>
            {stopped ? t("donor.donation.pendingStopped") : t("donor.monthly.pending")}{" "}
            <TextLink to={`/giving/monthly/${g.token}`}>{t("donor.donation.refresh")}</TextLink>
          </p>
        ) : null}
        {g.status === "CANCELED" && g.canceledAt ? <p>{t("donor.monthly.canceledAt", { date: formatDateTime(locale, g.canceledAt, false) })}</p> : null}
        <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
          <Fact bare label={t("donor.field.foundation")}>
            <Link to={`/foundations/${g.foundation.slug}`} className="underline">{foundation}</Link>
          </Fact>
          <Fact bare label={t("donor.field.amount")} valueClassName="tabular-nums">{t("donor.mine.perMonth", { amount: formatFen(g.amountFen) })}</Fact>
          <Fact bare label={t("donor.field.method")}>{t("donation.method.card")}</Fact>
          <Fact bare label={t("donor.field.donor")}>{publicDonorName({ anonymous: g.anonymous, displayName: g.donorName }, locale)}</Fact>
          <Fact bare label={t("donor.field.email")} testId="monthly-email">{g.maskedEmail}</Fact>
          <Fact bare label={t("donor.field.date")}>{t("donor.monthly.since", { date: formatDateTime(locale, g.createdAt, false) })}</Fact>
        </dl>
      </section>

      {g.status !== "CANCELED" ? (
        <section className="flex flex-wrap items-start gap-4 rounded-lg bg-white p-5 shadow-sm">
          {g.portal ? (
            <Form method="post">
              <SubmitButton name="intent" value="portal">
                {t("donor.monthly.portal")}
              </SubmitButton>
              <p className="mt-1 text-xs text-slate-600">{t("donor.monthly.portal.hint")}</p>
            </Form>
          ) : null}
          {g.demo && g.status === "ACTIVE" ? (
            <Form method="post" className="rounded border-2 border-dashed border-amber-500 bg-amber-50 p-3">
              <SubmitButton name="intent" value="simulate" className="rounded bg-amber-700 px-4 py-2 font-medium text-white hover:bg-amber-800 disabled:opacity-60">
                {t("donor.monthly.simulate")}
              </SubmitButton>
              <p className="mt-1 max-w-xs text-xs text-amber-950">{t("donor.monthly.simulate.hint")}</p>
            </Form>
          ) : null}
          {canCancel ? (
            <ConfirmAction label={t("donor.monthly.cancel")} question={t("donor.monthly.cancel.question")} confirmLabel={t("donor.monthly.cancel.confirm")} intent="cancel" />
          ) : null}
        </section>
      ) : null}

      <Section id="charges-h" title={t("donor.monthly.charges")}>
        {g.donations.length === 0 ? (
          <EmptyState title={t("donor.monthly.charges.empty")} />
        ) : (
          <ul className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm">
            {g.donations.map((d) => (
              <li key={d.ref} className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3 text-sm">
                <span className="tabular-nums text-slate-700">{d.paidAt ? formatDateTime(locale, d.paidAt, false) : "—"}</span>
                <span className="font-medium tabular-nums">{formatFen(d.amountFen)}</span>
                <DonationStatusBadge status={d.status} />
                <span className="ml-auto flex gap-3">
                  <TextLink to={`/donations/${d.token}`}>{t("donor.monthly.details")}</TextLink>
                  {d.receiptNo ? (
                    <TextLink to={`/donations/${d.token}/receipt`}>{t("donor.monthly.receipt", { receiptNo: d.receiptNo })}</TextLink>
                  ) : null}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Section>
      <p className="text-sm text-slate-600">{t("donor.monthly.secretLink")}</p>
    </div>
  );
}
