/**
 * Partner units (结对单位 / 共驻共建) and in-kind gifts (实物及服务捐赠). Pure rules:
 * - a unit is named, identified by its 统一社会信用代码 (check character: domain/uscc.ts), and has a
 *   contact person whose mobile is personal data (stored encrypted, shown masked, never public);
 * - a unit is paired with communities from a day; officials of a community it is (or was) paired
 *   with manage it; its member accounts act for it;
 * - a member may take a small wish of a community the unit is paired with today, for the unit;
 * - an in-kind gift has a giver (a unit or a named giver), a positive whole quantity, and a value
 *   exactly when it has a valuation basis (market price, invoice, agreed); it is never money on
 *   the ledger. The register is append-only: a correction or a withdrawal supersedes a row.
 */
import { z } from "zod";
import { moneyFen } from "./money-schema";
import { normalisePhone } from "./pii";
import { isOfficialFor, type GrantHolder } from "./permissions";
import { normalizeUscc, usccProblem } from "./uscc";

// ───────────────────────────── pairing and who acts ─────────────────────────────

export interface Pairing {
  /** `YYYY-MM-DD` (Asia/Shanghai) */
  startsOn: string;
  endedOn: string | null;
}

/** Whether a pairing holds on `day` (`YYYY-MM-DD`): started on or before it, not ended on or before it. */
export const pairedOn = (p: Pairing, day: string) =>
  p.startsOn <= day && (p.endedOn === null || p.endedOn > day);

/** A problem key when a pairing cannot end on `day`, or null. */
export function unpairProblem(p: Pairing, day: string): string | null {
  if (p.endedOn !== null) return "partners.error.notPaired";
  return day < p.startsOn ? "partners.error.endBeforeStart" : null;
}

/** Officials of any community the unit is or was paired with (or above) manage it. */
export const mayManageUnit = (
  actor: Pick<GrantHolder, "grants">,
  pairedAreaPaths: readonly string[],
) => pairedAreaPaths.some((p) => isOfficialFor(actor, p));

/**
 * Whether a member may take a wish for `unitId`: never their own wish; only for a unit they act
 * for that is paired with the wish's community today. A problem key, or null.
 */
export function unitTakeProblem(
  userId: string,
  actingFor: readonly string[],
  wish: { authorId: string | null },
  unitId: string,
): string | null {
  if (wish.authorId === userId) return "volunteers.error.ownWish";
  return actingFor.includes(unitId) ? null : "partners.error.notActingFor";
}

// ───────────────────────────── in-kind gifts ─────────────────────────────

export type InKindKind = "GOODS" | "SERVICE";
export const IN_KIND_KINDS: readonly InKindKind[] = ["GOODS", "SERVICE"];
export type ValuationBasis = "MARKET" | "INVOICE" | "AGREED" | "NONE";
export const VALUATION_BASES: readonly ValuationBasis[] = [
  "MARKET",
  "INVOICE",
  "AGREED",
  "NONE",
];

export const QUANTITY_MAX = 1_000_000;

/** A value is stated (positive, whole fen) exactly when there is a basis for it; NONE states none. */
export function valuationProblem(
  basis: ValuationBasis,
  valueFen: number | null | undefined,
): string | null {
  if (basis === "NONE")
    return valueFen === null || valueFen === undefined
      ? null
      : "partners.error.valueWithoutBasis";
  if (valueFen === null || valueFen === undefined)
    return "partners.error.valueRequired";
  if (!Number.isSafeInteger(valueFen) || valueFen <= 0)
    return "partners.error.valuePositive";
  return null;
}

/** A whole, positive quantity. */
export const quantityProblem = (q: number): string | null =>
  Number.isSafeInteger(q) && q > 0 && q <= QUANTITY_MAX
    ? null
    : "partners.error.quantity";

// ───────────────────────────── corrections ─────────────────────────────

/** Who received a gift: the community itself, its charity shop, or one of its projects. */
export type GiftRecipient = "AREA" | "SHOP" | "PROJECT";

/**
 * What a correction may change: the description, the quantity, the valuation (basis and value)
 * and who received it. The giver, the kind, the day received and the community stay: a gift
 * recorded with the wrong giver or day is withdrawn and recorded again.
 */
export interface CorrectableGift {
  description: string;
  quantity: number;
  valuationBasis: ValuationBasis;
  valueFen: number | null;
  recipient: GiftRecipient;
  /** the receiving project's id when `recipient` is PROJECT, else null */
  projectId: string | null;
}
export const CORRECTABLE_FIELDS = [
  "description",
  "quantity",
  "valuationBasis",
  "valueFen",
  "recipient",
  "projectId",
] as const satisfies readonly (keyof CorrectableGift)[];

