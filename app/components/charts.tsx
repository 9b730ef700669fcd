import { useId } from "react";
import { formatFen } from "~/domain/money";
import { useT } from "~/lib/i18n";

/**
 * Charts of money drawn as plain HTML: rendered whole on the server (nothing to measure in the
 * browser, unlike recharts' responsive container on the officials' dashboard), readable without
 * JavaScript and at 390 px. Each bar's label and amount are text beside it, so the chart is its
 * own text alternative; the bars themselves are hidden from screen readers.
 */

export interface FlowStage {
  key: string;
  label: string;
  fen: number;
  /** a second, darker part of the bar: of `fen`, how much has gone on (paid, spent) */
  partFen?: number;
  partLabel?: string;
}

const BAR_COLOURS = ["bg-brand-700", "bg-emerald-700", "bg-amber-600", "bg-sky-700", "bg-violet-700", "bg-slate-700"];

/** The stages money passes through (in → fund → rounds → projects → spending), one bar each, to one scale. */
export function MoneyFlowChart({ stages, caption, testId = "money-flow-chart" }: { stages: readonly FlowStage[]; caption: string; testId?: string }) {
  const captionId = useId();
  const max = Math.max(1, ...stages.map((s) => Math.abs(s.fen)));
  const width = (fen: number) => `${Math.max(0, Math.min(100, (Math.abs(fen) / max) * 100)).toFixed(1)}%`;
  return (
    <figure aria-labelledby={captionId} className="rounded-lg bg-white p-4 shadow-sm" data-testid={testId}>
      <figcaption id={captionId} className="text-sm font-medium text-slate-800">{caption}</figcaption>
      <ol className="mt-3 space-y-3">
        {stages.map((s, i) => (
          <li key={s.key} className="grid gap-1 sm:grid-cols-[minmax(8rem,12rem)_1fr] sm:items-center sm:gap-3" data-testid={`flow-${s.key}`}>
            <p className="flex flex-wrap justify-between gap-x-2 text-sm sm:block">
              <span className="font-medium">{s.label}</span>
              <span className="tabular-nums text-slate-800 sm:block">{formatFen(s.fen)}</span>
            </p>
            <div>
              <div className="h-5 w-full overflow-hidden rounded bg-slate-100" aria-hidden="true">
                <div className={`relative h-full rounded ${BAR_COLOURS[i % BAR_COLOURS.length]} opacity-40`} style={{ width: width(s.fen) }}>
                  {s.partFen !== undefined ? (
                    <div className={`absolute inset-y-0 left-0 rounded ${BAR_COLOURS[i % BAR_COLOURS.length]}`} style={{ width: s.fen ? `${Math.max(0, Math.min(100, (s.partFen / s.fen) * 100)).toFixed(1)}%` : "0%" }} />
                  ) : null}
                </div>
              </div>
              {s.partFen !== undefined && s.partLabel ? <p className="mt-0.5 text-xs text-slate-600">{s.partLabel}</p> : null}
            </div>
          </li>
        ))}
      </ol>
    </figure>
  );
}

/** A matching campaign's progress: how much of the sponsor's pool has matched gifts, as a bar with its figures in words. */
export function CampaignProgress({ matchedFen, fundedFen, raisedFen, testId = "campaign-progress-chart" }: { matchedFen: number; fundedFen: number; raisedFen?: number; testId?: string }) {
  const t = useT();
  const labelId = useId();
  const percent = fundedFen > 0 ? Math.min(100, Math.max(0, Math.round((matchedFen / fundedFen) * 100))) : 0;
  return (
    <div data-testid={testId}>
      <p id={labelId} className="mb-1 text-sm text-slate-700">
        {t("home.give.progress", { matched: formatFen(matchedFen), funded: formatFen(fundedFen) })}
        {raisedFen !== undefined ? ` · ${t("home.give.raised", { amount: formatFen(raisedFen) })}` : ""}
      </p>
      <div
        role="progressbar"
        aria-labelledby={labelId}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}%`}
        className="h-3 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div className="h-full rounded-full bg-emerald-700" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
