import type { ReactNode } from "react";
import { Form, Link, redirect } from "react-router";
import type { Route } from "./+types/transparency";
import { FormActions, FormErrors, getFormProps, TextField, useZodForm } from "~/components/form";
import { cell, DataTable, EmptyState, PageTitle } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { GiftLookupSchema } from "~/domain/transparency";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatNumber, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { findTraceableGift, transparencyPortal } from "~/services/public/transparency.server";

/**
 * The transparency portal (两公开): totals of every foundation from the ledger, how money flows
 * from a gift to a receipt, and the lookup of one gift. Public, without signing in.
 */
export async function loader() {
  return transparencyPortal();
}

/** The lookup form: a gift reference or a receipt number → the trace of that gift. */
export async function action({ request }: Route.ActionArgs) {
  const submission = parseForm(await readForm(request), GiftLookupSchema);
  if (submission.status !== "success") return invalidSubmission(submission);
  const found = await findTraceableGift(submission.value.ref);
  if (!found.ok) return problemReply(submission, found.problem);
  // the stored reference (letters and digits only), never what was typed
  return redirect(`/transparency/gifts/${encodeURIComponent(found.ref)}`);
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "transparency.title");

function Stat({ label, value, sub, testId }: { label: string; value: string; sub?: string; testId?: string }) {
  return (
    <div className="rounded-lg bg-white p-4 shadow-sm">
      <dt className="text-sm text-slate-600">{label}</dt>
      <dd className="mt-1 text-xl font-semibold tabular-nums" data-testid={testId}>
        {value}
        {sub ? <span className="block text-sm font-normal text-slate-600">{sub}</span> : null}
      </dd>
    </div>
  );
}

function Step({ n, title, amount, link, children }: { n: number; title: string; amount?: string; link?: { to: string; label: string }; children: ReactNode }) {
  return (
    <li className="relative rounded-lg bg-white p-4 shadow-sm">
      <h3 className="font-semibold">
        <span className="mr-2 inline-flex h-7 w-7 items-center justify-center rounded-full bg-brand-700 text-sm text-white" aria-hidden="true">
          {n}
        </span>
        {title}
      </h3>
      {amount ? <p className="mt-1 text-sm font-medium tabular-nums text-slate-800">{amount}</p> : null}
      <p className="mt-2 text-sm text-slate-700">{children}</p>
      {link ? (
        <Link to={link.to} className="mt-2 inline-block text-sm text-brand-700 underline">
          {link.label}
        </Link>
      ) : null}
    </li>
  );
}

