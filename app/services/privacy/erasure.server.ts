import { isWechatOnly } from "~/domain/wechat";
import { sessionIsRecent } from "~/services/accounts/auth.server";
import { createHash } from "node:crypto";
import { canonicalJson } from "~/domain/audit-chain";
import {
  BLOCKER_KEYS,
  erasedEmail,
  erasureBlockers,
  IDENTITY_CHECKS,
  jsonSpelling,
  pseudonymCode,
  pseudonymName,
  replaceInJson,
  type ErasureBlocker,
  type ErasureFacts,
  type IdentityCheck,
} from "~/domain/personal-data";
import { Prisma } from "~/generated/prisma/client";
import { sha256 } from "~/lib/crypto.server";
import { type Client, db, type Tx } from "~/lib/db.server";
import { verifyPassword } from "~/lib/password.server";
import { hit, LIMITS, reset } from "~/lib/rate-limit.server";
import { fail, invalid, ok, type Result } from "~/lib/result";
import { destroySession } from "~/lib/session.server";
import { storage } from "~/lib/storage.server";
import type { Actor } from "~/services/accounts/actor.server";
import { audit, redactAudit } from "~/services/books/audit.server";
import { claimDeletionCode, SMS_ONLY_PASSWORD } from "~/services/accounts/phone.server";
import { maskPhone } from "~/domain/pii";
import { decryptPii } from "~/lib/pii.server";
import { mayActForResident } from "./access.server";

/**
 * "Delete my account" (PIPL art. 47), in one transaction: what the law lets us erase is erased,
 * what must be kept (gifts and the ledger, receipts, the audit log, an organisation's proposals,
 * the round's records) is kept under a stable pseudonym, 已注销用户-XXXXXX, derived from the
 * account id. What is kept and for how long: domain/personal-data.ts (RETENTION) and
 * docs/decisions/017-personal-data-rights.md.
 */

/** The pseudonym of an account: the same wherever and whenever it is computed. */
export function pseudonymOf(userId: string) {
  const code = pseudonymCode(createHash("sha256").update(`account:${userId}`).digest());
  return { code, name: pseudonymName(code), email: erasedEmail(code, userId) };
}

const LIVE_PROPOSAL = ["DRAFT", "SUBMITTED", "ELIGIBLE"] as const;

/** What erasureBlockers looks at, read from the database. */
export async function erasureFacts(client: Client, userId: string, now = new Date()): Promise<ErasureFacts> {
  const user = await client.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
  // gifts made signed out are the account's by its email (an account made with a number has none)
  const mine = { OR: user.email ? [{ userId }, { email: user.email }] : [{ userId }] };
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const [grants, monthly, paying, pendingMonthly, memberships] = await Promise.all([
    client.roleGrant.findMany({ where: { userId, revokedAt: null }, select: { role: true } }),
    client.recurringGift.findMany({ where: { ...mine, status: "ACTIVE" }, select: { token: true } }),
    client.donation.count({ where: { AND: [mine, { OR: [{ status: "PROCESSING" }, { status: "PENDING", createdAt: { gt: dayAgo } }] }] } }),
    client.recurringGift.count({ where: { ...mine, status: "PENDING", createdAt: { gt: dayAgo } } }),
    client.organizationMember.findMany({
      where: { userId },
      select: {
        organization: {
          select: {
            id: true,
            name: true,
            members: { where: { userId: { not: null } }, select: { userId: true } },
            proposals: { where: { status: { in: [...LIVE_PROPOSAL] }, round: { phase: { not: "CLOSED" } } }, select: { id: true }, take: 1 },
            projects: { where: { status: { not: "CLOSED" } }, select: { id: true }, take: 1 },
          },
        },
      },
    }),
  ]);
  const soleManagerOf = memberships
    .map((m) => m.organization)
    .filter((o) => o.members.every((m) => m.userId === userId) && (o.proposals.length > 0 || o.projects.length > 0))
    .map((o) => ({ id: o.id, name: o.name }));
  return { activeRoles: grants.map((g) => g.role), activeMonthlyGifts: monthly, giftsInProgress: paying + pendingMonthly, soleManagerOf };
}

/** Why the account cannot be deleted now (nothing when it can). */
export async function blockersOf(userId: string): Promise<ErasureBlocker[]> {
  return erasureBlockers(await erasureFacts(db(), userId));
}

