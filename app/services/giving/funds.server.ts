import {
  AppropriationFormSchema,
  areaFinanceSource,
  foundationData,
  FoundationFormSchema,
  FOUNDATION_SLUG,
  RECEIPT_PREFIX,
  shanghaiDayStart,
} from "~/domain/funds";
import { accountCodes, transfer } from "~/domain/ledger";
import { withParams } from "~/domain/messages";
import { pageOf } from "~/domain/money";
import { RECEIPT_MAX_BYTES } from "~/domain/monitoring";
import { canSetUpFunds } from "~/domain/permissions";
import { appropriationNeedsConfirm, APPROPRIATION_POSTING_MAX_FEN, postingAmount } from "~/domain/posting-limits";
import { db, type Tx } from "~/lib/db.server";
import { notFound } from "~/lib/permissions.server";
import { fail, fromIssues, ok, Refusal, refusedOr, type FieldErrors, type Result } from "~/lib/result";
import { readUpload, saveUpload, UploadError } from "~/lib/uploads.server";
import type { Actor } from "~/services/accounts/actor.server";
import { audit } from "~/services/books/audit.server";
import { balanceFen, ensureAccount, postTransaction } from "~/services/books/ledger.server";
import { fundScope, requireFundOfficial } from "./access.server";
import { foundationLedgerSummary } from "./foundation-pages.server";

/**
 * Setting up an area's money without the seed (officials of a subdistrict or higher, see
 * access.server.ts fundScope): creating a foundation and booking government appropriations
 * (财政拨款) into it. A round's pool is then drawn from it through the rounds wing's pool draws.
 */

export const FOUNDATION_LIST_PAGE_SIZE = 20;
export const APPROPRIATION_LIST_PAGE_SIZE = 20;
/** An appropriation's document scan: the size a receipt may have. */
export const APPROPRIATION_ATTACHMENT_MAX_BYTES = RECEIPT_MAX_BYTES;

const isUniqueViolation = (e: unknown) => !!e && typeof e === "object" && (e as { code?: string }).code === "P2002";

/** Where clause for foundations of the areas below `roots` (null: every foundation). */
const foundationsWithin = (roots: string[] | null) => (roots === null ? {} : { OR: roots.map((p) => ({ area: { path: { startsWith: p } } })) });

/** The areas `actor` may create a foundation in (their administered areas and every area below), in tree order. */
export async function fundAreaOptions(actor: Pick<Actor, "grants">) {
  const roots = fundScope(actor);
  const areas = await db().area.findMany({
    where: roots === null ? {} : { OR: roots.map((p) => ({ path: { startsWith: p } })) },
    select: { id: true, code: true, nameZh: true, nameEn: true, level: true, path: true },
    orderBy: { path: "asc" },
  });
  // depth below the topmost area offered (0 for it), for the options' indentation
  const depthOf = (path: string) => path.split("/").length - 2;
  const top = Math.min(...areas.map((a) => depthOf(a.path)));
  return areas.map((a) => ({ id: a.id, nameZh: a.nameZh, nameEn: a.nameEn, level: a.level, depth: depthOf(a.path) - top }));
}