export default function TransparencyPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { total, foundations } = loaderData;
  const [form, fields] = useZodForm(GiftLookupSchema, actionData?.result, { id: "gift-lookup" });
  const so = (fen: number) => t("transparency.flow.amount", { amount: formatFen(fen) });
  return (
    <div className="space-y-10">
      <PageTitle sub={t("transparency.subtitle")}>{t("transparency.title")}</PageTitle>

      <section aria-labelledby="lookup-h" className="rounded-lg border border-brand-100 bg-white p-4 shadow-sm sm:p-6">
        <h2 id="lookup-h" className="text-xl font-semibold">
          {t("transparency.lookup.title")}
        </h2>
        <Form method="post" {...getFormProps(form)} className="mt-3 space-y-3">
          <FormErrors form={form} />
          <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
            <TextField
              meta={fields.ref}
              label={t("transparency.lookup.label")}
              hint={t("transparency.lookup.hint")}
              className="sm:flex-1"
              inputProps={{ autoComplete: "off", autoCapitalize: "characters", spellCheck: false, placeholder: "G-7K2M9Q4T", maxLength: 40 }}
            />
            <FormActions submit={t("transparency.lookup.submit")} className="sm:pt-6" />
          </div>
        </Form>
      </section>

      <section aria-labelledby="totals-h" className="space-y-3">
        <h2 id="totals-h" className="text-xl font-semibold">
          {t("transparency.totals.title")}
        </h2>
        <p className="text-sm text-slate-600">{t("transparency.totals.note")}</p>
        <dl className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="portal-totals">
          <Stat label={t("transparency.totals.gifts")} value={formatFen(total.giftsFen)} sub={t("transparency.totals.giftsCount", { count: formatNumber(locale, total.gifts) })} testId="total-gifts" />
          <Stat label={t("transparency.totals.matched")} value={formatFen(total.matchedFen)} testId="total-matched" />
          <Stat label={t("transparency.totals.refunded")} value={formatFen(total.refundedFen)} testId="total-refunded" />
          <Stat label={t("transparency.totals.appropriations")} value={formatFen(total.appropriationsFen)} testId="total-appropriations" />
          <Stat label={t("transparency.totals.roundPools")} value={formatFen(total.roundPoolsFen)} testId="total-pools" />
          <Stat label={t("transparency.totals.committed")} value={formatFen(total.committedFen)} testId="total-committed" />
          <Stat label={t("transparency.totals.paid")} value={formatFen(total.paidFen)} testId="total-paid" />
          <Stat label={t("transparency.totals.spent")} value={formatFen(total.spentFen)} testId="total-spent" />
          <Stat label={t("transparency.totals.returned")} value={formatFen(total.returnedFen)} testId="total-returned" />
          <Stat label={t("transparency.totals.available")} value={formatFen(total.availableFen)} testId="total-available" />
          <Stat label={t("transparency.totals.earmarked")} value={formatFen(total.earmarkedFen)} testId="total-earmarked" />
        </dl>
      </section>

      <section aria-labelledby="flow-h" className="space-y-3">
        <h2 id="flow-h" className="text-xl font-semibold">
          {t("transparency.flow.title")}
        </h2>
        <p className="text-sm text-slate-700">{t("transparency.flow.intro")}</p>
        <ol className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" data-testid="money-flow">
          <Step n={1} title={t("transparency.flow.gift.title")} amount={so(total.giftsFen + total.matchedFen)} link={{ to: "/foundations", label: t("transparency.flow.gift.link") }}>
            {t("transparency.flow.gift.text")}
          </Step>
          <Step n={2} title={t("transparency.flow.foundation.title")} amount={t("transparency.flow.balance", { amount: formatFen(total.availableFen + total.earmarkedFen) })} link={{ to: "/foundations", label: t("transparency.flow.foundation.link") }}>
            {t("transparency.flow.foundation.text")}
          </Step>
          <Step n={3} title={t("transparency.flow.pool.title")} amount={so(total.roundPoolsFen)} link={{ to: "/rounds", label: t("transparency.flow.pool.link") }}>
            {t("transparency.flow.pool.text")}
          </Step>
          <Step n={4} title={t("transparency.flow.award.title")} amount={so(total.committedFen)} link={{ to: "/rounds", label: t("transparency.flow.award.link") }}>
            {t("transparency.flow.award.text")}
          </Step>
          <Step n={5} title={t("transparency.flow.tranches.title")} amount={so(total.paidFen)} link={{ to: "/projects", label: t("transparency.flow.tranches.link") }}>
            {t("transparency.flow.tranches.text")}
          </Step>
          <Step n={6} title={t("transparency.flow.expenses.title")} amount={so(total.spentFen)} link={{ to: "/projects", label: t("transparency.flow.expenses.link") }}>
            {t("transparency.flow.expenses.text")}
          </Step>
        </ol>
      </section>

      <section aria-labelledby="foundations-h" className="space-y-3">
        <h2 id="foundations-h" className="text-xl font-semibold">
          {t("transparency.foundations.title")}
        </h2>
        {foundations.length === 0 ? (
          <EmptyState title={t("transparency.foundations.empty")} />
        ) : (
          <DataTable
            testId="foundation-totals"
            headers={[
              t("transparency.col.foundation"),
              t("transparency.totals.gifts"),
              t("transparency.totals.matched"),
              t("transparency.totals.appropriations"),
              t("transparency.totals.roundPools"),
              t("transparency.totals.paid"),
              t("transparency.totals.spent"),
              t("transparency.totals.returned"),
              t("transparency.totals.available"),
              t("transparency.totals.earmarked"),
            ]}
          >
            {foundations.map((f) => (
              <tr key={f.slug} data-testid={`foundation-${f.slug}`}>
                <th scope="row" className={`${cell} text-left font-normal`}>
                  <Link to={`/foundations/${encodeURIComponent(f.slug)}`} className="text-brand-700 underline">
                    {localName(locale, f)}
                  </Link>
                  <span className="block text-xs text-slate-600">{localName(locale, f.area)}</span>
                </th>
                <td className={`${cell} whitespace-nowrap text-right tabular-nums`}>
                  {formatFen(f.totals.giftsFen)}
                  {f.totals.refundedFen > 0 ? <span className="block text-xs text-slate-600">{t("transparency.gift.refunded", { amount: formatFen(f.totals.refundedFen) })}</span> : null}
                </td>
                <td className={`${cell} whitespace-nowrap text-right tabular-nums`}>{formatFen(f.totals.matchedFen)}</td>
                <td className={`${cell} whitespace-nowrap text-right tabular-nums`}>{formatFen(f.totals.appropriationsFen)}</td>
                <td className={`${cell} whitespace-nowrap text-right tabular-nums`}>{formatFen(f.totals.roundPoolsFen)}</td>
                <td className={`${cell} whitespace-nowrap text-right tabular-nums`}>{formatFen(f.totals.paidFen)}</td>
                <td className={`${cell} whitespace-nowrap text-right tabular-nums`}>{formatFen(f.totals.spentFen)}</td>
                <td className={`${cell} whitespace-nowrap text-right tabular-nums`}>{formatFen(f.totals.returnedFen)}</td>
                <td className={`${cell} whitespace-nowrap text-right tabular-nums`}>{formatFen(f.totals.availableFen)}</td>
                <td className={`${cell} whitespace-nowrap text-right tabular-nums`}>{formatFen(f.totals.earmarkedFen)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>

      <section aria-labelledby="open-data-h" className="rounded-lg bg-white p-4 shadow-sm sm:p-6">
        <h2 id="open-data-h" className="text-xl font-semibold">
          {t("transparency.openData.title")}
        </h2>
        <p className="mt-2 text-sm text-slate-700">{t("transparency.openData.text")}</p>
        <Link to="/open-data" className="mt-3 inline-block rounded bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800">
          {t("transparency.openData.link")}
        </Link>
      </section>
    </div>
  );
}