/** The fields a correction changes, in a fixed order. */
export const changedFields = (before: CorrectableGift, after: CorrectableGift) =>
  CORRECTABLE_FIELDS.filter((f) => before[f] !== after[f]);

export type CorrectionProblem =
  | { form: string }
  | { fields: Partial<Record<"description" | "quantity" | "value" | "projectRef", string[]>> };

/**
 * Whether a recorded gift may be corrected to `after`, or the problem: only the current row (not
 * withdrawn, nothing superseding it) is corrected; the quantity stays whole and positive, the
 * value whole fen and stated exactly when there is a basis, a project named when a project
 * received it; and a correction changes something.
 */
export function correctionProblem(
  row: { withdrawn: boolean; superseded: boolean },
  before: CorrectableGift,
  after: CorrectableGift,
): CorrectionProblem | null {
  if (row.withdrawn || row.superseded) return { form: "partners.error.notCurrent" };
  const fields: Partial<Record<"description" | "quantity" | "value" | "projectRef", string[]>> = {};
  const description = after.description.trim();
  if (description.length < 2) fields.description = ["partners.error.descriptionShort"];
  else if (description.length > 500) fields.description = ["partners.error.descriptionLong"];
  const q = quantityProblem(after.quantity);
  if (q) fields.quantity = [q];
  const v = valuationProblem(after.valuationBasis, after.valueFen);
  if (v) fields.value = [v];
  if ((after.recipient === "PROJECT") !== (after.projectId !== null)) fields.projectRef = ["partners.error.project"];
  if (Object.keys(fields).length) return { fields };
  return changedFields(before, after).length ? null : { form: "partners.error.nothingChanged" };
}

// ───────────────────────────── forms ─────────────────────────────

const text = (min: number, max: number, shortKey: string, longKey: string) =>
  z
    .string({ error: "validation.required" })
    .trim()
    .min(1, { error: "validation.required", abort: true })
    .min(min, shortKey)
    .max(max, longKey);