/** The foundations of the areas `actor` sets up money for, with what each has available, one page at a time (oldest first). */
export async function listFundFoundations(actor: Pick<Actor, "grants">, requestedPage: unknown) {
  const where = foundationsWithin(fundScope(actor));
  const total = await db().foundation.count({ where });
  const { page, pages, skip, take } = pageOf(requestedPage, total, FOUNDATION_LIST_PAGE_SIZE);
  const rows = await db().foundation.findMany({
    where,
    select: { id: true, slug: true, nameZh: true, nameEn: true, receiptPrefix: true, fundraisingFilingNo: true, area: { select: { nameZh: true, nameEn: true } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    skip,
    take,
  });
  const items = await Promise.all(rows.map(async (f) => ({ ...f, availableFen: await balanceFen(db(), accountCodes.foundationAvailable(f.id)) })));
  return { items, total, page, pages };
}

const text = (raw: unknown, key: string) => {
  const v = raw && typeof raw === "object" ? (raw as Record<string, unknown>)[key] : undefined;
  return typeof v === "string" ? v.trim() : "";
};

/**
 * The checks of a new foundation that need the database — its area (one the official sets up
 * money for), a slug and a receipt prefix no other foundation has — added to the form's own
 * problems, so that every problem is said in one answer.
 */
async function databaseProblems(actor: Pick<Actor, "grants">, raw: unknown): Promise<FieldErrors> {
  const problems: FieldErrors = {};
  const areaId = text(raw, "areaId");
  if (areaId) {
    const area = await db().area.findUnique({ where: { id: areaId }, select: { path: true } });
    if (!area) problems.areaId = ["funds.area.required"];
    else if (!canSetUpFunds(actor, area.path)) problems.areaId = ["funds.area.notYours"];
  }
  const slug = text(raw, "slug").toLowerCase();
  if (FOUNDATION_SLUG.test(slug) && (await db().foundation.findUnique({ where: { slug }, select: { id: true } }))) problems.slug = ["funds.slug.taken"];
  const prefix = text(raw, "receiptPrefix").toUpperCase();
  if (RECEIPT_PREFIX.test(prefix)) {
    const holder = await db().foundation.findUnique({ where: { receiptPrefix: prefix }, select: { nameZh: true } });
    if (holder) problems.receiptPrefix = [withParams("funds.prefix.taken", { name: holder.nameZh })];
  }
  return problems;
}

const merge = (a: FieldErrors, b: FieldErrors): FieldErrors => {
  const out: Record<string, string[]> = { ...a } as Record<string, string[]>;
  for (const [k, v] of Object.entries(b)) out[k] = [...(out[k] ?? []), ...(v ?? [])];
  return out;
};

/** Every problem of a new foundation — the form's and the database's — at once; nothing is written. */
export async function checkFoundation(actor: Pick<Actor, "grants">, raw: unknown): Promise<Result<{ data: ReturnType<typeof foundationData> }>> {
  const parsed = FoundationFormSchema.safeParse(raw);
  const fromDb = await databaseProblems(actor, raw);
  if (!parsed.success) {
    const f = fromIssues(parsed.error.issues);
    return fail(f.problem.status, f.problem.formErrors, { fieldErrors: merge(f.problem.fieldErrors, fromDb) });
  }
  if (fromDb.areaId?.includes("funds.area.notYours")) return fail(403, [], { fieldErrors: fromDb });
  if (Object.keys(fromDb).length) return fail(fromDb.areaId ? 400 : 409, [], { fieldErrors: fromDb });
  return ok({ data: foundationData(parsed.data) });
}

/**
 * Creates a foundation in an area the official sets up money for, with its available-funds
 * account, audited, in one transaction. Its receipt prefix is unique across foundations (checked
 * first, and by the unique index when two officials choose the same prefix at the same moment).
 * Nothing is booked: money comes in by an appropriation (recordAppropriation) or gifts.
 */
export async function createFoundation(actor: Pick<Actor, "id" | "grants">, raw: unknown): Promise<Result<{ slug: string; id: string }>> {
  const checked = await checkFoundation(actor, raw);
  if (!checked.ok) return checked;
  const { data } = checked;
  try {
    const created = await db().$transaction(async (tx) => {
      const f = await tx.foundation.create({ data, select: { id: true, slug: true, nameZh: true, nameEn: true } });
      await ensureAccount(tx, { code: accountCodes.foundationAvailable(f.id), kind: "FOUNDATION_AVAILABLE", nameZh: `${f.nameZh} 可用资金`, nameEn: `${f.nameEn} — available funds`, foundationId: f.id });
      await audit(tx, { actorId: actor.id, action: "foundation.create", objectType: "Foundation", objectId: f.id, after: { ...data } });
      return f;
    });
    return ok({ slug: created.slug, id: created.id });
  } catch (e) {
    // two officials choosing the same slug or prefix at the same moment: the unique index decided
    if (isUniqueViolation(e)) {
      const again = await databaseProblems(actor, raw);
      return fail(409, again.slug || again.receiptPrefix ? [] : ["funds.taken"], { fieldErrors: again });
    }
    return refusedOr(e);
  }
}

/** The idempotency key of an appropriation: one posting per foundation and form view, however often it is sent. */
export const appropriationKey = (foundationId: string, requestKey: string) => `appropriation:${foundationId}:${requestKey}`;

/** The account an area's appropriations come from: its finance office, outside the books. */
async function areaFinanceAccount(tx: Tx, area: { id: string; nameZh: string; nameEn: string }) {
  const code = accountCodes.externalAppropriation(areaFinanceSource(area.id));
  await ensureAccount(tx, { code, kind: "EXTERNAL_APPROPRIATION", nameZh: `${area.nameZh}财政拨款`, nameEn: `${area.nameEn} budget appropriation`, ownerId: area.id });
  return code;
}

export type AppropriationAnswer = { posted: true; transactionId: string } | { posted: false; confirm: { amountFen: number } } | { posted: false; repeated: true };

/**
 * Books a government appropriation (财政拨款) into a foundation's available funds: area finance
 * (EXTERNAL_APPROPRIATION) → FOUNDATION_AVAILABLE, dated on the appropriation's effective day
 * (the posting's occurredAt), with its 文号 and an optional scan of the document, audited — all
 * in one transaction. From APPROPRIATION_CONFIRM_FEN on, an unconfirmed form posts nothing and
 * answers the amount to confirm. The request key makes a repeated submission post once: it
 * finds the first posting and writes nothing (not even its file).
 */
export async function recordAppropriation(actor: Pick<Actor, "id" | "grants">, slug: string, raw: unknown, file: File | null = null): Promise<Result<AppropriationAnswer>> {
  const foundation = await requireFundOfficial(actor, slug);
  const parsed = AppropriationFormSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const v = parsed.data;
  const amount = postingAmount(v.amount, APPROPRIATION_POSTING_MAX_FEN);
  const occurredAt = shanghaiDayStart(v.occurredOn);
  if (!amount.ok || !occurredAt) return fromIssues([]); // the schema has said why
  const key = appropriationKey(foundation.id, v.requestKey);
  if (await db().ledgerTransaction.findUnique({ where: { idempotencyKey: key }, select: { id: true } })) return ok({ posted: false, repeated: true });
  if (appropriationNeedsConfirm(amount.fen) && v.confirmed !== "yes") return ok({ posted: false, confirm: { amountFen: amount.fen } });
  try {
    return await db().$transaction(async (tx): Promise<Result<AppropriationAnswer>> => {
      const source = await areaFinanceAccount(tx, foundation.area);
      const available = accountCodes.foundationAvailable(foundation.id);
      await ensureAccount(tx, { code: available, kind: "FOUNDATION_AVAILABLE", nameZh: `${foundation.nameZh} 可用资金`, nameEn: `${foundation.nameEn} — available funds`, foundationId: foundation.id });
      const posting = await postTransaction(tx, {
        idempotencyKey: key,
        kind: "APPROPRIATION",
        memo: `财政拨款 ${v.documentNo} / Government appropriation ${v.documentNo}`,
        actorId: actor.id,
        occurredAt,
        entries: transfer(source, available, amount.fen),
      });
      // a concurrent copy of this form posted first (this statement waited for it): nothing more to write
      if (!posting.created) throw new Refusal(fail(409, "funds.appropriation.repeated"));
      const upload = file && file.size > 0 ? await saveUpload(tx, { file, kinds: ["image", "pdf"], maxBytes: APPROPRIATION_ATTACHMENT_MAX_BYTES, uploaderId: actor.id }) : null;
      const row = await tx.appropriation.create({
        data: {
          foundationId: foundation.id,
          amountFen: BigInt(amount.fen),
          documentNo: v.documentNo,
          occurredAt,
          attachmentUploadId: upload?.id ?? null,
          ledgerTransactionId: posting.transactionId,
          recordedById: actor.id,
        },
      });
      await audit(tx, {
        actorId: actor.id,
        action: "ledger.appropriation",
        objectType: "Appropriation",
        objectId: row.id,
        after: { foundation: foundation.slug, amountFen: amount.fen, documentNo: v.documentNo, occurredOn: v.occurredOn, attachmentUploadId: upload?.id ?? null, ledgerTransactionId: posting.transactionId },
      });
      return ok({ posted: true, transactionId: posting.transactionId });
    });
  } catch (error) {
    // a refused file rolls the posting back and is said next to its field; the form keeps the rest
    if (error instanceof UploadError) return fail(400, [], { fieldErrors: { attachment: [withParams(error.messageKey, error.params as Record<string, string | number>)] } });
    if (error instanceof Refusal && error.failure.problem.formErrors.includes("funds.appropriation.repeated")) return ok({ posted: false, repeated: true });
    return refusedOr(error);
  }
}

/**
 * A foundation's money as its fund officials see it: what is available and came in, and every
 * appropriation booked into it (those of the seed too, which have no document row), newest
 * effective date first, one page at a time.
 */
export async function foundationMoney(actor: Pick<Actor, "grants">, slug: string, requestedPage: unknown) {
  const foundation = await requireFundOfficial(actor, slug);
  const available = accountCodes.foundationAvailable(foundation.id);
  const [summary, counted] = await Promise.all([
    foundationLedgerSummary(foundation.id),
    db().$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM "LedgerEntry" e
        JOIN "LedgerAccount" a ON a.id = e."accountId" JOIN "LedgerTransaction" t ON t.id = e."transactionId"
       WHERE a.code = ${available} AND t.kind = 'APPROPRIATION'`,
  ]);
  const total = Number(counted[0]?.n ?? 0n);
  const { page, pages, skip, take } = pageOf(requestedPage, total, APPROPRIATION_LIST_PAGE_SIZE);
  const rows = await db().$queryRaw<{ transactionId: string; memo: string; occurredAt: Date; amountFen: bigint; id: string | null; documentNo: string | null; hasAttachment: boolean }[]>`
    SELECT t.id AS "transactionId", t.memo, t."occurredAt", e."amountFen", ap.id, ap."documentNo", ap."attachmentUploadId" IS NOT NULL AS "hasAttachment"
      FROM "LedgerEntry" e
      JOIN "LedgerAccount" a ON a.id = e."accountId"
      JOIN "LedgerTransaction" t ON t.id = e."transactionId"
      LEFT JOIN "Appropriation" ap ON ap."ledgerTransactionId" = t.id
     WHERE a.code = ${available} AND t.kind = 'APPROPRIATION'
     ORDER BY t."occurredAt" DESC, t.id DESC
     LIMIT ${take} OFFSET ${skip}`;
  return {
    foundation: {
      slug: foundation.slug,
      nameZh: foundation.nameZh,
      nameEn: foundation.nameEn,
      receiptPrefix: foundation.receiptPrefix,
      fundraisingFilingNo: foundation.fundraisingFilingNo,
      fundraisingEntity: foundation.fundraisingEntity,
      area: { nameZh: foundation.area.nameZh, nameEn: foundation.area.nameEn },
    },
    availableFen: summary.availableFen,
    appropriationsFen: summary.flows.appropriationsFen,
    roundPoolsFen: summary.flows.roundPoolsFen - summary.flows.roundPoolReturnsFen,
    appropriations: {
      items: rows.map((r) => ({ ...r, occurredAt: r.occurredAt.toISOString(), amountFen: Number(r.amountFen) })),
      total,
      page,
      pages,
    },
  };
}

/** The document scan of an appropriation, for the officials who set up the foundation's money. */
export async function appropriationAttachment(actor: Pick<Actor, "grants">, slug: string, appropriationId: string) {
  const foundation = await requireFundOfficial(actor, slug);
  const row = await db().appropriation.findFirst({ where: { id: appropriationId, foundationId: foundation.id }, select: { attachmentUploadId: true } });
  if (!row?.attachmentUploadId) notFound();
  const upload = await readUpload(row.attachmentUploadId);
  if (!upload) notFound();
  return upload;
}
