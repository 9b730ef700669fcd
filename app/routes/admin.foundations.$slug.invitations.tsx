import { useState } from "react";
import { Form } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/admin.foundations.$slug.invitations";
import { lastDayOf } from "~/components/donation-form";
import { useHydrated } from "~/components/need-card";
import { FormErrors, getFormProps, replyErrors, replyFor, SubmitButton, TextField, useZodForm } from "~/components/form";
import { Badge, ConfirmAction, EmptyState, ListRow, Notice, PageTitle, Pagination, Problems, RowList, Section } from "~/components/ui";
import { formatCode, InvitationFormSchema, mayRaisePublicly } from "~/domain/directed-giving";
import { formatDateTime, formatNumber, useLocale, useT } from "~/lib/i18n";
import { env } from "~/lib/env.server";
import { invalidSubmission, parseForm, problemReply, readForm } from "~/lib/forms.server";
import { localName, pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { formatFen } from "~/domain/money";
import { requireFoundationManager } from "~/services/giving/access.server";
import { donatePath, issueInvitation, managerInvitations, revokeInvitation } from "~/services/giving/invitations.server";

/**
 * 定向募捐码: the managers of a fund without a public-fundraising filing issue invitations to a
 * defined group (described in both languages, optionally until a day and for a number of gifts),
 * see them again with their use, hand out the link or the code, and revoke them (after a
 * question). Only the fund's managers and the administrators above it (requireFoundationManager,
 * in the loader and again in the action).
 */
const IssueSchema = InvitationFormSchema.extend({ intent: z.literal("issue") });
const RevokeSchema = z.object({ intent: z.literal("revoke"), invitationId: z.string({ error: "validation.invalid" }).min(1, "validation.invalid") });
const Intents = z.discriminatedUnion("intent", [IssueSchema, RevokeSchema]);

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const foundation = await requireFoundationManager(viewer, params.slug);
  const list = await managerInvitations(foundation, new URL(request.url).searchParams.get("page"));
  return {
    foundation: { slug: foundation.slug, nameZh: foundation.nameZh, nameEn: foundation.nameEn },
    raisesPublicly: mayRaisePublicly(foundation),
    /** links are handed out whole, so they carry the site's public address */
    origin: env().APP_URL.replace(/\/$/, ""),
    list,
  };
}

type Issued = { code: string; path: string };
const nothing = { issued: null as Issued | null, notice: null as string | null };

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  await requireFoundationManager(viewer, params.slug);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission, nothing);
  const v = submission.value;
  switch (v.intent) {
    case "issue": {
      const { intent: _intent, ...input } = v;
      const r = await issueInvitation(viewer, params.slug, input);
      if (!r.ok) return problemReply(submission, r.problem, nothing);
      return { intent: v.intent, result: submission.reply({ resetForm: true }), issued: { code: r.code, path: donatePath(params.slug, r.code) }, notice: "directed.admin.issued" };
    }
    case "revoke": {
      const r = await revokeInvitation(viewer, params.slug, v.invitationId);
      if (!r.ok) return problemReply(submission, r.problem, nothing);
      return { intent: v.intent, result: submission.reply(), issued: null, notice: "directed.admin.revoked" };
    }
  }
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "directed.admin.title");

const STATE_TONE = { valid: "bg-emerald-100 text-emerald-900", revoked: "bg-slate-200 text-slate-800", expired: "bg-slate-200 text-slate-800", usedUp: "bg-amber-100 text-amber-900" } as const;

/** The link in a read-only field (select and copy by hand, without JavaScript) and a copy button once the page runs. */
function CopyLink({ url, id }: { url: string; id: string }) {
  const t = useT();
  const ready = useHydrated();
  const [copied, setCopied] = useState(false);
  return (
    <div className="flex flex-wrap items-center gap-2">
      <label htmlFor={id} className="sr-only">
        {t("directed.admin.link")}
      </label>
      <input id={id} readOnly value={url} onFocus={(e) => e.currentTarget.select()} className="min-w-0 flex-1 rounded border border-slate-300 bg-slate-50 px-2 py-1 font-mono text-xs" data-testid="invitation-link" />
      {ready ? (
        <button
          type="button"
          className="rounded border border-brand-700 px-2 py-1 text-xs text-brand-800"
          onClick={() => {
            void navigator.clipboard?.writeText(url).then(() => setCopied(true));
          }}
        >
          {copied ? t("directed.admin.copied") : t("directed.admin.copy")}
        </button>
      ) : null}
    </div>
  );
}

