/**
 * The in-kind gifts register (实物及服务捐赠): goods for a community's charity shop (慈善超市) or
 * one of its projects, and services, recorded by the community's officials with their valuation.
 * Never a ledger posting: nothing here touches the books. The register is append-only (a trigger
 * refuses UPDATE and DELETE): a withdrawal is a new row that supersedes the one recorded by
 * mistake, and a correction is a new row that supersedes the one it corrects (its reason kept;
 * the chain of rows is the gift's history). The received-goods note
 * (收货确认单) is a PDF for the giver, for the community's officials and the giving unit's members.
 */
import { changedFields, CorrectGiftSchema, correctionProblem, GiftFields, type CorrectableGift, type GiftRecipient, WithdrawSchema } from "~/domain/partners";
import { formatFen } from "~/domain/money";
import type { Actor } from "~/services/accounts/actor.server";
import { db } from "~/lib/db.server";
import { formatDateTime, translate, type Locale } from "~/lib/i18n";
import { localName } from "~/lib/names";
import { PdfWriter } from "~/lib/pdf.server";
import { forbidden, notFound } from "~/lib/permissions.server";
import { isOfficialFor } from "~/domain/permissions";
import { fail, fromIssues, invalid, ok, type Result } from "~/lib/result";
import { dayStart, shanghaiDay } from "~/lib/time";
import { audit } from "~/services/books/audit.server";
import type { PdfFile } from "~/services/documents/documents.server";
import { communityOf, isUnitMember, requireOfficialOf } from "./access.server";
import { giftDto, giftSelect } from "./partners.server";

/** An official records a gift received by their community (its charity shop, or one of its projects). */
export async function recordGift(actor: Actor, code: string, raw: unknown): Promise<Result<{ number: number }>> {
  const area = await communityOf(code);
  requireOfficialOf(actor, area.path);
  const parsed = GiftFields.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const v = parsed.data;
  if (v.receivedOn > shanghaiDay(new Date())) return invalid({ receivedOn: ["partners.error.future"] });
  return db().$transaction(async (tx): Promise<Result<{ number: number }>> => {
    let unitId: string | null = null;
    if (v.giver === "UNIT") {
      // a unit gives to a community it is paired with (or was, on the day received)
      const paired = await tx.partnerPairing.findFirst({
        where: { unitId: v.unitId, areaId: area.id, startsOn: { lte: dayStart(v.receivedOn) }, OR: [{ endedOn: null }, { endedOn: { gt: dayStart(v.receivedOn) } }] },
        select: { id: true },
      });
      if (!paired) return invalid({ unitId: ["partners.error.unitNotPaired"] });
      unitId = v.unitId;
    }
    let projectId: string | null = null;
    if (v.recipient === "PROJECT") {
      const p = await tx.project.findUnique({ where: { referenceNo: v.projectRef }, select: { id: true, communityId: true } });
      if (!p || p.communityId !== area.id) return invalid({ projectRef: ["partners.error.noSuchProject"] });
      projectId = p.id;
    }
    const gift = await tx.inKindGift.create({
      data: {
        unitId,
        giverName: unitId ? null : v.giverName,
        giverPublic: unitId ? false : v.giverPublic,
        kind: v.kind,
        description: v.description,
        quantity: v.quantity,
        unitLabel: v.unitLabel,
        valuationBasis: v.valuationBasis,
        valueFen: v.valuationBasis === "NONE" ? null : v.value!,
        areaId: area.id,
        projectId,
        forCharityShop: v.recipient === "SHOP",
        receivedOn: dayStart(v.receivedOn),
        receivedById: actor.id,
        recordedById: actor.id,
      },
      select: { id: true, number: true },
    });
    await audit(tx, {
      actorId: actor.id,
      action: "inkind.record",
      objectType: "InKindGift",
      objectId: gift.id,
      after: { number: gift.number, unitId, giverName: unitId ? null : v.giverName, kind: v.kind, description: v.description, quantity: v.quantity, unitLabel: v.unitLabel, valuationBasis: v.valuationBasis, valueFen: v.valuationBasis === "NONE" ? null : v.value, areaId: area.id, projectId, forCharityShop: v.recipient === "SHOP", receivedOn: v.receivedOn },
    });
    return ok({ number: gift.number });
  });
}

