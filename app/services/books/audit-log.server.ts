import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import { auditDiff, diffLineText, type DiffLine } from "~/domain/audit-diff";
import { decodeCursor, keysetPage, linksOf, type KeysetLinks, type Seek } from "~/domain/keyset";
import { csvSafeText } from "~/domain/open-data";
import { maskEmail } from "~/domain/pii";
import { Prisma } from "~/generated/prisma/client";
import { db, type Db } from "~/lib/db.server";
import { formatDateTime, makeT, type Locale } from "~/lib/i18n";
import { textStream } from "~/lib/tabular-export.server";
import { forbidden } from "~/lib/permissions.server";
import { ok, type Result } from "~/lib/result";
import { dayStart, shanghaiIso } from "~/lib/time";
import type { Actor } from "~/services/accounts/actor.server";
import { auditLogScope, type AuditLogScope } from "./access.server";
import { audit } from "./audit.server";
import { verifyAudit } from "./audit-verify.server";

/**
 * The officials' audit log viewer: the hash-chained log (audit.server.ts) read newest first, by
 * keyset on seq (its primary key, so every page is an index range scan), filtered and limited to
 * the records about objects in the reader's areas (books/access.server.ts auditLogScope), with
 * each record's before/after shown as masked changed keys (domain/audit-diff.ts); its CSV export;
 * and the chain's verification run from the page.
 *
 * How a record maps to an area (records hold only an object type and id): the object's project
 * (a Project, or a Tranche, MilestoneReport, Expense, BudgetAdjustment, Beneficiary, Evaluation,
 * ProjectMilestone, CallSample, CallRecord of it, or a Donation earmarked for it) gives the
 * project's area path; else the object's own area (an Area, a Need's area, an Organization's,
 * a RoleGrant's or Invitation's area, a Proposal's community); else its round's area (a Round, or
 * a Proposal, RoundJudge, Objection, PoolDraw, AllocationOverride, Award, ScoreSheet,
 * ReviewAssignment, ConflictDeclaration of it, a Need called into it, a Donation earmarked for
 * it); a foundation's own records (the Foundation, its appropriations, matching campaigns and
 * directed-giving invitations, and gifts to it earmarked for no round or project) give the
 * foundation's area. Any other object (accounts, sign-ins, consents, the ledger, mail,
 * personal-data requests, the audit log itself) has no area: only administrators and officials of
 * a top area read those records. AUDIT_OBJECT_LOOKUPS below is that mapping, one row per kind.
 */

export const AUDIT_PAGE_SIZE = 25;

/** Object types the filter offers (the ones the app writes; any other is still accepted typed in a URL). */
export const AUDIT_OBJECT_TYPES = [
  "Round", "Proposal", "Project", "Tranche", "MilestoneReport", "Expense", "BudgetAdjustment", "Beneficiary", "Evaluation",
  "ProjectMilestone", "CallSample", "CallRecord", "RoundJudge", "Objection", "PoolDraw", "AllocationOverride", "Award",
  "ScoreSheet", "ReviewAssignment", "ConflictDeclaration", "Need", "Organization", "Area", "RoleGrant", "Invitation",
  "Donation", "Foundation", "Appropriation", "MatchingCampaign", "DirectedInvitation", "User", "Consent", "PersonalDataExport", "EmailMessage",
  "LedgerTransaction", "CalendarYearEntry", "AuditLog", "Export",
] as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((s) => s || undefined)
    .optional()
    .catch(undefined);
const day = z
  .string()
  .trim()
  .regex(DAY)
  .refine((d) => !Number.isNaN(dayStart(d).getTime()))
  .optional()
  .catch(undefined);

/** The filters of the list and of the export, as the query string carries them; a malformed one is ignored. */
export const AuditFilters = z.object({
  round: text(40),
  project: text(40),
  person: text(200),
  action: text(100),
  type: text(60),
  from: day,
  to: day,
});
export type AuditFilters = z.infer<typeof AuditFilters>;