export interface Erasure {
  via: "self" | "official";
  actorId: string;
  identityCheck?: IdentityCheck;
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");

/** SQL that replaces every spelling of every needle in a text column. */
function replacedText(column: string, needles: readonly string[], replacement: string): Prisma.Sql {
  let expr = Prisma.raw(`"${column}"`);
  for (const n of needles) {
    for (const spelling of new Set([n, escapeHtml(n)])) expr = Prisma.sql`replace(${expr}, ${spelling}, ${replacement})`;
  }
  return expr;
}

/**
 * Erases one account inside `tx` (the caller's transaction): refuses (409) while something blocks
 * it. Returns the stored files to delete once the transaction has committed.
 */
export async function eraseAccount(tx: Tx, userId: string, by: Erasure): Promise<Result<{ pseudonym: string; filesToDelete: string[] }>> {
  // lets this transaction, and only it, make the narrow changes the frozen tables allow an erasure
  await tx.$executeRaw`SELECT set_config('app.personal_data_erasure', 'on', true)`;
  const [user] = await tx.$queryRaw<{ id: string; name: string; email: string | null; phoneHmac: string | null; deletedAt: Date | null }[]>`
    SELECT "id", "name", "email", "phoneHmac", "deletedAt" FROM "User" WHERE "id" = ${userId} FOR UPDATE`;
  if (!user) return fail(404, "privacy.official.noAccount");
  if (user.deletedAt) return fail(409, "privacy.delete.alreadyDeleted");
  const blockers = erasureBlockers(await erasureFacts(tx, userId));
  if (blockers.length) return fail(409, blockers.map((b) => BLOCKER_KEYS[b.kind]));

  const p = pseudonymOf(userId);
  // an account made with a number has no address: nothing is looked up by one (a null would match
  // every row without an address)
  const email = user.email?.toLowerCase() ?? null;
  const byEmail = <T extends object>(where: T) => (email ? [where] : []);
  // a one-character name would be replaced inside every other word: only names of two or more
  // characters are searched for in other people's records (the account's own fields go anyway)
  const needles = [...(email ? [email] : []), ...(Array.from(user.name.trim()).length >= 2 ? [user.name.trim()] : [])];
  const filesToDelete: string[] = [];

  // 1. the audit log: names and addresses written before the log stopped taking them
  const redacted = needles.length ? await redactAudit(tx, { needles, replacement: p.name, actorId: by.actorId }) : [];

  // 2. proposals: the submitter's name in the frozen snapshots and the team lists of the
  //    person's organisations' proposals
  const orgIds = (await tx.organizationMember.findMany({ where: { userId }, select: { organizationId: true } })).map((m) => m.organizationId);
  const proposals = await tx.proposal.findMany({
    where: { OR: [{ createdById: userId }, { submittedById: userId }, { organizationId: { in: orgIds } }] },
    select: { id: true, snapshot: true, snapshotSha256: true },
  });
  let snapshots = 0;
  for (const pr of proposals) {
    if (pr.snapshot !== null && needles.some((n) => JSON.stringify(pr.snapshot).includes(jsonSpelling(n)))) {
      const snapshot = replaceInJson(pr.snapshot, needles, p.name);
      const snapshotSha256 = sha256(canonicalJson(snapshot));
      await tx.proposal.update({ where: { id: pr.id }, data: { snapshot: snapshot as Prisma.InputJsonValue, snapshotSha256 } });
      await audit(tx, { actorId: by.actorId, action: "proposal.snapshot.pseudonymised", objectType: "Proposal", objectId: pr.id, before: { snapshotSha256: pr.snapshotSha256 }, after: { snapshotSha256, reason: "personal-data-erasure" } });
      snapshots++;
    }
  }
  if (needles.length > 1 && proposals.length) {
    await tx.proposalTeamMember.updateMany({ where: { proposalId: { in: proposals.map((x) => x.id) }, name: user.name.trim() }, data: { name: p.name } });
  }

  // 3. e-mails: the person's own lose address and content; others' lose every mention of them
  await tx.$executeRaw`UPDATE "EmailMessage" SET "toAddress" = ${p.email}, "userId" = NULL, "subject" = '', "html" = '', "text" = '',
      "status" = CASE WHEN "status" = 'QUEUED' THEN 'FAILED'::"EmailStatus" ELSE "status" END,
      "lastError" = CASE WHEN "status" = 'QUEUED' THEN 'recipient account erased' ELSE "lastError" END
    WHERE "userId" = ${userId} OR (${email}::text IS NOT NULL AND lower("toAddress") = ${email}::text)`;
  if (needles.length) {
    const mention = Prisma.join(
      needles.map((n) => Prisma.sql`(strpos("subject", ${n}) > 0 OR strpos("html", ${escapeHtml(n)}) > 0 OR strpos("text", ${n}) > 0)`),
      " OR ",
    );
    await tx.$executeRaw`UPDATE "EmailMessage" SET "subject" = ${replacedText("subject", needles, p.name)}, "html" = ${replacedText("html", needles, p.name)}, "text" = ${replacedText("text", needles, p.name)}
      WHERE ${mention}`;
  }

  // 4. inbox: theirs goes; others' notices that name them are rewritten
  await tx.notification.deleteMany({ where: { userId } });
  const spelled = needles.length ? Prisma.join(needles.map((n) => Prisma.sql`strpos("params"::text, ${jsonSpelling(n)}) > 0`), " OR ") : Prisma.sql`false`;
  const notices = await tx.$queryRaw<{ id: string; params: unknown }[]>`SELECT "id", "params" FROM "Notification" WHERE ${spelled}`;
  for (const n of notices) await tx.notification.update({ where: { id: n.id }, data: { params: replaceInJson(n.params, needles, p.name) as Prisma.InputJsonValue } });

  // 5. sign-in history, links, attempt counters keyed by the address
  await tx.session.deleteMany({ where: { userId } });
  await tx.emailToken.deleteMany({ where: { userId } });
  // the WeChat identity would sign the tombstone in again; its authorisations in progress go with it
  await tx.wechatIdentity.deleteMany({ where: { userId } });
  await tx.wechatAuthState.deleteMany({ where: { userId } });
  if (email) await tx.rateLimitBucket.deleteMany({ where: { key: { contains: email } } });
  // codes sent to their number, and the counters kept by its keyed hash
  await tx.smsCode.deleteMany({ where: { OR: [{ userId }, ...(user.phoneHmac ? [{ phoneHmac: user.phoneHmac }] : [])] } });
  if (user.phoneHmac) await tx.rateLimitBucket.deleteMany({ where: { key: { contains: user.phoneHmac } } });

  // 6. where the account appears by name or address
  if (email) {
    await tx.invitation.updateMany({ where: { email }, data: { email: p.email } });
    await tx.partnerInvitation.updateMany({ where: { email }, data: { email: p.email } });
  }
  await tx.organizationMember.updateMany({ where: { userId }, data: { name: p.name } });
  await tx.roundJudge.updateMany({ where: { OR: [{ userId }, ...byEmail({ email: email ?? "" })] }, data: { name: p.name, email: p.email } });

  // 7. gifts: amount, receipt number and ledger stay; name, address and message go
  const mine = { OR: [{ userId }, ...byEmail({ email: email ?? "" })] };
  await tx.donation.updateMany({ where: mine, data: { donorName: null, message: null, email: p.email } });
  await tx.recurringGift.updateMany({ where: mine, data: { donorName: null, message: null, email: p.email, customerId: null } });
  // their consents stay as proof, under the pseudonym; from where they were given goes (the
  // consent table's guard allows exactly this change)
  await tx.consent.updateMany({
    where: { OR: [{ userId }, { donation: { is: mine } }, { recurringGift: { is: mine } }], NOT: { ip: null, userAgent: null } },
    data: { ip: null, userAgent: null },
  });

  // 8. photos of the person's own needs
  const photos = await tx.need.findMany({ where: { authorId: userId, photoUploadId: { not: null } }, select: { id: true, photo: { select: { id: true, storageKey: true } } } });
  if (photos.length) {
    await tx.need.updateMany({ where: { id: { in: photos.map((n) => n.id) } }, data: { photoUploadId: null } });
    for (const n of photos) {
      if (!n.photo) continue;
      await tx.upload.delete({ where: { id: n.photo.id } });
      filesToDelete.push(n.photo.storageKey);
    }
  }

  // 8b. the needs they follow (comments stay, under the pseudonym)
  await tx.needFollow.deleteMany({ where: { userId } });

  // 8c. their volunteer registrations: Party membership, branch, skills, availability and the wall
  // consent are erased; the row stays (hours and wishes taken point at it) under the pseudonym
  await tx.volunteer.updateMany({ where: { userId }, data: { partyMember: false, partyBranch: null, skills: "", availability: "", showOnWall: false } });

  // 8d. their memberships of partner units end (the rows stay, naming the pseudonym)
  await tx.partnerMember.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });

  // 9. exports of their data
  const exports = await tx.personalDataExport.findMany({ where: { userId }, select: { storageKey: true } });
  filesToDelete.push(...exports.flatMap((e) => (e.storageKey ? [e.storageKey] : [])));
  await tx.personalDataExport.deleteMany({ where: { userId } });

  // 10. the account itself
  await tx.user.update({ where: { id: userId }, data: { name: p.name, email: p.email, passwordHash: "erased", emailVerifiedAt: null, phoneEnc: null, phoneHmac: null, phoneVerifiedAt: null, deletedAt: new Date() } });
  await audit(tx, {
    actorId: by.actorId,
    action: by.via === "official" ? "user.erasedOnBehalf" : "user.erased",
    objectType: "User",
    objectId: userId,
    after: { pseudonym: p.name, auditRecordsRedacted: redacted.length, snapshotsPseudonymised: snapshots, filesDeleted: filesToDelete.length, ...(by.identityCheck ? { identityCheck: by.identityCheck, inPerson: true } : {}) },
  });
  return ok({ pseudonym: p.name, filesToDelete });
}

