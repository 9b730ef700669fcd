import { translate, type Locale } from "./i18n";
import { SHANGHAI_OFFSET_MS } from "./time";

/**
 * Deadlines and ends of periods (docs/decisions/029-deadlines-and-first-impressions.md).
 *
 * Every deadline the platform keeps is an exclusive instant: proposals are accepted while
 * `now < proposalsDeadline`, a notice runs until `noticeEndsAt`, and those instants are the
 * Asia/Shanghai midnight that starts the day after the last one. Written as a date alone
 * ("2026/12/20") a reader takes the 20th to be the last day; written as "2026/12/20 00:00" the
 * reader has to know that midnight starts the day. So a deadline is written as its last day and
 * hour: an instant at Shanghai midnight is "24:00 of the day before" ("2026-12-19 24:00",
 * "19 Dec 2026, 24:00"), any other instant its own day and minute, always with the zone.
 */

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The last day (`YYYY-MM-DD`) and hour (`HH:mm`, "24:00" for a midnight) of a period ending at `end`, Asia/Shanghai. */
export function deadlineParts(end: Date | string | number): { day: string; time: string } {
  const ms = new Date(end).getTime();
  if (Number.isNaN(ms)) throw new RangeError("not a valid instant");
  // whole minutes: a deadline is never shown to the second
  const wall = new Date(Math.floor((ms + SHANGHAI_OFFSET_MS) / MINUTE) * MINUTE);
  if (wall.getUTCHours() === 0 && wall.getUTCMinutes() === 0) {
    return { day: new Date(wall.getTime() - DAY).toISOString().slice(0, 10), time: "24:00" };
  }
  return { day: wall.toISOString().slice(0, 10), time: wall.toISOString().slice(11, 16) };
}

/** A `YYYY-MM-DD` day as a deadline writes it: "2026-12-19" in Chinese, "19 Dec 2026" in English. */
export function deadlineDay(locale: Locale, day: string): string {
  if (locale !== "en") return day;
  const [y, m, d] = day.split("-");
  return `${Number(d)} ${MONTHS[Number(m) - 1]} ${y}`;
}

/**
 * A deadline, unambiguous: "2026-12-19 24:00（北京时间）", "19 Dec 2026, 24:00 (Beijing time)".
 * `zone: false` leaves the zone out, for a sentence that names it already.
 */
export function formatDeadline(locale: Locale, end: Date | string | number, options: { zone?: boolean } = {}): string {
  const { day, time } = deadlineParts(end);
  return translate(locale, options.zone === false ? "deadline.at" : "deadline.atZone", { day: deadlineDay(locale, day), time });
}

/** Whole days, hours and minutes from `now` to `end` (all 0 once it has passed). */
export function timeLeft(end: Date | string | number, now: Date | string | number): { days: number; hours: number; minutes: number; passed: boolean } {
  const ms = new Date(end).getTime() - new Date(now).getTime();
  if (!(ms > 0)) return { days: 0, hours: 0, minutes: 0, passed: true };
  return { days: Math.floor(ms / DAY), hours: Math.floor((ms % DAY) / HOUR), minutes: Math.floor((ms % HOUR) / MINUTE), passed: false };
}

/** What is left until a deadline: "还剩 12 天 5 小时", "12 days 5 h left"; under a day, hours and minutes; "已截止" once passed. */
export function formatTimeLeft(locale: Locale, end: Date | string | number, now: Date | string | number): string {
  const left = timeLeft(end, now);
  if (left.passed) return translate(locale, "deadline.passed");
  if (left.days > 0) return translate(locale, left.days === 1 ? "deadline.left.day" : "deadline.left.days", { days: left.days, hours: left.hours });
  return translate(locale, "deadline.left.hours", { hours: left.hours, minutes: left.minutes });
}
