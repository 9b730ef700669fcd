import { Form, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/admin.foundations.$slug.money";
import { ConfirmSubmit, ControlFrame, ErrorSummary, FormErrors, getFormProps, replyFor, SubmitButton, TextField, useZodForm } from "~/components/form";
import { Done, EmptyState, Fact, PageTitle, Pagination, Section, Stat, TextLink } from "~/components/ui";
import { AppropriationFormSchema, shanghaiToday } from "~/domain/funds";
import { memoIn } from "~/domain/ledger";
import { formatFen } from "~/domain/money";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { requireViewer } from "~/lib/session.server";
import { requireFundOfficial } from "~/services/giving/access.server";
import { APPROPRIATION_ATTACHMENT_MAX_BYTES, foundationMoney, recordAppropriation } from "~/services/giving/funds.server";
import { formatBytes } from "~/lib/uploads.server";

/**
 * Two intents over the same fields: "record" books the appropriation, or — from ¥1,000,000 on —
 * answers the amount to confirm and books nothing; "confirmRecord", the confirmation's button,
 * books it. The document scan is read as the form streams in (readForm), bounded; a refused file
 * is said next to its field and the rest of the form is kept.
 */
const RecordFields = AppropriationFormSchema.omit({ confirmed: true }).extend({ attachment: z.instanceof(File).optional() });
const Intents = z.discriminatedUnion("intent", [RecordFields.extend({ intent: z.literal("record") }), RecordFields.extend({ intent: z.literal("confirmRecord") })]);

const DONE: Record<string, string> = { appropriation: "funds.appropriation.done", repeated: "funds.appropriation.repeated" };

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const url = new URL(request.url);
  const money = await foundationMoney(viewer, params.slug, url.searchParams.get("page"));
  return {
    ...money,
    /** one per page view: a form sent twice (double click, back button) books once */
    requestKey: globalThis.crypto.randomUUID(),
    today: shanghaiToday(),
    maxBytes: formatBytes(APPROPRIATION_ATTACHMENT_MAX_BYTES),
    done: url.searchParams.get("created") ? "funds.create.done" : (DONE[url.searchParams.get("done") ?? ""] ?? null),
  };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  await requireFundOfficial(viewer, params.slug);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission, { confirm: null });
  const { intent, attachment, ...v } = submission.value;
  const r = await recordAppropriation(viewer, params.slug, { ...v, ...(intent === "confirmRecord" ? { confirmed: "yes" } : {}) }, attachment ?? null);
  if (!r.ok) return problemReply(submission, r.problem, { confirm: null });
  if ("confirm" in r) return { intent, result: submission.reply(), confirm: r.confirm };
  return redirect(`/admin/foundations/${encodeURIComponent(params.slug)}/money?done=${r.posted ? "appropriation" : "repeated"}`);
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "funds.money.title");