/**
 * Runs an erasure in its own transaction and removes the stored files once it has committed.
 * `confirm`, when given, runs first in the same transaction (claiming an SMS code), so a code is
 * spent only by an erasure that happens.
 */
async function eraseAndClean(userId: string, by: Erasure, confirm?: (tx: Tx) => Promise<Result>) {
  const r = await db().$transaction(
    async (tx) => {
      if (confirm) {
        const confirmed = await confirm(tx);
        if (!confirmed.ok) return confirmed;
      }
      return eraseAccount(tx, userId, by);
    },
    { timeout: 60_000 },
  );
  if (r.ok) for (const key of r.filesToDelete) await storage().delete(key);
  return r;
}

/**
 * How a person proves it is them when deleting their own account: their password; a code sent to
 * their number (an account made with a number, which has no password); or a sign-in with WeChat
 * in the last ten minutes (an account made through WeChat, with neither).
 */
export type DeletionProof = string | { smsCode: string } | null;

/**
 * The person deletes their own account: the proof their account takes (rate-limited like a
 * password change) and an explicit confirmation. Returns the Set-Cookie header that ends the
 * browser's session.
 */
export async function deleteOwnAccount(request: Request, viewer: Pick<Actor, "id"> & { sessionId?: string }, proof: DeletionProof, confirmed: boolean): Promise<Result<{ cookie: string; pseudonym: string }>> {
  if (!confirmed) return invalid({ confirm: ["privacy.delete.confirmRequired"] });
  const key = `erase:${viewer.id}`;
  const limit = await hit(key, LIMITS.changePassword.limit, LIMITS.changePassword.windowSeconds);
  if (!limit.allowed) return fail(429, "auth.error.rateLimited");
  const user = await db().user.findUniqueOrThrow({ where: { id: viewer.id }, select: { passwordHash: true, phoneHmac: true } });
  const method = deletionMethod(user);
  let confirm: ((tx: Tx) => Promise<Result>) | undefined;
  if (method === "sms") {
    if (proof === null || typeof proof !== "object") return invalid({ code: ["validation.required"] });
    confirm = (tx) => claimDeletionCode(tx, viewer.id, proof.smsCode);
  } else if (method === "wechat") {
    // an account made through WeChat has no password: a sign-in with WeChat in the last ten minutes confirms
    if (proof !== null || !(await recentSession(viewer.sessionId))) return fail(403, "privacy.delete.signInAgain");
  } else if (typeof proof !== "string") return fail(403, "privacy.delete.signInAgain");
  else if (!(await verifyPassword(user.passwordHash, proof))) return invalid({ password: ["privacy.delete.passwordWrong"] });
  const r = await eraseAndClean(viewer.id, { via: "self", actorId: viewer.id }, confirm);
  if (!r.ok) return r;
  await reset(key);
  return ok({ cookie: await destroySession(request), pseudonym: r.pseudonym });
}

