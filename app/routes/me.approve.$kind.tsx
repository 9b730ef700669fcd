import { data, Form } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/me.approve.$kind";
import { FormErrors, getFormProps, replyFor, SubmitButton, useZodForm } from "~/components/form";
import { BackLink, cell, DataTable, EmptyState, Notice, PageTitle, Problems, TextLink } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { BULK_MAX, isBulkKind } from "~/domain/work";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { bulkApprove, bulkCandidates, bulkSelection, type BulkItem, type BulkOutcome } from "~/services/projects/bulk.server";

/**
 * Approving several submitted expenses or milestone reports at once (services/projects/bulk.server.ts):
 * choose (a GET form of checkboxes, also offered on /me), confirm (this page lists what the
 * `item` parameters select), approve (POST). Works without JavaScript.
 */

/** One value or several of the same name, as a list. */
const asList = (v: unknown) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]);
const ApproveSchema = z.object({
  intent: z.literal("approve"),
  item: z.preprocess(asList, z.array(z.string().max(80)).min(1, "work.bulk.error.none").max(BULK_MAX, "work.bulk.error.selection")),
});
const Intents = z.discriminatedUnion("intent", [ApproveSchema]);

function kindOf(params: { kind?: string }) {
  if (!isBulkKind(params.kind)) throw data(null, { status: 404 });
  return params.kind;
}

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const kind = kindOf(params);
  const tokens = new URL(request.url).searchParams.getAll("item").filter(Boolean);
  if (tokens.length) {
    const r = await bulkSelection(viewer, kind, tokens);
    return { kind, step: "confirm" as const, items: r.ok ? r.items : [], problems: r.ok ? null : r.problem.formErrors };
  }
  return { kind, step: "choose" as const, items: await bulkCandidates(viewer, kind), problems: null };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const kind = kindOf(params);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const r = await bulkApprove(viewer, kind, submission.value.item);
  if (!r.ok) return problemReply(submission, r.problem);
  const outcome: BulkOutcome = { approved: r.approved, notApproved: r.notApproved };
  return { intent: submission.value.intent, result: submission.reply({ resetForm: true }), outcome };
}

export const meta: Route.MetaFunction = ({ matches, params }) => pageMeta(matches, isBulkKind(params.kind) ? `work.bulk.title.${params.kind}` : "work.title");

/** Why an item on the confirmation will not be approved, or null. */
const skipReason = (i: BulkItem) => (!i.submitted ? "work.bulk.changed" : i.ownLook);

function ItemRows({ items, choose, notes }: { items: readonly BulkItem[]; choose?: boolean; notes?: (i: BulkItem) => string | null }) {
  const t = useT();
  const locale = useLocale();
  return (
    <>
      {items.map((i) => {
        const note = notes?.(i) ?? null;
        const label = `${i.referenceNo} ${i.projectTitle} · ${i.label}`;
        return (
          <tr key={i.id} data-testid="bulk-item">
            {choose ? (
              <td className={cell}>
                {note ? null : <input type="checkbox" name="item" value={i.token} id={`item-${i.id}`} aria-label={t("work.bulk.selectItem", { title: label })} className="h-5 w-5" />}
              </td>
            ) : null}
            <td className={cell}>
              <TextLink to={i.href}>
                <span className="font-mono">{i.referenceNo}</span>
              </TextLink>{" "}
              {i.projectTitle}
            </td>
            <td className={cell}>{i.label}</td>
            {i.amountFen !== null ? <td className={`${cell} text-right tabular-nums`}>{formatFen(i.amountFen)}</td> : null}
            <td className={cell}>{i.since ? formatDateTime(locale, i.since) : ""}</td>
            <td className={cell}>{note ? t(note) : ""}</td>
          </tr>
        );
      })}
    </>
  );
}