export function parseAuditFilters(search: URLSearchParams): AuditFilters {
  return AuditFilters.parse(Object.fromEntries(["round", "project", "person", "action", "type", "from", "to"].map((k) => [k, search.get(k) ?? undefined])));
}

/** LIKE's own characters, escaped, so a filter value matches as typed. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Where each kind of audited object leads: the SQL (over `a."objectId"`) of its project, its round
 * and its area, for the kinds that have one. An object kind not listed here has no area: its
 * records are seen by the officials who see unmapped records. One row per kind, so that a new
 * audited table is one line here.
 */
const byId = (table: string, column: string) => `(SELECT "${column}" FROM "${table}" WHERE id = a."objectId")`;
const foundationArea = (table: string) => `(SELECT f."areaId" FROM "${table}" x JOIN "Foundation" f ON f.id = x."foundationId" WHERE x.id = a."objectId")`;
export const AUDIT_OBJECT_LOOKUPS: Record<string, { project?: string; round?: string; area?: string }> = {
  Project: { project: `a."objectId"` },
  Tranche: { project: byId("Tranche", "projectId") },
  MilestoneReport: { project: byId("MilestoneReport", "projectId") },
  Expense: { project: byId("Expense", "projectId") },
  BudgetAdjustment: { project: byId("BudgetAdjustment", "projectId") },
  Beneficiary: { project: byId("Beneficiary", "projectId") },
  Evaluation: { project: byId("Evaluation", "projectId") },
  ProjectMilestone: { project: byId("ProjectMilestone", "projectId") },
  CallSample: { project: byId("CallSample", "projectId") },
  CallRecord: { project: `(SELECT s."projectId" FROM "CallRecord" c JOIN "CallSample" s ON s.id = c."sampleId" WHERE c.id = a."objectId")` },
  // a gift: its project, else its round, else its foundation's area
  Donation: {
    project: byId("Donation", "projectId"),
    round: byId("Donation", "roundId"),
    area: `(SELECT f."areaId" FROM "Donation" x JOIN "Foundation" f ON f.id = x."foundationId" WHERE x.id = a."objectId" AND x."roundId" IS NULL AND x."projectId" IS NULL)`,
  },
  Round: { round: `a."objectId"` },
  Proposal: { round: byId("Proposal", "roundId"), area: byId("Proposal", "communityId") },
  RoundJudge: { round: byId("RoundJudge", "roundId") },
  Objection: { round: byId("Objection", "roundId") },
  PoolDraw: { round: byId("PoolDraw", "roundId") },
  AllocationOverride: { round: byId("AllocationOverride", "roundId") },
  Award: { round: byId("Award", "roundId") },
  ScoreSheet: { round: byId("ScoreSheet", "roundId") },
  ReviewAssignment: { round: byId("ReviewAssignment", "roundId") },
  ConflictDeclaration: { round: `(SELECT p."roundId" FROM "ConflictDeclaration" c JOIN "Proposal" p ON p.id = c."proposalId" WHERE c.id = a."objectId")` },
  Need: { round: byId("Need", "roundId"), area: byId("Need", "areaId") },
  Area: { area: `a."objectId"` },
  Organization: { area: byId("Organization", "areaId") },
  RoleGrant: { area: byId("RoleGrant", "areaId") },
  Invitation: { area: byId("Invitation", "areaId") },
  // the money of a foundation: the officials of its area see how it was set up and moved
  Foundation: { area: byId("Foundation", "areaId") },
  Appropriation: { area: foundationArea("Appropriation") },
  MatchingCampaign: { area: foundationArea("MatchingCampaign") },
  DirectedInvitation: { area: foundationArea("DirectedInvitation") },
};