export default function Invitations({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { foundation, list, origin, raisesPublicly } = loaderData;
  const [form, fields] = useZodForm(IssueSchema, replyFor(actionData, "issue"), { id: "issue-invitation" });
  const issued = actionData && "issued" in actionData ? actionData.issued : null;
  const notice = actionData && "notice" in actionData ? actionData.notice : null;
  return (
    <div className="space-y-8">
      <PageTitle sub={localName(locale, foundation)}>{t("directed.admin.title")}</PageTitle>
      <p className="max-w-3xl text-sm text-slate-700">{t("directed.admin.intro")}</p>
      {notice ? <Notice tone="success">{t(notice)}</Notice> : null}
      {issued ? (
        <div role="status" className="space-y-2 rounded-lg border border-emerald-300 bg-emerald-50 p-4" data-testid="issued">
          <p className="font-medium">{t("directed.admin.issuedCode")}</p>
          <p className="font-mono text-2xl tracking-wider" data-testid="issued-code">
            {formatCode(issued.code)}
          </p>
          <CopyLink url={`${origin}${issued.path}`} id="issued-link" />
        </div>
      ) : null}
      <Problems errors={replyErrors(actionData, "revoke")} />

      {raisesPublicly ? (
        <Notice tone="muted" role="note">
          {t("directed.admin.publicFund")}
        </Notice>
      ) : (
        <Section id="issue-h" title={t("directed.admin.issue")} className="space-y-4 rounded-lg bg-white p-5 shadow-sm">
          <Form method="post" {...getFormProps(form)} className="space-y-4">
            <input type="hidden" name="intent" value="issue" />
            <FormErrors form={form} />
            <TextField meta={fields.audienceZh} label={t("directed.admin.audienceZh")} hint={t("directed.admin.audienceHint")} />
            <TextField meta={fields.audienceEn} label={t("directed.admin.audienceEn")} />
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField meta={fields.expiresOn} type="date" label={t("directed.admin.expiresOn")} hint={t("directed.admin.expiresOnHint")} />
              <TextField meta={fields.maxUses} type="number" label={t("directed.admin.maxUses")} hint={t("directed.admin.maxUsesHint")} inputProps={{ min: 1, inputMode: "numeric" }} />
            </div>
            <SubmitButton>{t("directed.admin.issueSubmit")}</SubmitButton>
          </Form>
        </Section>
      )}

      <Section id="list-h" title={t("directed.admin.list")} sub={t("directed.admin.count", { count: formatNumber(locale, list.total) })} subGap="margin">
        <RowList testId="invitation-list" empty={list.items.length === 0 && <EmptyState title={t("directed.admin.empty")} />}>
          {list.items.map((i) => (
            <ListRow
              key={i.id}
              testId="invitation"
              aside={
                i.state === "revoked" ? null : (
                  <ConfirmAction
                    label={t("directed.admin.revoke")}
                    question={t("directed.admin.revokeQuestion", { code: i.code, audience: locale === "en" ? i.audienceEn : i.audienceZh })}
                    confirmLabel={t("directed.admin.revokeConfirm")}
                    intent="revoke"
                    hidden={{ invitationId: i.id }}
                  />
                )
              }
            >
              <p className="flex flex-wrap items-center gap-2">
                <span className="font-mono text-lg tracking-wider" data-testid="invitation-code">
                  {i.code}
                </span>
                <Badge tone={STATE_TONE[i.state]} className="rounded px-2 py-0.5 text-xs" testId="invitation-state">
                  {t(`directed.state.${i.state}`)}
                </Badge>
              </p>
              <p className="mt-1">{t("directed.admin.for", { audience: locale === "en" ? i.audienceEn : i.audienceZh })}</p>
              <p className="mt-1 text-sm text-slate-700" data-testid="invitation-uses">
                {i.maxUses === null ? t("directed.admin.usesUnlimited", { uses: i.uses }) : t("directed.admin.uses", { uses: i.uses, max: i.maxUses })}
                {" · "}
                {t("directed.admin.paid", { count: i.paidGifts, amount: formatFen(i.paidFen) })}
              </p>
              <p className="mt-1 text-xs text-slate-600">
                {t("directed.admin.issuedBy", { name: i.createdBy, date: formatDateTime(locale, i.createdAt, false) })}
                {" · "}
                {i.expiresAt ? t("directed.admin.until", { date: lastDayOf(locale, i.expiresAt) }) : t("directed.admin.noExpiry")}
                {i.revokedAt ? ` · ${t("directed.admin.revokedOn", { date: formatDateTime(locale, i.revokedAt, false) })}` : ""}
              </p>
              {i.state === "valid" ? (
                <div className="mt-2">
                  <CopyLink url={`${origin}${i.path}`} id={`link-${i.id}`} />
                </div>
              ) : null}
            </ListRow>
          ))}
        </RowList>
        <Pagination page={list.page} pages={list.pages} />
      </Section>
    </div>
  );
}