export default function FoundationMoney({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { foundation, appropriations } = loaderData;
  const base = `/admin/foundations/${foundation.slug}`;
  const reply = replyFor(actionData, "record") ?? replyFor(actionData, "confirmRecord");
  const [form, fields] = useZodForm(RecordFields, reply, { id: "appropriation", defaultValue: { occurredOn: loaderData.today } });
  const confirm = actionData && "confirm" in actionData ? actionData.confirm : null;
  // the key of the form as first sent, so that its confirmation books under the same key
  const requestKey = typeof fields.requestKey.initialValue === "string" ? fields.requestKey.initialValue : loaderData.requestKey;
  return (
    <div className="space-y-8">
      <PageTitle sub={t("funds.money.subtitle", { area: localName(locale, foundation.area) })}>
        {t("funds.money.title")} · {localName(locale, foundation)}
      </PageTitle>
      <Done message={loaderData.done} />
      <dl className="grid gap-4 sm:grid-cols-3">
        <Stat label={t("funds.money.available")} value={formatFen(loaderData.availableFen)} testId="fund-available" />
        <Stat label={t("funds.money.appropriated")} value={formatFen(loaderData.appropriationsFen)} testId="fund-appropriated" />
        <Stat label={t("funds.money.pooled")} value={formatFen(loaderData.roundPoolsFen)} />
      </dl>
      <dl className="grid gap-3 text-sm sm:grid-cols-3">
        <Fact label={t("funds.field.receiptPrefix")}>
          <span className="font-mono" data-testid="fund-prefix">{foundation.receiptPrefix}</span>
        </Fact>
        <Fact label={t("funds.field.filingNo")}>{foundation.fundraisingFilingNo ?? t("funds.list.directedOnly")}</Fact>
        <Fact label={t("funds.field.entity")}>{foundation.fundraisingEntity ?? "—"}</Fact>
      </dl>
      <p className="text-sm">
        <TextLink to="/admin/rounds/new">{t("funds.money.fundRound")}</TextLink> · <TextLink to={`/foundations/${foundation.slug}`}>{t("foundationAdmin.publicPage")}</TextLink>
      </p>

      <Section id="record-h" title={t("funds.appropriation.title")} sub={t("funds.appropriation.subtitle")}>
        <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="space-y-4 rounded-lg bg-white p-5 shadow-sm">
          <ErrorSummary lastResult={reply} />
          <FormErrors form={form} />
          <input type="hidden" name="requestKey" value={requestKey} />
          <div className="grid gap-4 sm:grid-cols-3">
            <TextField meta={fields.amount} label={t("funds.field.amount")} hint={t("funds.field.amountHint")} inputProps={{ inputMode: "decimal" }} />
            <TextField meta={fields.documentNo} label={t("funds.field.documentNo")} hint={t("funds.field.documentNoHint")} />
            <TextField meta={fields.occurredOn} type="date" label={t("funds.field.occurredOn")} hint={t("funds.field.occurredOnHint")} inputProps={{ max: loaderData.today }} />
          </div>
          <ControlFrame id="appropriation-attachment" label={t("funds.field.attachment")} hint={t("funds.field.attachmentHint", { max: loaderData.maxBytes })} errors={fields.attachment.errors}>
            {(p) => <input {...p} type="file" name="attachment" accept="image/*,application/pdf" className="mt-1 block text-sm" />}
          </ControlFrame>
          <div className="flex flex-wrap items-center gap-4">
            <SubmitButton name="intent" value="record">
              {t("funds.appropriation.submit")}
            </SubmitButton>
          </div>
          {confirm ? (
            <ConfirmSubmit label={t("funds.appropriation.confirmLabel", { amount: formatFen(confirm.amountFen) })} question={t("funds.appropriation.question")} confirm={t("funds.appropriation.confirm")} intent="confirmRecord" open>
              <p className="my-2 font-semibold tabular-nums" data-testid="confirm-amount">
                {formatFen(confirm.amountFen)}
              </p>
            </ConfirmSubmit>
          ) : null}
        </Form>
      </Section>

      <Section id="list-h" title={t("funds.appropriation.list")}>
        {appropriations.items.length === 0 ? (
          <EmptyState title={t("funds.appropriation.empty")}>
            <p>{t("funds.appropriation.emptyHint")}</p>
          </EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm" data-testid="appropriation-list">
            {appropriations.items.map((a) => (
              <li key={a.transactionId} className="flex flex-wrap items-start justify-between gap-3 px-4 py-3">
                <div className="min-w-0">
                  <p className="font-medium">{a.documentNo ?? memoIn(a.memo, locale)}</p>
                  <p className="text-sm text-slate-600">
                    {t("funds.appropriation.effective", { date: formatDateTime(locale, a.occurredAt, false) })}
                    {a.id && a.hasAttachment ? (
                      <>
                        {" · "}
                        <a href={`${base}/appropriations/${a.id}/attachment`} className="text-brand-700 underline">
                          {t("funds.appropriation.attachment")}
                        </a>
                      </>
                    ) : null}
                  </p>
                </div>
                <span className="tabular-nums font-medium">{formatFen(a.amountFen)}</span>
              </li>
            ))}
          </ul>
        )}
        <Pagination page={appropriations.page} pages={appropriations.pages} />
      </Section>
    </div>
  );
}