/** `CASE a."objectType" WHEN … END` over the lookups that give `key` (constant SQL: no input in it). */
function lookupCase(key: "project" | "round" | "area"): Prisma.Sql {
  const whens = Object.entries(AUDIT_OBJECT_LOOKUPS).flatMap(([type, l]) => (l[key] ? [`WHEN '${type}' THEN ${l[key]}`] : []));
  return Prisma.raw(`CASE a."objectType" ${whens.join(" ")} END`);
}
const PROJECT_OF = lookupCase("project");
const ROUND_OF = lookupCase("round");
const AREA_OF = lookupCase("area");

/**
 * The FROM of every read: each record with the project, round and area path of its object (see
 * the module comment), and its actor. Every lookup is a LATERAL subquery with LIMIT 1, which
 * PostgreSQL does not flatten into a join: the plan stays "walk the primary key from the cursor,
 * look up each record's object, keep those in scope, stop at the page's size", instead of joining
 * the whole log to the projects and rounds and sorting it (seconds at 100,000 records; see
 * scripts/bench-audit.ts).
 */
const scopedFrom = (records: Prisma.Sql) => Prisma.sql`
  (${records}) a
  LEFT JOIN LATERAL (SELECT ${PROJECT_OF} AS pid, ${ROUND_OF} AS rid, ${AREA_OF} AS aid) k ON true
  LEFT JOIN LATERAL (SELECT p."referenceNo", p."areaPath", p."roundId" FROM "Project" p WHERE p.id = k.pid LIMIT 1) pj ON true
  LEFT JOIN LATERAL (SELECT r.code, ar.path FROM "Round" r JOIN "Area" ar ON ar.id = r."areaId" WHERE r.id = coalesce(k.rid, pj."roundId") LIMIT 1) rd ON true
  LEFT JOIN LATERAL (SELECT ar.path FROM "Area" ar WHERE ar.id = k.aid LIMIT 1) oa ON true
  LEFT JOIN LATERAL (SELECT us.name, us.email FROM "User" us WHERE us.id = a."actorId" LIMIT 1) u ON true`;

/** The area path of a record's object, null when it has none. */
const AREA_PATH = Prisma.sql`coalesce(pj."areaPath", oa.path, rd.path)`;

function scopeCondition(scope: AuditLogScope): Prisma.Sql {
  if (scope.all) return Prisma.sql`TRUE`;
  const within = scope.roots.map((r) => Prisma.sql`starts_with(${AREA_PATH}, ${r})`);
  if (scope.unmapped) within.push(Prisma.sql`${AREA_PATH} IS NULL`);
  return Prisma.sql`(${Prisma.join(within, " OR ")})`;
}

/** Conditions on the object's round, project and actor (read by the lookups). */
function lookupConditions(f: AuditFilters): Prisma.Sql[] {
  const c: Prisma.Sql[] = [];
  if (f.round) c.push(Prisma.sql`rd.code = ${f.round}`);
  if (f.project) c.push(Prisma.sql`pj."referenceNo" = ${f.project}`);
  if (f.person) {
    const like = `%${likeEscape(f.person)}%`;
    c.push(Prisma.sql`(u.email ILIKE ${like} OR u.name ILIKE ${like})`);
  }
  return c;
}

/** Conditions on the record's own columns. */
function recordConditions(f: AuditFilters): Prisma.Sql[] {
  const c: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (f.action) c.push(Prisma.sql`r.action LIKE ${`${likeEscape(f.action)}%`}`);
  if (f.type) c.push(Prisma.sql`r."objectType" = ${f.type}`);
  if (f.from) c.push(Prisma.sql`r.at >= ${dayStart(f.from)}`);
  if (f.to) c.push(Prisma.sql`r.at < ${new Date(dayStart(f.to).getTime() + 86_400_000)}`);
  return c;
}

interface AuditRow {
  seq: bigint;
  at: Date;
  actorId: string | null;
  action: string;
  objectType: string;
  objectId: string;
  before: unknown;
  after: unknown;
  actorName: string | null;
  actorEmail: string | null;
  roundCode: string | null;
  projectRef: string | null;
}

