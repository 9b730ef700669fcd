/** Asia/Shanghai has kept UTC+8 all year since 1991: a fixed offset, no time-zone database needed. */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The Asia/Shanghai calendar day of an instant, `YYYY-MM-DD` (null stays null). */
export function shanghaiDay(d: Date): string;
export function shanghaiDay(d: Date | null | undefined): string | null;
export function shanghaiDay(d: Date | null | undefined): string | null {
  if (!d) return null;
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new RangeError("not a valid Date");
  return new Date(d.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** An instant as ISO 8601 in Asia/Shanghai: "2026-06-01T09:00:00+08:00" (null stays null). */
export function shanghaiIso(d: Date | null | undefined): string | null {
  if (!d) return null;
  return `${new Date(d.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

/** A calendar day as the instant of its Asia/Shanghai midnight. */
export function dayStart(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}
