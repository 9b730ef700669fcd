import { useEffect, useState } from "react";
import { formatDeadline, formatTimeLeft } from "~/lib/deadline";
import { useLocale } from "~/lib/i18n";

/**
 * What is left until a deadline, and the deadline itself (lib/deadline.ts). Rendered on the server
 * from the loader's `now`, so the text is there without JavaScript (and the browser's first render
 * matches it); in the browser it then counts from the browser's clock, once a minute. Not a live
 * region: a screen reader is not interrupted every minute.
 */
export function Countdown({ end, now, testId = "countdown" }: { end: string; now: string; testId?: string }) {
  const locale = useLocale();
  const [at, setAt] = useState(now);
  useEffect(() => {
    const tick = () => setAt(new Date().toISOString());
    tick();
    const timer = setInterval(tick, 60_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <p data-testid={testId}>
      <strong className="text-lg font-semibold" data-testid={`${testId}-left`}>{formatTimeLeft(locale, end, at)}</strong>
      <span className="mx-1" aria-hidden="true">·</span>
      <time dateTime={end} data-testid={`${testId}-deadline`}>{formatDeadline(locale, end)}</time>
    </p>
  );
}
