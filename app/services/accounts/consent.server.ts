import { currentNoticeVersion, type ConsentKindName } from "~/domain/privacy-notice";
import { db, type Tx } from "~/lib/db.server";
import { advisoryLock } from "~/lib/locks.server";
import { ok, type Result } from "~/lib/result";
import { destroySession, requestOrigin, type RequestOrigin, type Viewer } from "~/lib/session.server";
import { audit } from "~/services/books/audit.server";

/**
 * Consents to the privacy notice and to a gift's terms, recorded as proof (the Consent table):
 * which version of the notice, when, from which address and browser. Rows are never changed or
 * deleted (a database trigger refuses it); see prisma/schema.prisma `Consent`.
 */

/** Whose consent it is: a person (the notice), or a gift (a one-time gift or a monthly gift), with the donor's account when signed in. */
export type ConsentSubject =
  | { kind: "PRIVACY_NOTICE"; userId: string }
  | { kind: Exclude<ConsentKindName, "PRIVACY_NOTICE">; donationId: string; userId?: string | null }
  | { kind: Exclude<ConsentKindName, "PRIVACY_NOTICE">; recurringGiftId: string; userId?: string | null };

/** Records one consent to the current notice version, in the caller's transaction. */
export async function recordConsent(tx: Tx, subject: ConsentSubject, origin: RequestOrigin, at = new Date()): Promise<{ id: string; noticeVersion: string }> {
  return tx.consent.create({
    data: {
      kind: subject.kind,
      noticeVersion: currentNoticeVersion(),
      userId: subject.userId ?? null,
      donationId: "donationId" in subject ? subject.donationId : null,
      recurringGiftId: "recurringGiftId" in subject ? subject.recurringGiftId : null,
      acceptedAt: at,
      ip: origin.ip,
      userAgent: origin.userAgent,
    },
    select: { id: true, noticeVersion: true },
  });
}

/** Whether the person has accepted the notice now in force. */
export async function hasAcceptedNotice(userId: string): Promise<boolean> {
  const found = await db().consent.findFirst({
    where: { userId, kind: "PRIVACY_NOTICE", noticeVersion: currentNoticeVersion(), withdrawnAt: null },
    select: { id: true },
  });
  return !!found;
}

/** Whether the person has ever accepted a version of the notice (else this is their first: a new account made through WeChat). */
export async function hasAcceptedAnyNotice(userId: string): Promise<boolean> {
  const found = await db().consent.findFirst({ where: { userId, kind: "PRIVACY_NOTICE" }, select: { id: true } });
  return !!found;
}

/** The signed-in person accepts the current notice (once: accepting again records nothing new). */
export async function acceptNotice(request: Request, viewer: Pick<Viewer, "id">): Promise<Result<{ noticeVersion: string }>> {
  const noticeVersion = currentNoticeVersion();
  await db().$transaction(async (tx) => {
    // two clicks at once record one consent
    await advisoryLock(tx, `consent:${viewer.id}`);
    const already = await tx.consent.findFirst({ where: { userId: viewer.id, kind: "PRIVACY_NOTICE", noticeVersion, withdrawnAt: null }, select: { id: true } });
    if (already) return;
    const consent = await recordConsent(tx, { kind: "PRIVACY_NOTICE", userId: viewer.id }, requestOrigin(request));
    await audit(tx, { actorId: viewer.id, action: "consent.noticeAccepted", objectType: "Consent", objectId: consent.id, after: { noticeVersion } });
  });
  return ok({ noticeVersion });
}

/** The person declines the new notice: nothing is recorded as accepted, and they are signed out. Returns the Set-Cookie header. */
export async function declineNotice(request: Request, viewer: Pick<Viewer, "id">): Promise<string> {
  await db().$transaction((tx) =>
    audit(tx, { actorId: viewer.id, action: "consent.noticeDeclined", objectType: "User", objectId: viewer.id, after: { noticeVersion: currentNoticeVersion() } }),
  );
  return destroySession(request);
}
