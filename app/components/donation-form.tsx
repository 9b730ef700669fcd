import { useEffect, useRef, useState } from "react";
import { useRevalidator } from "react-router";
import { formatDateTime, useLocale, useT, type T } from "~/lib/i18n";
import { Badge, Section } from "~/components/ui";

/**
 * Pieces shared by the donor pages of giving: the demo-payments banner, a gift's status
 * badge, the purpose and fundraising lines, and the automatic refresh while a payment is confirmed.
 */

/** The labelled banner every donor page shows in demo payments mode. */
export function DemoPaymentsBanner() {
  const t = useT();
  return (
    <Section
      id="demo-payments-title"
      title={t("donor.demo.title")}
      size="base"
      className="rounded-lg border-2 border-amber-500 bg-amber-50 p-4 text-amber-950 print:border print:p-2"
      testId="demo-payments-banner"
    >
      <p className="mt-1 text-sm">{t("donor.demo.body")}</p>
    </Section>
  );
}

const TONE: Record<string, string> = {
  PENDING: "bg-slate-100 text-slate-800",
  PROCESSING: "bg-sky-100 text-sky-900",
  SUCCEEDED: "bg-emerald-100 text-emerald-900",
  FAILED: "bg-red-100 text-red-900",
  REFUNDED: "bg-slate-200 text-slate-800",
  PARTIALLY_REFUNDED: "bg-amber-100 text-amber-900",
  DISPUTED: "bg-red-100 text-red-900",
  HELD: "bg-amber-100 text-amber-900",
  ACTIVE: "bg-emerald-100 text-emerald-900",
  CANCELED: "bg-slate-200 text-slate-800",
};

/**
 * A donation's status as a small badge — in the donor's words, a monthly gift's (`monthly`), or the
 * manager's (`manager`). One badge for every giving page.
 */
export function DonationStatusBadge({ status, monthly = false, manager = false }: { status: string; monthly?: boolean; manager?: boolean }) {
  const t = useT();
  const key = manager ? `foundationAdmin.status.${status}` : monthly ? `donor.monthly.status.${status}` : `donor.status.${status}`;
  return <Badge tone={TONE[status] ?? "bg-slate-100 text-slate-800"} className="inline-block whitespace-nowrap rounded px-2 py-0.5 text-sm" testId="donation-status">{t(key)}</Badge>;
}

export type PurposeView = { kind: "round"; title: string } | { kind: "project"; referenceNo: string; title: string } | null;

/** What a gift is for: its earmark, or the foundation's general funds. */
export function purposeText(t: T, earmark: PurposeView) {
  if (!earmark) return t("email.donationReceipt.general");
  return earmark.kind === "project" ? t("donor.purpose.project", { ref: earmark.referenceNo, title: earmark.title }) : t("donor.purpose.round", { title: earmark.title });
}

export type FundraisingView = { kind: "public"; filingNo: string; entity: string } | { kind: "directed" };

/** The public fundraising filing (公开募捐备案) and entity, or 定向 (Charity Law). */
export function FundraisingLine({ status, hint = true }: { status: FundraisingView; hint?: boolean }) {
  const t = useT();
  if (status.kind === "public") return <span data-testid="fundraising-status">{t("donor.fundraising.public", { filing: status.filingNo, entity: status.entity })}</span>;
  return (
    <span data-testid="fundraising-status">
      <span className="rounded bg-amber-100 px-2 py-0.5 text-amber-900">{t("donor.fundraising.directed")}</span>
      {hint ? <span className="mt-1 block text-sm text-slate-600">{t("donor.fundraising.directedHint")}</span> : null}
    </span>
  );
}

/** The last day an invitation ending at `expiresAt` (the next Shanghai midnight) is good on, as a date. */
export const lastDayOf = (locale: Parameters<typeof formatDateTime>[0], expiresAt: string) => formatDateTime(locale, new Date(new Date(expiresAt).getTime() - 60_000), false);

/** 定向募捐: whom this solicitation is for, as its fund's manager described the group (docs/decisions/018). */
export function DirectedAudienceLine({ audience }: { audience: { audienceZh: string; audienceEn: string; expiresAt: string | null } }) {
  const t = useT();
  const locale = useLocale();
  return (
    <div role="note" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950" data-testid="directed-audience">
      <p className="font-medium">{t("directed.donate.audience", { audience: locale === "en" ? audience.audienceEn : audience.audienceZh })}</p>
      <p className="mt-1">{t("directed.donate.only")}</p>
      {audience.expiresAt ? <p className="mt-1">{t("directed.donate.until", { date: lastDayOf(locale, audience.expiresAt) })}</p> : null}
    </div>
  );
}

/**
 * While `active`, reloads the page's data every `everyMs` (the webhook may confirm a payment a
 * moment after the donor comes back), for at most `forMs`; then reports `stopped` so the page
 * can offer a manual refresh instead.
 */
export function useAutoRevalidate(active: boolean, everyMs = 2_000, forMs = 60_000) {
  const revalidator = useRevalidator();
  const latest = useRef(revalidator);
  useEffect(() => {
    latest.current = revalidator;
  });
  const [stopped, setStopped] = useState(false);
  useEffect(() => {
    if (!active) return;
    const started = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - started >= forMs) {
        clearInterval(timer);
        setStopped(true);
        return;
      }
      if (latest.current.state === "idle") void latest.current.revalidate();
    }, everyMs);
    return () => clearInterval(timer);
  }, [active, everyMs, forMs]);
  return { stopped, refreshing: revalidator.state === "loading" };
}
