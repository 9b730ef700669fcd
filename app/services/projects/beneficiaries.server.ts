import { z } from "zod";
import { pageOf } from "~/domain/money";
import { BENEFICIARY_NAME_MAX, CONSENT_METHODS, CONSENT_NOTE_MAX, decodeConsent, encodeConsent, maskName, maskPhone, normalisePhone } from "~/domain/pii";
import type { Actor } from "~/services/accounts/actor.server";
import { type Client, db, type Tx } from "~/lib/db.server";
import { notFound } from "~/lib/permissions.server";
import { decryptPii, encryptPii, phoneHmac } from "~/lib/pii.server";
import { audit } from "~/services/books/audit.server";
import { fail, fromIssues, ok, type Result } from "~/lib/result";
import { lockProject, registering, requireProject } from "./access.server";

/**
 * Beneficiaries registered for call-backs (PIPL): the grantee registers each one with consent;
 * the name and phone are stored encrypted (lib/pii.server.ts) and every result of this module
 * shows them masked — except `revealBeneficiary`, which only officials may call and which is
 * audited (without the values). Grantees never see full values after registration.
 */


export const BENEFICIARIES_PAGE_SIZE = 25;

export interface MaskedBeneficiary {
  id: string;
  name: string;
  phone: string;
  consentMethod: string | null;
  consentNote: string;
  consentAt: string;
  createdAt: string;
}

const isUniqueViolation = (e: unknown) => !!e && typeof e === "object" && (e as { code?: string }).code === "P2002";

/** Decrypts for masking only: the plaintext never leaves this function. */
export function maskedRow(row: { id: string; nameEnc: string; phoneEnc: string; consentNote: string; consentAt: Date; createdAt: Date }): MaskedBeneficiary {
  const consent = decodeConsent(row.consentNote);
  return {
    id: row.id,
    name: maskName(decryptPii(row.nameEnc)),
    phone: maskPhone(decryptPii(row.phoneEnc)),
    consentMethod: consent.method,
    consentNote: consent.note,
    consentAt: row.consentAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
  };
}

const rowSelect = { id: true, nameEnc: true, phoneEnc: true, consentNote: true, consentAt: true, createdAt: true } as const;

/** The beneficiaries page: masked, newest first, paginated. Grantee or official. */
export async function beneficiariesPage(viewer: Actor, referenceNo: string, requestedPage?: unknown) {
  const { project, isGrantee, isOfficial } = await requireProject(viewer, referenceNo, "member");
  const total = await db().beneficiary.count({ where: { projectId: project.id } });
  const { page, pages, skip, take } = pageOf(requestedPage, total, BENEFICIARIES_PAGE_SIZE);
  const rows = await db().beneficiary.findMany({ where: { projectId: project.id }, select: rowSelect, orderBy: [{ createdAt: "desc" }, { id: "asc" }], skip, take });
  return {
    project: { referenceNo: project.referenceNo, title: project.title, status: project.status, organization: project.organization.name },
    isGrantee,
    isOfficial,
    canRegister: isGrantee && registering(project),
    canReveal: isOfficial,
    total,
    page,
    pages,
    rows: rows.map(maskedRow),
  };
}

export const RegisterSchema = z.object({
  name: z
    .string({ error: "beneficiary.error.nameRequired" })
    .trim()
    .min(1, "beneficiary.error.nameRequired")
    .max(BENEFICIARY_NAME_MAX, "beneficiary.error.nameTooLong"),
  phone: z
    .string({ error: "beneficiary.error.phoneRequired" })
    .trim()
    .min(1, "beneficiary.error.phoneRequired")
    .transform((v, ctx) => {
      const n = normalisePhone(v);
      if (!n) {
        ctx.addIssue({ code: "custom", message: "beneficiary.error.phoneInvalid" });
        return z.NEVER;
      }
      return n;
    }),
  consent: z.literal("on", { error: "beneficiary.error.consentRequired" }),
  consentMethod: z.enum(CONSENT_METHODS, { error: "beneficiary.error.consentMethodRequired" }),
  consentNote: z.string().trim().max(CONSENT_NOTE_MAX, "beneficiary.error.consentNoteTooLong").default(""),
});

