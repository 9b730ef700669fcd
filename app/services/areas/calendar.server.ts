import {
  dayRanges,
  entryChanges,
  entryDigest,
  formatDayList,
  mergeCalendar,
  noticeBasis,
  validateYearEntry,
  YearEntrySchema,
  type NoticeBasis,
  type YearEntry,
  type YearOrigin,
} from "~/domain/statutory-calendar";
import { countWorkingDays, type WorkingCalendar, type YearArrangement } from "~/domain/working-days";
import { packageCalendar } from "~/lib/chinese-days.server";
import { db } from "~/lib/db.server";
import { advisoryLock } from "~/lib/locks.server";
import { fail, fromIssues, invalid, ok, type Result } from "~/lib/result";
import { shanghaiDay } from "~/lib/time";
import type { Actor } from "~/services/accounts/actor.server";
import { audit } from "~/services/books/audit.server";
import type { Client } from "~/lib/db.server";
import { mayEditCalendar, requireCalendarEditor, requireCalendarReader } from "./access.server";

/**
 * The working-day calendar (docs/decisions/016-statutory-working-days.md): the State Council's holidays
 * and make-up working days of each year, from the chinese-days package, with the officials' entries
 * (CalendarYearEntry) winning over it year by year. Every working-day computation reads it here, afresh
 * (an official may add or correct a year at any time), and hands it to the pure rules in
 * domain/working-days.ts. It is one calendar for all areas, so it lives in the areas wing beside the
 * area tree; the awards wing counts its notices with it.
 */

export interface CalendarInForce {
  calendar: WorkingCalendar;
  origins: ReadonlyMap<number, YearOrigin>;
}

/** The calendar in force: the package's years with the newest officials' entry of each year over them. */
export async function calendarInForce(client: Client = db()): Promise<CalendarInForce> {
  const pkg = packageCalendar();
  const entries = await client.calendarYearEntry.findMany({ orderBy: [{ year: "asc" }, { createdAt: "asc" }] });
  return mergeCalendar(pkg.years, pkg.version, entries);
}

export type NoticeCount = { ok: true; end: Date; basis: NoticeBasis } | { ok: false; missingYear: number };

/**
 * A notice of `workingDays` working days published at `start`, counted with the calendar in force: its
 * end and how it was counted, or the first year the calendar lacks (the caller refuses to go on).
 */
export async function countNotice(client: Client, start: Date, workingDays: number): Promise<NoticeCount> {
  const { calendar, origins } = await calendarInForce(client);
  const count = countWorkingDays(start, workingDays, calendar);
  return count.ok ? { ok: true, end: count.end, basis: noticeBasis(count, origins) } : count;
}

// ───────────────────────────── the officials' page ─────────────────────────────

type Named = { from: string; to: string; zh: string; en: string };

/** Runs of days with the package's holiday names where it has them. */
function named(days: readonly string[]): Named[] {
  const names = packageCalendar().names;
  return dayRanges(days).map((r) => ({ ...r, zh: names.get(r.from)?.zh ?? "", en: names.get(r.from)?.en ?? "" }));
}

/**
 * Every year the calendar knows (newest first) with its days and where they come from, the years a
 * notice published from now on may soon need but the calendar lacks, who entered what, and — when `year`
 * is asked for — the form prefilled with that year's days for a correction.
 */