/** An official of the receiving community withdraws a gift recorded by mistake: a new row supersedes it. */
export async function withdrawGift(actor: Actor, code: string, raw: unknown): Promise<Result> {
  const area = await communityOf(code);
  requireOfficialOf(actor, area.path);
  const parsed = WithdrawSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  return db().$transaction(async (tx): Promise<Result> => {
    const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "InKindGift" WHERE id = ${parsed.data.giftId} AND "areaId" = ${area.id} FOR UPDATE`;
    if (!rows[0]) notFound();
    const g = await tx.inKindGift.findUniqueOrThrow({ where: { id: rows[0].id }, include: { supersededBy: { select: { id: true } } } });
    if (g.supersededBy || g.withdrawn) return fail(409, "partners.error.notCurrent");
    const id = g.id;
    // the withdrawal repeats what it withdraws (the register reads whole rows), marked withdrawn
    const copy = {
      unitId: g.unitId, giverName: g.giverName, giverPublic: g.giverPublic, kind: g.kind, description: g.description, quantity: g.quantity, unitLabel: g.unitLabel,
      valuationBasis: g.valuationBasis, valueFen: g.valueFen, areaId: g.areaId, projectId: g.projectId, forCharityShop: g.forCharityShop, receivedOn: g.receivedOn, receivedById: g.receivedById,
    };
    const w = await tx.inKindGift.create({ data: { ...copy, supersedesId: id, withdrawn: true, correctionReason: parsed.data.reason, recordedById: actor.id }, select: { id: true, number: true } });
    await audit(tx, { actorId: actor.id, action: "inkind.withdraw", objectType: "InKindGift", objectId: id, after: { withdrawal: w.id, number: w.number, reason: parsed.data.reason } });
    return ok();
  });
}

const recipientOf = (g: { projectId: string | null; forCharityShop: boolean }): GiftRecipient => (g.projectId ? "PROJECT" : g.forCharityShop ? "SHOP" : "AREA");
const correctable = (g: { description: string; quantity: number; valuationBasis: CorrectableGift["valuationBasis"]; valueFen: number | null; projectId: string | null; forCharityShop: boolean }): CorrectableGift => ({
  description: g.description,
  quantity: g.quantity,
  valuationBasis: g.valuationBasis,
  valueFen: g.valueFen,
  recipient: recipientOf(g),
  projectId: g.projectId,
});

/**
 * An official of the receiving community corrects a recorded gift (description, quantity,
 * valuation, who received it): a new row supersedes the current one, with the reason; the old row
 * stays as it was (the register is append-only). Never a ledger posting. Audited with before/after.
 */
export async function correctGift(actor: Actor, code: string, raw: unknown): Promise<Result<{ number: number }>> {
  const area = await communityOf(code);
  requireOfficialOf(actor, area.path);
  const parsed = CorrectGiftSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const v = parsed.data;
  return db().$transaction(async (tx): Promise<Result<{ number: number }>> => {
    const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "InKindGift" WHERE id = ${v.giftId} AND "areaId" = ${area.id} FOR UPDATE`;
    if (!rows[0]) notFound();
    const g = await tx.inKindGift.findUniqueOrThrow({ where: { id: rows[0].id }, include: { supersededBy: { select: { id: true } } } });
    let projectId: string | null = null;
    if (v.recipient === "PROJECT") {
      const p = await tx.project.findUnique({ where: { referenceNo: v.projectRef }, select: { id: true, communityId: true } });
      if (!p || p.communityId !== area.id) return invalid({ projectRef: ["partners.error.noSuchProject"] });
      projectId = p.id;
    }
    const before = correctable(g);
    const after: CorrectableGift = {
      description: v.description,
      quantity: v.quantity,
      valuationBasis: v.valuationBasis,
      valueFen: v.valuationBasis === "NONE" ? null : (v.value ?? null),
      recipient: v.recipient,
      projectId,
    };
    const problem = correctionProblem({ withdrawn: g.withdrawn, superseded: !!g.supersededBy }, before, after);
    if (problem) return "form" in problem ? fail(problem.form === "partners.error.notCurrent" ? 409 : 400, problem.form) : invalid(problem.fields);
    const c = await tx.inKindGift.create({
      data: {
        unitId: g.unitId,
        giverName: g.giverName,
        giverPublic: g.giverPublic,
        kind: g.kind,
        unitLabel: g.unitLabel,
        areaId: g.areaId,
        receivedOn: g.receivedOn,
        receivedById: g.receivedById,
        description: after.description,
        quantity: after.quantity,
        valuationBasis: after.valuationBasis,
        valueFen: after.valueFen,
        projectId: after.projectId,
        forCharityShop: after.recipient === "SHOP",
        supersedesId: g.id,
        correctionReason: v.reason,
        recordedById: actor.id,
      },
      select: { id: true, number: true },
    });
    const changed = changedFields(before, after);
    const pick = (x: CorrectableGift) => Object.fromEntries(changed.map((f) => [f, x[f]]));
    await audit(tx, {
      actorId: actor.id,
      action: "inkind.correct",
      objectType: "InKindGift",
      objectId: g.id,
      before: { number: g.number, ...pick(before) },
      after: { correction: c.id, number: c.number, reason: v.reason, ...pick(after) },
    });
    return ok({ number: c.number });
  });
}