function Outcome({ outcome }: { outcome: BulkOutcome }) {
  const t = useT();
  return (
    <div className="space-y-3" data-testid="bulk-outcome">
      <Notice tone="success" testId="done">
        {t("work.bulk.done.approved", { count: outcome.approved.length })}
      </Notice>
      {outcome.notApproved.length ? (
        <div role="status" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950" data-testid="bulk-not-approved">
          <p>{t("work.bulk.done.notApproved", { count: outcome.notApproved.length })}</p>
          <ul className="mt-1 list-inside list-disc">
            {outcome.notApproved.map((i) => (
              <li key={i.id}>
                <TextLink to={i.href}>{i.referenceNo}</TextLink> {i.label}: {t(i.reason)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

export default function BulkApprovePage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const { kind, step, items, problems } = loaderData;
  const here = `/me/approve/${kind}`;
  const [form] = useZodForm(ApproveSchema, replyFor(actionData, "approve"), { id: "bulk-approve" });
  const outcome = actionData && "outcome" in actionData ? (actionData.outcome as BulkOutcome) : null;
  const headers = [t("work.bulk.col.project"), t("work.bulk.col.item"), kind === "expenses" ? t("work.bulk.col.amount") : null, t("work.bulk.col.submitted"), t("work.bulk.col.note")];
  const approvable = items.filter((i) => !skipReason(i));
  const skipped = items.filter((i) => skipReason(i));

  return (
    <div className="space-y-6">
      <BackLink to="/me">{t("work.bulk.backToWork")}</BackLink>
      <PageTitle sub={t("work.bulk.intro")}>{t(`work.bulk.title.${kind}`)}</PageTitle>

      {outcome ? (
        <>
          <Outcome outcome={outcome} />
          <p className="flex flex-wrap gap-x-6 text-sm">
            <TextLink to="/me">{t("work.bulk.backToWork")}</TextLink>
            <TextLink to={here}>{t("work.bulk.chooseMore")}</TextLink>
          </p>
        </>
      ) : step === "choose" ? (
        <Form method="get" action={here} className="space-y-4" data-testid="bulk-choose">
          <DataTable testId="bulk-items" headers={[t("work.bulk.col.select"), ...headers]} empty={items.length === 0 && <EmptyState title={t("work.bulk.none")}>{t("work.bulk.noneHint")}</EmptyState>}>
            <ItemRows items={items} choose notes={(i) => i.ownLook} />
          </DataTable>
          {items.length ? <SubmitButton>{t("work.bulk.next")}</SubmitButton> : null}
        </Form>
      ) : (
        <section aria-labelledby="bulk-confirm-h" className="space-y-4" data-testid="bulk-confirm">
          <Problems errors={problems} />
          <h2 id="bulk-confirm-h" className="text-lg font-semibold">
            {t("work.bulk.confirm.title", { count: approvable.length })}
          </h2>
          {approvable.length ? (
            <DataTable testId="bulk-to-approve" headers={headers}>
              <ItemRows items={approvable} />
            </DataTable>
          ) : null}
          {skipped.length ? (
            <>
              <p className="text-sm">{t("work.bulk.confirm.skipped")}</p>
              <DataTable testId="bulk-skipped" headers={headers}>
                <ItemRows items={skipped} notes={skipReason} />
              </DataTable>
            </>
          ) : null}
          {approvable.length ? (
            <Form method="post" action={here} className="space-y-3 rounded border border-amber-300 bg-amber-50 p-3 text-sm" {...getFormProps(form)}>
              <FormErrors form={form} />
              {approvable.map((i) => (
                <input key={i.id} type="hidden" name="item" value={i.token} />
              ))}
              <p>{t("work.bulk.confirm.question", { count: approvable.length })}</p>
              <SubmitButton name="intent" value="approve">
                {t("work.bulk.confirm.button", { count: approvable.length })}
              </SubmitButton>
            </Form>
          ) : null}
          <p className="text-sm">
            <TextLink to={here}>{t("work.bulk.back")}</TextLink>
          </p>
        </section>
      )}
    </div>
  );
}