const recentSession = sessionIsRecent;

/** Which proof an account's deletion takes: a password; else a code to its number; else a fresh WeChat sign-in. */
function deletionMethod(user: { passwordHash: string; phoneHmac: string | null }): "password" | "sms" | "wechat" {
  const passwordless = isWechatOnly(user.passwordHash) || user.passwordHash === SMS_ONLY_PASSWORD;
  if (!passwordless) return "password";
  return user.phoneHmac ? "sms" : "wechat";
}

/** How the viewer confirms deleting their account (deletionMethod), and for WeChat whether the sign-in is recent enough. */
export async function deletionConfirmation(viewer: { id: string; sessionId: string }): Promise<{ method: "password" | "sms" | "wechat"; recent: boolean; maskedPhone: string | null }> {
  const user = await db().user.findUniqueOrThrow({ where: { id: viewer.id }, select: { passwordHash: true, phoneHmac: true, phoneEnc: true } });
  const method = deletionMethod(user);
  return {
    method,
    recent: method === "wechat" && (await recentSession(viewer.sessionId)),
    maskedPhone: method === "sms" && user.phoneEnc ? maskPhone(decryptPii(user.phoneEnc)) : null,
  };
}

/** An official deletes the account of a resident who asked in person, having checked their identity. */
export async function eraseForResident(official: Pick<Actor, "id" | "grants">, userId: string, identityCheck: IdentityCheck): Promise<Result<{ pseudonym: string }>> {
  if (!(IDENTITY_CHECKS as readonly string[]).includes(identityCheck)) return invalid({ identityCheck: ["privacy.official.identityRequired"] });
  if (!(await mayActForResident(db(), official, userId))) return fail(403, "privacy.official.notYourResident");
  const r = await eraseAndClean(userId, { via: "official", actorId: official.id, identityCheck });
  return r.ok ? ok({ pseudonym: r.pseudonym }) : r;
}
