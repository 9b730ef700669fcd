import type { FieldMetadata, SubmissionResult } from "@conform-to/react";
import type { ReactNode } from "react";
import { ErrorList, replyFor } from "~/components/form";
import { Badge } from "~/components/ui";
import { formatPoints, sheetTotal } from "~/domain/score-sheet";
import { useLocale, useT } from "~/lib/i18n";
import { localName } from "~/lib/names";

/**
 * The review and award pages label their controls by wrapping them (`<label>Name <input/></label>`),
 * so that a control's accessible name is exactly its label. These connect such a control to its
 * Conform field: its name, what was typed (kept after an error) and its errors next to it.
 */

/** Name, the value typed before the last submission, and the error wiring of one control. */
export function controlProps(meta: FieldMetadata<unknown>) {
  const typed = meta.initialValue;
  return {
    name: meta.name,
    defaultValue: typeof typed === "string" ? typed : undefined,
    "aria-invalid": meta.errors ? true : undefined,
    "aria-describedby": meta.errors ? meta.errorId : undefined,
  } as const;
}

/** A label wrapping its control, with the field's errors below it. */
export function WrappedField({ meta, label, className, children }: { meta: FieldMetadata<unknown>; label: ReactNode; className?: string; children: ReactNode }) {
  return (
    <div className={className ?? "block text-sm"}>
      <label className="block">
        {label}
        {children}
      </label>
      <ErrorList id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

/** Every error of a form's last reply, its own and its fields', for forms shown many times on a page (one row each) that report in one list. */
export function replyErrors(reply: SubmissionResult<string[]> | undefined): string[] {
  return Object.values(reply?.error ?? {}).flatMap((errors) => errors ?? []);
}

/**
 * The reply for one row's form on a page that repeats a form (one per sheet, one per objection):
 * only the row whose hidden `field` holds `value` in what was submitted takes it, so the other
 * rows stay blank. Give each row's form its own id as well (`${intent}-${value}`).
 */
export function rowReply(actionData: unknown, intent: string, field: string, value: string): SubmissionResult<string[]> | undefined {
  const reply = replyFor(actionData, intent);
  const submitted = reply?.initialValue as Record<string, unknown> | null | undefined;
  return submitted?.[field] === value ? reply : undefined;
}

const BADGE_TONE: Record<string, string> = {
  NONE: "bg-slate-100 text-slate-800",
  DRAFT: "bg-amber-100 text-amber-900",
  SUBMITTED: "bg-emerald-100 text-emerald-900",
};

/** The sheet's state in words: not started, a draft, or submitted and locked. */
export function SheetBadge({ status }: { status: string }) {
  const t = useT();
  return (
    <Badge tone={BADGE_TONE[status] ?? BADGE_TONE.NONE!} className="inline-block rounded px-2 py-0.5 text-sm font-medium" testId="sheet-state">
      {t(`review.sheet.state.${status}`)}
    </Badge>
  );
}

/**
 * A submitted sheet, read-only: each criterion's score out of its maximum and the judge's comment,
 * the total, and the overall comment — text, not disabled fields (it cannot change; an official
 * reopens it if it must).
 */
export function LockedSheet({
  rubric,
  sheet,
}: {
  rubric: readonly { key: string; nameZh: string; nameEn: string; maxPoints: number }[];
  sheet: { scores: Record<string, number>; comments: Record<string, string>; overallComment: string };
}) {
  const t = useT();
  const locale = useLocale();
  const max = rubric.reduce((s, c) => s + c.maxPoints, 0);
  return (
    <section aria-labelledby="sheet-h" className="space-y-4 rounded-lg border border-slate-300 bg-slate-50 p-4" data-testid="sheet-readonly">
      <div className="flex flex-wrap items-center gap-2">
        <h2 id="sheet-h" className="text-lg font-semibold">
          {t("review.sheet.title")}
        </h2>
        <SheetBadge status="SUBMITTED" />
      </div>
      <dl className="divide-y divide-slate-200 text-sm">
        {rubric.map((c) => (
          <div key={c.key} className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 py-2">
            <dt className="font-medium">{localName(locale, c)}</dt>
            <dd className="text-right tabular-nums" data-testid={`score-${c.key}`}>
              {t("review.sheet.outOf", { points: sheet.scores[c.key] !== undefined ? formatPoints(sheet.scores[c.key]!) : "—", max: formatPoints(c.maxPoints) })}
            </dd>
            {sheet.comments[c.key] ? <dd className="col-span-2 whitespace-pre-line text-slate-700">{sheet.comments[c.key]}</dd> : null}
          </div>
        ))}
        <div className="grid grid-cols-[1fr_auto] gap-x-4 py-2 text-base font-semibold">
          <dt>{t("review.sheet.total")}</dt>
          <dd className="text-right tabular-nums" data-testid="sheet-total">
            {t("review.sheet.outOf", { points: formatPoints(sheetTotal(sheet.scores)), max: formatPoints(max) })}
          </dd>
        </div>
      </dl>
      {sheet.overallComment ? (
        <div className="text-sm">
          <h3 className="font-medium">{t("review.sheet.overall")}</h3>
          <p className="whitespace-pre-line text-slate-700">{sheet.overallComment}</p>
        </div>
      ) : null}
    </section>
  );
}