const checkbox = z.preprocess(
  (v) => v === "on" || v === true || v === "true",
  z.boolean(),
);
const day = z
  .string({ error: "partners.error.date" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "partners.error.date");
const uuid = z
  .string({ error: "validation.required" })
  .uuid("validation.required");

const uscc = z
  .string({ error: "validation.required" })
  .transform((raw, ctx) => {
    const problem = usccProblem(raw);
    if (problem) {
      ctx.addIssue({ code: "custom", message: `org.uscc.${problem}` });
      return z.NEVER;
    }
    return normalizeUscc(raw);
  });

const mobile = z
  .string({ error: "validation.required" })
  .transform((raw, ctx) => {
    const phone = normalisePhone(raw);
    if (!phone) {
      ctx.addIssue({ code: "custom", message: "partners.error.phone" });
      return z.NEVER;
    }
    return phone;
  });

export const UnitFields = z.object({
  name: text(2, 100, "partners.error.nameShort", "partners.error.nameLong"),
  uscc,
  intro: z
    .string()
    .trim()
    .max(500, "partners.error.introLong")
    .optional()
    .default(""),
  contactName: text(
    2,
    40,
    "partners.error.contactShort",
    "partners.error.contactLong",
  ),
  contactPhone: mobile,
});

/** Registering a unit pairs it with the community at once, from a day. */
export const CreateUnitSchema = UnitFields.extend({ startsOn: day });
/** Editing keeps the phone when the field is left empty (the page shows it masked, never in the field). */
export const EditUnitSchema = UnitFields.extend({
  contactPhone: z
    .union([z.literal("").transform(() => null), mobile])
    .optional()
    .transform((v) => v ?? null),
});

/** Pairing a unit already registered elsewhere, found by its code. */
export const PairSchema = z.object({ uscc, startsOn: day });
export const UnpairSchema = z.object({ pairingId: uuid, endedOn: day });
export const MemberSchema = z.object({
  email: z
    .string({ error: "validation.required" })
    .trim()
    .toLowerCase()
    .email("partners.error.email"),
});
export const RevokeMemberSchema = z.object({ memberId: uuid });
/** Inviting a person by e-mail to act for the unit (an emailed, single-use link). */
export const InviteMemberSchema = z.object({
  email: z
    .string({ error: "validation.required" })
    .trim()
    .toLowerCase()
    .max(254, "validation.tooLong")
    .email("partners.error.email"),
});
export const InvitationIdSchema = z.object({ invitationId: uuid });

const GiftBase = z.object({
  giver: z.enum(["UNIT", "NAMED"], { error: "partners.error.giver" }),
  unitId: z.string().optional().default(""),
  giverName: z
    .string()
    .trim()
    .max(100, "partners.error.giverLong")
    .optional()
    .default(""),
  giverPublic: checkbox.optional().default(false),
  kind: z.enum(["GOODS", "SERVICE"], { error: "partners.error.kind" }),
  description: text(
    2,
    500,
    "partners.error.descriptionShort",
    "partners.error.descriptionLong",
  ),
  quantity: z.coerce
    .number({ error: "partners.error.quantity" })
    .int("partners.error.quantity")
    .positive("partners.error.quantity")
    .max(QUANTITY_MAX, "partners.error.quantity"),
  unitLabel: text(
    1,
    20,
    "partners.error.unitLabel",
    "partners.error.unitLabel",
  ),
  valuationBasis: z.enum(["MARKET", "INVOICE", "AGREED", "NONE"], {
    error: "partners.error.basis",
  }),
  value: moneyFen({ optional: true }),
  recipient: z.enum(["AREA", "SHOP", "PROJECT"], {
    error: "partners.error.recipient",
  }),
  projectRef: z.string().trim().optional().default(""),
  receivedOn: day,
});

function refineGift(v: z.output<typeof GiftBase>, ctx: z.RefinementCtx) {
  if (v.giver === "UNIT" && !z.string().uuid().safeParse(v.unitId).success)
    ctx.addIssue({
      code: "custom",
      path: ["unitId"],
      message: "partners.error.unit",
    });
  if (v.giver === "NAMED" && v.giverName.length < 2)
    ctx.addIssue({
      code: "custom",
      path: ["giverName"],
      message: "partners.error.giverName",
    });
  const problem = valuationProblem(v.valuationBasis, v.value);
  if (problem)
    ctx.addIssue({ code: "custom", path: ["value"], message: problem });
  if (v.recipient === "PROJECT" && !v.projectRef)
    ctx.addIssue({
      code: "custom",
      path: ["projectRef"],
      message: "partners.error.project",
    });
}

export const GiftFields = GiftBase.superRefine(refineGift);
export type GiftInput = z.output<typeof GiftFields>;

export const WithdrawSchema = z.object({
  giftId: uuid,
  reason: text(
    4,
    500,
    "partners.error.reasonShort",
    "partners.error.reasonLong",
  ),
});
/** A correction of a recorded gift: its correctable fields as they should read, and why. */
export const CorrectGiftSchema = z
  .object({
    giftId: uuid,
    description: GiftBase.shape.description,
    quantity: GiftBase.shape.quantity,
    valuationBasis: GiftBase.shape.valuationBasis,
    value: GiftBase.shape.value,
    recipient: GiftBase.shape.recipient,
    projectRef: GiftBase.shape.projectRef,
    reason: text(4, 500, "partners.error.reasonShort", "partners.error.reasonLong"),
  })
  .superRefine((v, ctx) => {
    const problem = valuationProblem(v.valuationBasis, v.value);
    if (problem) ctx.addIssue({ code: "custom", path: ["value"], message: problem });
    if (v.recipient === "PROJECT" && !v.projectRef) ctx.addIssue({ code: "custom", path: ["projectRef"], message: "partners.error.project" });
  });
export type CorrectGiftInput = z.output<typeof CorrectGiftSchema>;

export const AdoptSchema = z.object({
  projectRef: text(1, 40, "partners.error.project", "partners.error.project"),
  note: z
    .string()
    .trim()
    .max(300, "partners.error.noteLong")
    .optional()
    .default(""),
  adoptedOn: day,
});
export const SponsorSchema = z.object({
  campaignSlug: text(
    1,
    100,
    "partners.error.campaign",
    "partners.error.campaign",
  ),
});

/** The forms of a unit's management page. */
export const UnitIntents = z.discriminatedUnion("intent", [
  EditUnitSchema.extend({ intent: z.literal("edit") }),
  UnpairSchema.extend({ intent: z.literal("unpair") }),
  MemberSchema.extend({ intent: z.literal("grant") }),
  InviteMemberSchema.extend({ intent: z.literal("invite") }),
  InvitationIdSchema.extend({ intent: z.literal("resendInvitation") }),
  InvitationIdSchema.extend({ intent: z.literal("revokeInvitation") }),
  RevokeMemberSchema.extend({ intent: z.literal("revoke") }),
  AdoptSchema.extend({ intent: z.literal("adopt") }),
  SponsorSchema.extend({ intent: z.literal("sponsor") }),
]);

/** The forms of a community's partner-units page. */
export const AreaPartnerIntents = z.discriminatedUnion("intent", [
  CreateUnitSchema.extend({ intent: z.literal("create") }),
  PairSchema.extend({ intent: z.literal("pair") }),
  GiftBase.extend({ intent: z.literal("gift") }).superRefine(refineGift),
]);
