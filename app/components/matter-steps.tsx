import type { ReactNode } from "react";
import { Link } from "react-router";
import { Done, PageTitle, TextLink } from "~/components/ui";
import { Badge } from "~/components/ui/badge";
import type { MatterStatus, ResolutionRules, Threshold } from "~/domain/deliberation";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { localName, roundTitle } from "~/lib/names";

/** A matter as the public pages show it (services/deliberation: publicMatter). */
export interface MatterView {
  number: number;
  title: string;
  rationale: string;
  status: MatterStatus;
  proposedAt: string;
  needs: { number: number; title: string; status: string; round: { code: string; title: string; titleEn: string | null } | null }[];
  reviews: {
    id: string;
    body: string;
    meetingOn: string | null;
    place: string;
    attendeesEntitled: number;
    attendeesPresent: number;
    officeHolders: string[];
    minutes: string;
    outcome: string;
    reasons: string;
    attachments: { id: string; upload: { originalName: string; mimeType: string } }[];
    remarks: Remark[];
  }[];
  resolution: {
    body: string;
    meetingOn: string | null;
    place: string;
    entitled: number;
    present: number;
    votesFor: number;
    votesAgainst: number;
    abstentions: number;
    text: string;
    quorate: boolean;
    passed: boolean;
    remarks: Remark[];
  } | null;
  proposalRemarks: Remark[];
  rules: ResolutionRules;
}

interface Remark {
  id: string;
  body: string;
  createdAt: string;
}

const TONES: Record<MatterStatus, string> = {
  PROPOSED: "bg-sky-100 text-sky-900",
  FORWARDED: "bg-sky-100 text-sky-900",
  DROPPED: "bg-slate-200 text-slate-800",
  PASSED: "bg-emerald-100 text-emerald-900",
  FAILED: "bg-red-100 text-red-900",
};

export function MatterStatusBadge({ status }: { status: MatterStatus }) {
  const t = useT();
  return (
    <Badge tone={TONES[status]} className="inline-block rounded px-2 py-0.5 text-xs font-medium" testId="matter-status">
      {t(`deliberation.status.${status}`)}
    </Badge>
  );
}

/** "more than 1/2 of" — a threshold in words. */
export function useRulesText() {
  const t = useT();
  const part = (th: Threshold) => t(th.strict ? "deliberation.rules.moreThan" : "deliberation.rules.atLeast", { num: th.num, den: th.den });
  return (rules: ResolutionRules) =>
    t("deliberation.rules", {
      quorum: part(rules.quorum),
      majority: part(rules.majority),
      base: t(rules.majorityOf === "PRESENT" ? "deliberation.rules.ofPresent" : "deliberation.rules.ofVotesCast"),
    });
}