export async function calendarPage(actor: Pick<Actor, "grants">, year: number | null = null, now = new Date()) {
  requireCalendarReader(actor);
  const { calendar, origins } = await calendarInForce();
  const entries = await db().calendarYearEntry.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 50 });
  const people = new Map(
    (await db().user.findMany({ where: { id: { in: [...new Set(entries.map((e) => e.enteredById))] } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]),
  );
  const thisYear = Number(shanghaiDay(now).slice(0, 4));
  const years = [...calendar].sort(([a], [b]) => b - a).map(([y, a]) => {
    const origin = origins.get(y)!;
    return {
      year: y,
      origin: origin.kind,
      detail: origin.kind === "package" ? `chinese-days ${origin.version}` : origin.source,
      enteredAt: origin.kind === "officials" ? origin.enteredAt : null,
      enteredBy: origin.kind === "officials" ? (people.get(origin.enteredById) ?? "") : null,
      holidays: named(a.holidays),
      makeupWorkdays: named(a.makeupWorkdays),
      holidayCount: a.holidays.length,
      makeupCount: a.makeupWorkdays.length,
    };
  });
  const editing = year !== null && calendar.has(year) ? calendar.get(year)! : null;
  const editingOrigin = year !== null ? origins.get(year) : undefined;
  return {
    packageVersion: packageCalendar().version,
    years,
    /** this year and the next, when the calendar lacks them: notices that reach them are refused */
    missing: [thisYear, thisYear + 1].filter((y) => !calendar.has(y)),
    canEdit: mayEditCalendar(actor),
    history: entries.map((e) => ({
      id: e.id,
      year: e.year,
      holidayCount: e.holidays.length,
      makeupCount: e.makeupWorkdays.length,
      source: e.source,
      enteredBy: people.get(e.enteredById) ?? "",
      createdAt: e.createdAt.toISOString(),
    })),
    form:
      year === null
        ? null
        : {
            year,
            holidays: editing ? formatDayList(editing.holidays) : "",
            makeupWorkdays: editing ? formatDayList(editing.makeupWorkdays) : "",
            source: editingOrigin?.kind === "officials" ? editingOrigin.source : "",
          },
  };
}

export interface YearPreview {
  entry: YearEntry;
  /** what the official confirms; the save must carry it unchanged */
  digest: string;
  /** null: a year the calendar does not know yet */
  replaces: "package" | "officials" | null;
  holidays: Named[];
  makeupWorkdays: Named[];
  changes: ReturnType<typeof entryChanges>;
}

function parseEntry(raw: unknown): Result<{ entry: YearEntry }> {
  const parsed = YearEntrySchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const checked = validateYearEntry(parsed.data);
  return checked.ok ? ok({ entry: checked.entry }) : invalid(checked.fieldErrors);
}

function previewOf(entry: YearEntry, current: YearArrangement | undefined, origin: YearOrigin | undefined): YearPreview {
  return {
    entry,
    digest: entryDigest(entry),
    replaces: origin?.kind ?? null,
    holidays: named(entry.holidays),
    makeupWorkdays: named(entry.makeupWorkdays),
    changes: entryChanges(current, entry),
  };
}

/** Checks a year's entry and shows what saving it would change; writes nothing. */
export async function checkCalendarYear(actor: Pick<Actor, "grants">, raw: unknown): Promise<Result<{ preview: YearPreview }>> {
  requireCalendarEditor(actor);
  const parsed = parseEntry(raw);
  if (!parsed.ok) return parsed;
  const { calendar, origins } = await calendarInForce();
  return ok({ preview: previewOf(parsed.entry, calendar.get(parsed.entry.year), origins.get(parsed.entry.year)) });
}

/**
 * Saves a year's entry the official checked and confirmed (`reviewed` is the digest the check showed):
 * from now on every working-day count uses it for that year instead of the package's. Audited with the
 * arrangement it replaces. Refused (409) when the entry differs from what was checked.
 */
export async function saveCalendarYear(actor: Pick<Actor, "id" | "grants">, raw: unknown): Promise<Result<{ year: number }>> {
  requireCalendarEditor(actor);
  const parsed = parseEntry(raw);
  if (!parsed.ok) return parsed;
  const { entry } = parsed;
  const reviewed = raw && typeof raw === "object" && "reviewed" in raw ? String((raw as { reviewed: unknown }).reviewed ?? "") : "";
  if (reviewed !== entryDigest(entry)) return fail(409, "calendar.reviewChanged");
  return db().$transaction(async (tx) => {
    await advisoryLock(tx, `calendar:${entry.year}`);
    const { calendar, origins } = await calendarInForce(tx);
    const current = calendar.get(entry.year);
    const origin = origins.get(entry.year);
    const row = await tx.calendarYearEntry.create({ data: { ...entry, enteredById: actor.id } });
    await audit(tx, {
      actorId: actor.id,
      action: "calendar.year.set",
      objectType: "CalendarYearEntry",
      objectId: row.id,
      before: current
        ? { year: entry.year, origin: origin?.kind ?? null, source: origin?.kind === "officials" ? origin.source : origin?.kind === "package" ? `chinese-days ${origin.version}` : null, holidays: current.holidays, makeupWorkdays: current.makeupWorkdays }
        : null,
      after: { year: entry.year, origin: "officials", source: entry.source, holidays: entry.holidays, makeupWorkdays: entry.makeupWorkdays },
    });
    return ok({ year: entry.year });
  });
}
