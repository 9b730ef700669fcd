import { dayRanges, type NoticeBasis } from "~/domain/statutory-calendar";
import { formatDateTime, useLocale, useT, type Locale } from "~/lib/i18n";
import { formatDeadline } from "~/lib/deadline";
import { dayStart } from "~/lib/time";

/** A `YYYY-MM-DD` day as the locale writes dates ("2026/10/01", "10/01/2026"). */
export const formatDay = (locale: Locale, day: string) => formatDateTime(locale, dayStart(day), false);

/** Runs of days ("2026/10/01–2026/10/07、2026/10/10"); `names` labels a run by its first day (国庆节). */
export function formatRanges(locale: Locale, ranges: readonly { from: string; to: string; zh?: string; en?: string }[]): string {
  return ranges
    .map((r) => {
      const name = locale === "en" ? r.en : r.zh;
      const span = r.from === r.to ? formatDay(locale, r.from) : `${formatDay(locale, r.from)}–${formatDay(locale, r.to)}`;
      return name ? `${name} ${span}` : span;
    })
    .join(locale === "en" ? ", " : "、");
}

/**
 * The exact end of a notice (date and time, Asia/Shanghai) and how it was counted: the working days,
 * the make-up days among them, the holidays and weekends passed over, and where each year's holidays
 * come from. Without a kept basis (awards published before it was kept) it shows the end alone.
 */
export function NoticeCounting({ end, basis, testId = "notice-counting" }: { end: string; basis: NoticeBasis | null; testId?: string }) {
  const t = useT();
  const locale = useLocale();
  const sep = locale === "en" ? ", " : "、";
  const day = (d: string) => formatDay(locale, d);
  const ranges = (days: readonly string[]) => formatRanges(locale, dayRanges(days));
  const endText = formatDeadline(locale, end, { zone: false });
  if (!basis) {
    return (
      <div data-testid={testId}>
        <p data-testid="notice-end">{t("notice.counting.endOnly", { end: endText })}</p>
      </div>
    );
  }
  const makeup = new Set(basis.makeupWorkdays);
  const counted = basis.counted.map((d) => `${day(d)}${makeup.has(d) ? t("notice.counting.makeupMark") : ""}`).join(sep);
  const sources = basis.years.map((y) => t(`notice.counting.source.${y.origin}`, { year: y.year, detail: y.detail })).join(locale === "en" ? "; " : "；");
  return (
    <div data-testid={testId} className="space-y-1">
      <p data-testid="notice-end" className="font-medium">{t("notice.counting.end", { end: endText, last: day(basis.counted.at(-1)!) })}</p>
      <ul className="list-disc space-y-0.5 pl-5 text-sm text-slate-700">
        <li data-testid="notice-counted">{t("notice.counting.counted", { days: basis.workingDays, list: counted })}</li>
        {basis.holidays.length ? <li data-testid="notice-holidays">{t("notice.counting.holidays", { list: ranges(basis.holidays) })}</li> : null}
        {basis.weekendDays.length ? <li data-testid="notice-weekends">{t("notice.counting.weekends", { list: ranges(basis.weekendDays) })}</li> : null}
        <li data-testid="notice-sources">{t("notice.counting.sources", { list: sources })}</li>
      </ul>
    </div>
  );
}