/** The rows of a gift's history, oldest first, from any row of it: each row's number, what it said, when and why it changed. */
async function chainOf(id: string) {
  const rows = await db().$queryRaw<{ id: string }[]>`
    WITH RECURSIVE up AS (
      SELECT id, "supersedesId" FROM "InKindGift" WHERE id = ${id}
      UNION SELECT g.id, g."supersedesId" FROM "InKindGift" g JOIN up ON g.id = up."supersedesId"
    ), down AS (
      SELECT id FROM "InKindGift" WHERE id = ${id}
      UNION SELECT g.id FROM "InKindGift" g JOIN down ON g."supersedesId" = down.id
    )
    SELECT id FROM up UNION SELECT id FROM down`;
  return db().inKindGift.findMany({
    where: { id: { in: rows.map((r) => r.id) } },
    select: { ...giftSelect, projectId: true, createdAt: true, correctionReason: true, supersededBy: { select: { id: true } } },
    orderBy: { number: "asc" },
  });
}

/** A gift as its correction page shows it, for officials of the receiving community: the current row, its history and the community's projects. */
export async function giftCorrectionPage(code: string, number: number, viewer: Pick<Actor, "id" | "grants"> | null) {
  const area = await communityOf(code);
  if (!viewer) forbidden();
  requireOfficialOf(viewer, area.path);
  const g = await db().inKindGift.findUnique({ where: { number }, select: { id: true, areaId: true } });
  if (!g || g.areaId !== area.id) notFound();
  const chain = await chainOf(g.id);
  const current = chain.find((r) => !r.supersededBy)!;
  const projects = await db().project.findMany({ where: { communityId: area.id }, select: { referenceNo: true, title: true }, orderBy: { referenceNo: "asc" }, take: 100 });
  return {
    area: { code: area.code, nameZh: area.nameZh, nameEn: area.nameEn },
    gift: { ...giftDto(current, true), withdrawn: current.withdrawn, recipient: recipientOf(current) },
    history: chain.map((r) => ({
      number: r.number,
      createdAt: r.createdAt.toISOString(),
      withdrawn: r.withdrawn,
      reason: r.correctionReason,
      description: r.description,
      quantity: r.quantity,
      unitLabel: r.unitLabel,
      valuationBasis: r.valuationBasis,
      valueFen: r.valueFen,
      recipient: recipientOf(r),
      project: r.project,
    })),
    projects,
  };
}

