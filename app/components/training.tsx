import { formatDateTime, useLocale } from "~/lib/i18n";

/** A training's time in Asia/Shanghai: the day and start, then the end (its time alone when on the same day). */
export function TrainingTime({ startsAt, endsAt }: { startsAt: string; endsAt: string }) {
  const locale = useLocale();
  const start = formatDateTime(locale, startsAt);
  const end = formatDateTime(locale, endsAt);
  const sameDay = formatDateTime(locale, startsAt, false) === formatDateTime(locale, endsAt, false);
  return (
    <time dateTime={startsAt}>
      {start} – {sameDay ? end.slice(end.lastIndexOf(" ") + 1) : end}
    </time>
  );
}