function Remarks({ remarks }: { remarks: Remark[] }) {
  const t = useT();
  const locale = useLocale();
  if (!remarks.length) return null;
  return (
    <div className="mt-3 rounded border border-amber-200 bg-amber-50 p-3 text-sm" data-testid="matter-remarks">
      <h4 className="font-medium text-amber-900">{t("deliberation.remarks.title")}</h4>
      <ul className="mt-1 space-y-1">
        {remarks.map((r) => (
          <li key={r.id}>
            <span className="text-slate-600">{formatDateTime(locale, r.createdAt, false)}：</span>
            <span className="whitespace-pre-line">{r.body}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Step({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4" data-testid={testId}>
      <h3 className="font-semibold">{title}</h3>
      <div className="mt-2 space-y-2 text-sm">{children}</div>
    </section>
  );
}

/** Every step of a matter, as public as the matter itself (两公开). */
export function MatterSteps({ matter }: { matter: MatterView }) {
  const t = useT();
  const locale = useLocale();
  const r = matter.resolution;
  return (
    <div className="space-y-3">
      <Step title={t("deliberation.step.proposal")} testId="step-proposal">
        <p className="text-slate-600">{t("deliberation.proposal.proposedAt", { date: formatDateTime(locale, matter.proposedAt, false) })}</p>
        <p className="whitespace-pre-line">{matter.rationale}</p>
        <p className="font-medium">{t("deliberation.matter.needs")}</p>
        <ul className="list-disc pl-6">
          {matter.needs.map((n) => (
            <li key={n.number}>
              <Link to={`/needs/${n.number}`} className="underline">
                #{n.number} {n.title}
              </Link>
              {n.round ? (
                <span className="text-slate-600">
                  {" "}
                  · {t("deliberation.matter.topicOf")}{" "}
                  <Link to={`/rounds/${n.round.code}`} className="underline">
                    {roundTitle(locale, n.round)}
                  </Link>
                </span>
              ) : null}
            </li>
          ))}
        </ul>
        <Remarks remarks={matter.proposalRemarks} />
      </Step>
      <Step title={t("deliberation.step.review")} testId="step-review">
        {matter.reviews.length === 0 ? <p className="text-slate-600">{t("deliberation.step.pending")}</p> : null}
        {matter.reviews.map((rv) => (
          <div key={rv.id} className="space-y-1 border-t border-slate-100 pt-2 first:border-0 first:pt-0">
            <p className="font-medium">
              {t("deliberation.review.meeting", { body: t(`deliberation.body.${rv.body}`), date: rv.meetingOn ?? "", place: rv.place })}
            </p>
            <p>{t("deliberation.review.attendance", { entitled: rv.attendeesEntitled, present: rv.attendeesPresent })}</p>
            {rv.officeHolders.length ? (
              <p>
                {t("deliberation.review.officeHolders")}：{rv.officeHolders.join("、")}
              </p>
            ) : null}
            <p className="font-medium">{t("deliberation.review.minutes")}</p>
            <p className="whitespace-pre-line">{rv.minutes}</p>
            <p>
              <span className="font-medium">{t("deliberation.review.outcome")}：</span>
              <span data-testid="review-outcome">{t(`deliberation.outcome.${rv.outcome}`)}</span>
            </p>
            <p>
              <span className="font-medium">{t("deliberation.review.reasons")}：</span>
              {rv.reasons}
            </p>
            {rv.attachments.length ? (
              <div>
                <p className="font-medium">{t("deliberation.review.attachments")}</p>
                <ul className="flex flex-wrap gap-2">
                  {rv.attachments.map((a) => (
                    <li key={a.id}>
                      <a href={`/deliberation/${matter.number}/attachments/${a.id}`} className="underline">
                        {a.upload.mimeType.startsWith("image/") ? (
                          <img src={`/deliberation/${matter.number}/attachments/${a.id}`} alt={a.upload.originalName} className="h-24 w-auto rounded border" loading="lazy" />
                        ) : (
                          a.upload.originalName
                        )}
                      </a>
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            <Remarks remarks={rv.remarks} />
          </div>
        ))}
      </Step>
      <Step title={t("deliberation.step.resolution")} testId="step-resolution">
        {r ? (
          <>
            <p className="font-medium">{t("deliberation.review.meeting", { body: t(`deliberation.body.${r.body}`), date: r.meetingOn ?? "", place: r.place })}</p>
            <p data-testid="resolution-counts">
              {t("deliberation.resolution.counts", { entitled: r.entitled, present: r.present, for: r.votesFor, against: r.votesAgainst, abstain: r.abstentions })}
            </p>
            <p>{t(r.quorate ? "deliberation.resolution.quorate" : "deliberation.resolution.notQuorate")}</p>
            <p className={r.passed ? "font-semibold text-emerald-800" : "font-semibold text-red-800"} data-testid="resolution-outcome">
              {t(r.passed ? "deliberation.resolution.passed" : "deliberation.resolution.failed")}
            </p>
            <p className="font-medium">{t("deliberation.resolution.text")}</p>
            <p className="whitespace-pre-line">{r.text}</p>
            <Remarks remarks={r.remarks} />
          </>
        ) : (
          <p className="text-slate-600">{t("deliberation.step.pending")}</p>
        )}
      </Step>
    </div>
  );
}

/**
 * The frame of a community's deliberation settings page (its roles, its rules): what the last
 * action did, the way back to the community's deliberation, the title under the community's name.
 */
export function DeliberationSettingsFrame({
  area,
  title,
  hint,
  done,
  children,
}: {
  area: { code: string; nameZh: string; nameEn: string };
  title: string;
  hint: string;
  done: string | null;
  children: ReactNode;
}) {
  const t = useT();
  const locale = useLocale();
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <Done message={done} />
      <p className="text-sm">
        <TextLink to={`/areas/${area.code}/deliberation`}>← {t("deliberation.title")}</TextLink>
      </p>
      <PageTitle sub={hint}>
        {localName(locale, area)} · {title}
      </PageTitle>
      {children}
    </div>
  );
}