/** The received-goods note's data: for officials of the receiving community and members of the giving unit. */
export async function giftNoteData(actor: Pick<Actor, "id" | "grants">, number: number) {
  // a corrected gift's note (under any of its numbers) reads the current row: the values as corrected
  const found = await db().$queryRaw<{ number: number }[]>`
    WITH RECURSIVE down AS (
      SELECT id, number, 0 AS depth FROM "InKindGift" WHERE number = ${number}
      UNION ALL SELECT g.id, g.number, down.depth + 1 FROM "InKindGift" g JOIN down ON g."supersedesId" = down.id
    )
    SELECT number FROM down ORDER BY depth DESC LIMIT 1`;
  if (!found[0]) notFound();
  const g = await db().inKindGift.findUnique({
    where: { number: found[0].number },
    select: {
      ...giftSelect,
      unitId: true,
      receivedById: true,
      createdAt: true,
      supersededBy: { select: { id: true } },
      supersedes: { select: { number: true } },
      correctionReason: true,
      unit: { select: { name: true, uscc: true } },
      area: { select: { nameZh: true, nameEn: true, path: true } },
    },
  });
  if (!g) notFound();
  if (!isOfficialFor(actor, g.area.path) && !(g.unitId && (await isUnitMember(actor.id, g.unitId)))) forbidden();
  // a withdrawn gift has no note
  if (g.withdrawn || g.supersededBy) notFound();
  const receiver = await db().user.findUnique({ where: { id: g.receivedById }, select: { name: true } });
  return { ...g, receiverName: receiver?.name ?? "" };
}

/** The received-goods note (收货确认单) as a PDF: deterministic, dated by the record. */
export async function giftNotePdf(actor: Pick<Actor, "id" | "grants">, number: number, locale: Locale): Promise<PdfFile> {
  const g = await giftNoteData(actor, number);
  const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
  const area = localName(locale, g.area);
  const w = new PdfWriter({ locale, title: t("partners.note.title"), issuer: area, reference: `No. ${g.number}`, date: g.createdAt });
  w.title(t("partners.note.title"), area);
  w.fields([
    [t("partners.note.number"), String(g.number)],
    [t("partners.gift.giver"), g.unit ? `${g.unit.name}（${g.unit.uscc}）` : (g.giverName ?? "")],
    [t("partners.gift.receivedBy"), g.project ? `${area} · ${g.project.referenceNo} ${g.project.title}` : g.forCharityShop ? `${area} · ${t("partners.gift.shop")}` : area],
    [t("partners.gift.receivedOn"), shanghaiDay(g.receivedOn)],
    [t("partners.gift.receiver"), g.receiverName],
    // a correction says so: when, of which note, and why
    ...(g.supersedes
      ? ([
          [t("partners.note.correctedOn"), shanghaiDay(g.createdAt)!],
          [t("partners.note.replaces"), `No. ${g.supersedes.number}`],
          [t("partners.note.correctionReason"), g.correctionReason ?? ""],
        ] as [string, string][])
      : []),
  ]);
  w.heading(t("partners.note.items"));
  w.table(
    [
      { header: t("partners.gift.kind"), width: 1 },
      { header: t("partners.gift.description"), width: 3 },
      { header: t("partners.gift.quantity"), width: 1.2, align: "right" },
      { header: t("partners.gift.basis"), width: 1.3 },
      { header: t("partners.gift.value"), width: 1.4, align: "right" },
    ],
    [[t(`partners.kind.${g.kind}`), g.description, `${g.quantity} ${g.unitLabel}`, t(`partners.basis.${g.valuationBasis}`), g.valueFen === null ? "—" : formatFen(g.valueFen)]],
  );
  w.paragraph(t("partners.note.inKind"), { muted: true });
  w.signatures(t("partners.note.signatures"), [
    { party: t("partners.note.giverParty"), name: g.unit?.name ?? g.giverName ?? "", recorded: [], seal: true },
    { party: t("partners.note.receiverParty"), name: area, recorded: [t("partners.note.recorded", { date: formatDateTime(locale, g.createdAt) })], seal: true },
  ]);
  return { bytes: await w.end(), filename: `${t("partners.note.file")}-${g.number}.pdf` };
}