export type RegisterValues = { name: string; phone: string; consent: string; consentMethod: string; consentNote: string };
/** A registered beneficiary, masked: the grantee sees only this after registering. */
export type Registered = { id: string; name: string; phone: string };

/**
 * The grantee registers one beneficiary, with their consent. A phone already registered in the
 * project is refused (keyed HMAC, unique per project). The result carries only masked values.
 */
export async function registerBeneficiary(viewer: Actor, referenceNo: string, raw: Partial<RegisterValues>): Promise<Result<Registered>> {
  const { project } = await requireProject(viewer, referenceNo, "grantee");
  if (!registering(project)) return fail(409, "beneficiary.error.notActive");
  const parsed = RegisterSchema.safeParse(raw);
  if (!parsed.success) return fromIssues(parsed.error.issues);
  const v = parsed.data;
  const hmac = phoneHmac(v.phone);
  const duplicate = fail(409, [], { fieldErrors: { phone: ["beneficiary.error.duplicatePhone"] } });
  if (await db().beneficiary.findUnique({ where: { projectId_phoneHmac: { projectId: project.id, phoneHmac: hmac } }, select: { id: true } })) return duplicate;
  try {
    const created = await db().$transaction(async (tx) => {
      // serialises with the monthly draw, so a sample's population is exactly those registered before it
      await lockProject(tx, project.id);
      const row = await tx.beneficiary.create({
        data: {
          projectId: project.id,
          nameEnc: encryptPii(v.name),
          phoneEnc: encryptPii(v.phone),
          phoneHmac: hmac,
          consentAt: new Date(),
          consentNote: encodeConsent(v.consentMethod, v.consentNote),
          registeredById: viewer.id,
        },
        select: { id: true },
      });
      await audit(tx, {
        actorId: viewer.id,
        action: "beneficiary.register",
        objectType: "Beneficiary",
        objectId: row.id,
        after: { project: project.referenceNo, consentMethod: v.consentMethod },
      });
      return row;
    });
    return ok({ id: created.id, name: maskName(v.name), phone: maskPhone(v.phone) });
  } catch (e) {
    // two registrations of the same phone at once: the unique key decides
    if (isUniqueViolation(e)) return duplicate;
    throw e;
  }
}

/**
 * Decrypts one beneficiary of the project for an official who needs to call them, after
 * writing the audit record (who revealed whom, when — never the values). Nothing else returns
 * full values.
 */
export async function revealBeneficiary(viewer: Actor, referenceNo: string, beneficiaryId: string, purpose: "list" | "callback" = "list") {
  const { project } = await requireProject(viewer, referenceNo, "official");
  return db().$transaction(async (tx) => revealInTx(tx, viewer.id, project, beneficiaryId, purpose));
}

async function revealInTx(tx: Tx, actorId: string, project: { id: string; referenceNo: string }, beneficiaryId: string, purpose: string) {
  const row = await tx.beneficiary.findFirst({ where: { id: beneficiaryId, projectId: project.id }, select: { id: true, nameEnc: true, phoneEnc: true } });
  if (!row) notFound();
  await audit(tx, { actorId, action: "beneficiary.reveal", objectType: "Beneficiary", objectId: row.id, after: { project: project.referenceNo, purpose } });
  return { id: row.id, name: decryptPii(row.nameEnc), phone: decryptPii(row.phoneEnc) };
}

/** How many beneficiaries a project has registered (public pages show counts, not people). */
export async function beneficiaryCount(client: Client, projectId: string): Promise<number> {
  return client.beneficiary.count({ where: { projectId } });
}
