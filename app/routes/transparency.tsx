import type { ReactNode } from "react";
import { Form, redirect } from "react-router";
import type { Route } from "./+types/transparency";
import { FormActions, FormErrors, getFormProps, TextField, useZodForm } from "~/components/form";
import { ButtonLink, cell, DataTable, EmptyState, PageTitle, Section, Stat, TextLink } from "~/components/ui";
import { MoneyFlowChart } from "~/components/charts";
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

/** The portal's totals in the order shown: label transparency.totals.<key>, figure total.<key>Fen. */
const TOTALS = ["gifts", "matched", "refunded", "appropriations", "roundPools", "committed", "paid", "spent", "returned", "available", "earmarked"] as const;

/** The columns of the table of foundations, after the foundation's name (a figure each, f.totals.<key>Fen). */
const FOUNDATION_COLUMNS = ["gifts", "matched", "appropriations", "roundPools", "paid", "spent", "returned", "available", "earmarked"] as const;

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
        <TextLink to={link.to} className="mt-2 inline-block text-sm">{link.label}</TextLink>
      ) : null}
    </li>
  );
}

export default function TransparencyPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { total, foundations } = loaderData;
  const [form, fields] = useZodForm(GiftLookupSchema, actionData?.result, { id: "gift-lookup" });
  const giftCount = t("transparency.totals.giftsCount", { count: formatNumber(locale, total.gifts) });
  const so = (fen: number) => t("transparency.flow.amount", { amount: formatFen(fen) });
  return (
    <div className="space-y-10">
      <PageTitle sub={t("transparency.subtitle")}>{t("transparency.title")}</PageTitle>

      <Section id="lookup-h" title={t("transparency.lookup.title")} className="rounded-lg border border-brand-100 bg-white p-4 shadow-sm sm:p-6">
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
      </Section>

      <Section id="totals-h" title={t("transparency.totals.title")} note={t("transparency.totals.note")}>
        <dl className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="portal-totals">
          {TOTALS.map((k) => (
            <Stat key={k} label={t(`transparency.totals.${k}`)} value={formatFen(total[`${k}Fen`])} sub={k === "gifts" ? giftCount : undefined} testId={`total-${k === "roundPools" ? "pools" : k}`} />
          ))}
        </dl>
      </Section>

      <Section id="flow-h" title={t("transparency.flow.title")}>
        <p className="text-sm text-slate-700">{t("transparency.flow.intro")}</p>
        <MoneyFlowChart
          caption={t("charts.flow.caption")}
          stages={[
            { key: "in", label: t("charts.flow.in"), fen: total.giftsFen + total.matchedFen + total.appropriationsFen },
            { key: "fund", label: t("charts.flow.fund"), fen: total.availableFen + total.earmarkedFen },
            { key: "rounds", label: t("charts.flow.rounds"), fen: total.roundPoolsFen },
            { key: "projects", label: t("charts.flow.projects"), fen: total.committedFen, partFen: total.paidFen, partLabel: t("charts.flow.paidPart", { amount: formatFen(total.paidFen) }) },
            { key: "spent", label: t("charts.flow.spent"), fen: total.spentFen },
          ]}
        />
        <ol className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" data-testid="money-flow">
          {(
            [
              ["gift", so(total.giftsFen + total.matchedFen), "/foundations"],
              ["foundation", t("transparency.flow.balance", { amount: formatFen(total.availableFen + total.earmarkedFen) }), "/foundations"],
              ["pool", so(total.roundPoolsFen), "/rounds"],
              ["award", so(total.committedFen), "/rounds"],
              ["tranches", so(total.paidFen), "/projects"],
              ["expenses", so(total.spentFen), "/projects"],
            ] as const
          ).map(([step, amount, to], i) => (
            <Step key={step} n={i + 1} title={t(`transparency.flow.${step}.title`)} amount={amount} link={{ to, label: t(`transparency.flow.${step}.link`) }}>
              {t(`transparency.flow.${step}.text`)}
            </Step>
          ))}
        </ol>
      </Section>

      <Section id="foundations-h" title={t("transparency.foundations.title")}>
        <DataTable
          testId="foundation-totals"
          headers={[t("transparency.col.foundation"), ...FOUNDATION_COLUMNS.map((k) => t(`transparency.totals.${k}`))]}
          empty={foundations.length === 0 && <EmptyState title={t("transparency.foundations.empty")} />}
        >
          {foundations.map((f) => (
            <tr key={f.slug} data-testid={`foundation-${f.slug}`}>
              <th scope="row" className={`${cell} text-left font-normal`}>
                <TextLink to={`/foundations/${encodeURIComponent(f.slug)}`}>{localName(locale, f)}</TextLink>
                <span className="block text-xs text-slate-600">{localName(locale, f.area)}</span>
              </th>
              {FOUNDATION_COLUMNS.map((k) => (
                <td key={k} className={`${cell} whitespace-nowrap text-right tabular-nums`}>
                  {formatFen(f.totals[`${k}Fen`])}
                  {k === "gifts" && f.totals.refundedFen > 0 ? <span className="block text-xs text-slate-600">{t("transparency.gift.refunded", { amount: formatFen(f.totals.refundedFen) })}</span> : null}
                </td>
              ))}
            </tr>
          ))}
        </DataTable>
      </Section>

      <Section id="open-data-h" title={t("transparency.openData.title")} className="rounded-lg bg-white p-4 shadow-sm sm:p-6">
        <p className="mt-2 text-sm text-slate-700">{t("transparency.openData.text")}</p>
        <ButtonLink to="/open-data" className="mt-3 inline-block">{t("transparency.openData.link")}</ButtonLink>
      </Section>
    </div>
  );
}