const SELECT = Prisma.sql`a.seq, a.at, a."actorId", a.action, a."objectType", a."objectId", a.before, a.after,
  u.name AS "actorName", u.email AS "actorEmail", rd.code AS "roundCode", pj."referenceNo" AS "projectRef"`;

/**
 * Up to `take` rows older than the key, newest first, or newer than it, oldest first. The records
 * are read in seq order in a subquery the planner keeps apart (OFFSET 0), and the lookups and the
 * scope run on them one by one until the page is full: a page costs the records walked to fill
 * it, not the whole log (a narrow scope or a rare filter walks further).
 */
async function readRows(client: Db, scope: AuditLogScope, filters: AuditFilters, seek: Seek<readonly [string]>): Promise<AuditRow[]> {
  const own = recordConditions(filters);
  if (seek.key) own.push(seek.backward ? Prisma.sql`r.seq > ${BigInt(seek.key[0])}` : Prisma.sql`r.seq < ${BigInt(seek.key[0])}`);
  const inner = seek.backward ? Prisma.sql`r.seq ASC` : Prisma.sql`r.seq DESC`;
  const outer = seek.backward ? Prisma.sql`a.seq ASC` : Prisma.sql`a.seq DESC`;
  const records = Prisma.sql`SELECT r.* FROM "AuditLog" r WHERE ${Prisma.join(own, " AND ")} ORDER BY ${inner} OFFSET 0`;
  const where = [scopeCondition(scope), ...lookupConditions(filters)];
  // The estimated cost of the lookups is far above what the walk costs, which makes PostgreSQL
  // compile the query (JIT): a second of compiling for a millisecond of work. Off for this query.
  const [, rows] = await client.$transaction([
    client.$executeRaw`SET LOCAL jit = off`,
    client.$queryRaw<AuditRow[]>`SELECT ${SELECT} FROM ${scopedFrom(records)} WHERE ${Prisma.join(where, " AND ")} ORDER BY ${outer} LIMIT ${seek.take}`,
  ]);
  return rows;
}

/** One record as the page shows it: no raw JSON, the actor's address masked. */
export interface AuditItem {
  seq: string;
  at: string;
  atText: string;
  actorName: string | null;
  actorEmail: string | null;
  action: string;
  objectType: string;
  objectId: string;
  roundCode: string | null;
  projectRef: string | null;
  changes: DiffLine[];
}

function toItem(locale: Locale, r: AuditRow): AuditItem {
  return {
    seq: r.seq.toString(),
    at: r.at.toISOString(),
    atText: formatDateTime(locale, r.at),
    actorName: r.actorName,
    actorEmail: r.actorEmail ? maskEmail(r.actorEmail) : null,
    action: r.action,
    objectType: r.objectType,
    objectId: r.objectId,
    roundCode: r.roundCode,
    projectRef: r.projectRef,
    changes: auditDiff(r.before ?? null, r.after ?? null),
  };
}

export interface AuditLogPage {
  items: AuditItem[];
  pager: KeysetLinks;
  /** whether the reader also sees records whose object has no area */
  seesUnmapped: boolean;
}

const SeqKey = z.tuple([z.string().regex(/^\d{1,19}$/)]);

function scopeOf(actor: Pick<Actor, "grants">): AuditLogScope {
  const scope = auditLogScope(actor);
  if (!scope) forbidden();
  return scope;
}

/** A page of the log for `actor` (403 for anyone who may not read it), newest first. */
export async function listAuditLog(
  actor: Pick<Actor, "id" | "grants">,
  filters: AuditFilters,
  cursor: string | null,
  options: { locale?: Locale; per?: number; client?: Db } = {},
): Promise<AuditLogPage> {
  const scope = scopeOf(actor);
  const client = options.client ?? db();
  const locale = options.locale ?? "zh-CN";
  const list = JSON.stringify(["audit", actor.id, filters]);
  const page = await keysetPage<AuditRow, readonly [string]>({
    scope: list,
    cursor: decodeCursor(cursor, list, SeqKey),
    per: options.per ?? AUDIT_PAGE_SIZE,
    keyOf: (r) => [r.seq.toString()] as const,
    fetch: (seek) => readRows(client, scope, filters, seek),
  });
  return { items: page.items.map((r) => toItem(locale, r)), pager: linksOf(page), seesUnmapped: scope.all || scope.unmapped };
}

const CSV_OPTIONS = { record_delimiter: "windows" } as const;
export const AUDIT_CSV_COLUMNS = ["seq", "time", "actor", "actor_email", "action", "object_type", "object_id", "round", "project", "changes"] as const;

/**
 * The filtered log as CSV, newest first, streamed in batches read by keyset on seq (constant
 * memory however long the log). The export is itself audited ("audit.export", with its filters)
 * before the first byte is sent.
 */
export async function auditLogCsv(
  actor: Pick<Actor, "id" | "grants">,
  filters: AuditFilters,
  options: { locale?: Locale; batchSize?: number; client?: Db } = {},
): Promise<Response> {
  const scope = scopeOf(actor);
  const client = options.client ?? db();
  const t = makeT(options.locale ?? "zh-CN");
  const batchSize = options.batchSize ?? 1000;
  await client.$transaction((tx) => audit(tx, { actorId: actor.id, action: "audit.export", objectType: "AuditLog", objectId: "export", after: { filters } }));
  const hidden = (why: "encrypted" | "secret") => t(`audit.hidden.${why}`);
  async function* chunks(): AsyncGenerator<string> {
    yield "\uFEFF" + stringify([[...AUDIT_CSV_COLUMNS]], CSV_OPTIONS);
    let key: readonly [string] | null = null;
    for (;;) {
      const rows = await readRows(client, scope, filters, { key, backward: false, take: batchSize });
      if (!rows.length) return;
      yield stringify(
        rows.map((r) => [
          r.seq.toString(),
          shanghaiIso(r.at),
          csvSafeText(r.actorName ?? ""),
          r.actorEmail ? maskEmail(r.actorEmail) : "",
          csvSafeText(r.action),
          r.objectType,
          r.objectId,
          r.roundCode ?? "",
          r.projectRef ?? "",
          csvSafeText(auditDiff(r.before ?? null, r.after ?? null).map((l) => diffLineText(l, hidden)).join("; ")),
        ]),
        CSV_OPTIONS,
      );
      if (rows.length < batchSize) return;
      key = [rows.at(-1)!.seq.toString()];
    }
  }
  const body = textStream(chunks(), "audit log export");
  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-log.csv"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** What the page shows after a verification. */
export interface ChainCheck {
  intact: boolean;
  records: number;
  headSeq: string | null;
  headHash: string;
  /** the first problem found (seq and kind), null when intact */
  firstBroken: { seq: string; kind: string } | null;
  problems: number;
}

/**
 * Verifies the whole chain in the request (verifyAudit streams it in batches of 5,000 in
 * constant memory) and appends an "audit.verify" record with the result. Whoever may read the
 * log may run it (see access.server.ts); 403 for anyone else.
 */
export async function verifyAuditChain(actor: Pick<Actor, "id" | "grants">, options: { client?: Db } = {}): Promise<Result<{ check: ChainCheck }>> {
  scopeOf(actor);
  const client = options.client ?? db();
  const report = await verifyAudit(client);
  const first = report.problems[0] ?? null;
  const check: ChainCheck = {
    intact: report.problems.length === 0,
    records: report.records,
    headSeq: report.headSeq,
    headHash: report.headHash,
    firstBroken: first ? { seq: first.seq, kind: first.kind } : null,
    problems: report.problems.length + report.problemsNotListed,
  };
  await client.$transaction((tx) => audit(tx, { actorId: actor.id, action: "audit.verify", objectType: "AuditLog", objectId: report.headSeq ?? "0", after: { ...check } }));
  return ok({ check });
}
