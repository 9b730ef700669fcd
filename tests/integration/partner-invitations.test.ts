import crypto from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { usccCheckChar } from "~/domain/uscc";
import { fail } from "~/lib/result";
import { runDueJobs } from "~/services/jobs/registry.server";
import { acceptPartnerInvitation, inviteMember, partnerInvitationByToken, resendInvitation, revokeInvitation } from "~/services/partners/invitations.server";
import { createUnit, unitManagePage } from "~/services/partners/partners.server";
import { person, rejectsWithStatus } from "../support/actors";
import { clearJobQueue, db, makeAreaTree, makeUser, uid } from "../support/db";
import { linkIn, waitForMail, type ReceivedMail } from "../support/smtp";

/**
 * E-mailed invitations to act for a partner unit (services/partners/invitations.server.ts):
 * delivered through the outbox to the real SMTP test server; single-use, expiring, for the
 * invited address only, revocable and re-sent with a fresh link; per-object authorization.
 */
const smtpApi = inject("smtpApiUrl");

beforeAll(clearJobQueue);

function newUscc(): string {
  const first17 = `9133${Array.from(crypto.randomBytes(13), (b) => String(b % 10)).join("")}`;
  return first17 + usccCheckChar(first17)!;
}

async function setting() {
  const { communities } = await makeAreaTree(2);
  const [community, other] = communities as [(typeof communities)[0], (typeof communities)[0]];
  const official = await person([{ role: "OFFICIAL", area: community }]);
  const otherOfficial = await person([{ role: "OFFICIAL", area: other }]);
  const r = await createUnit(official, community.code, { name: `平湖惠民超市${uid()}`, uscc: newUscc(), intro: "", contactName: "沈经理", contactPhone: "13957312345", startsOn: "2026-01-01" });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return { community, other, official, otherOfficial, unitId: r.id };
}

/** Delivers what the outbox holds and waits for the newest invitation mail to `to`; its link's token. */
async function deliveredToken(to: string, after: ReceivedMail | null = null) {
  await runDueJobs();
  const mail = await waitForMail(smtpApi, to, (m) => m.text.includes("/partners/invitations/") && (!after || m.receivedAt > after.receivedAt || m.text !== after.text));
  const token = new URL(linkIn(mail, "/partners/invitations/")).pathname.split("/").pop()!;
  return { mail, token };
}

const problem = (status: 403 | 404 | 409, key: string) => fail(status, key);

describe("invitations to act for a partner unit", () => {
  it("an official invites by e-mail; the invited person signs up and accepts once; the link is single-use and audited without the address", async () => {
    const s = await setting();
    const email = `member-${uid()}@example.com`;
    const r = await inviteMember(s.official, s.unitId, { email: email.toUpperCase() });
    expect(r).toEqual({ ok: true, invitationId: expect.any(String) });
    // the same address again while pending: refused, nothing sent
    expect(await inviteMember(s.official, s.unitId, { email })).toEqual(fail(409, [], { fieldErrors: { email: ["partners.error.invitationPending"] } }));
    const { mail, token } = await deliveredToken(email);
    expect(mail.subject).toContain("结对共建单位邀请");
    expect(mail.text).toContain(s.official.name);
    const row = await db().partnerInvitation.findUniqueOrThrow({ where: { id: r.ok ? r.invitationId : "" } });
    expect(row.email).toBe(email);
    expect(row.tokenHash).not.toContain(token);
    // the manage page lists it, the address masked
    const page = await unitManagePage(s.unitId, s.official);
    expect(page.invitations).toEqual([expect.objectContaining({ id: row.id, state: "pending" })]);
    expect(JSON.stringify(page.invitations)).not.toContain(email);

    // before signing up: the link shows the invitation; after signing up with that address, accepting makes a member
    expect(await partnerInvitationByToken(token, null)).toMatchObject({ state: "pending", signedIn: false, invitedEmail: email });
    const user = await makeUser({ email });
    const invitee = { id: user.id, email: user.email };
    expect(await partnerInvitationByToken(token, invitee)).toMatchObject({ state: "pending", emailMatches: true });
    expect(await acceptPartnerInvitation(invitee, token)).toEqual({ ok: true, unitId: s.unitId });
    expect(await db().partnerMember.count({ where: { unitId: s.unitId, userId: user.id, revokedAt: null } })).toBe(1);
    // single-use: a second click, or anyone else, is refused and makes no second membership
    expect(await acceptPartnerInvitation(invitee, token)).toEqual(problem(409, "invitation.problem.accepted"));
    expect(await db().partnerMember.count({ where: { unitId: s.unitId, userId: user.id } })).toBe(1);
    expect((await unitManagePage(s.unitId, s.official)).invitations).toEqual([]);
    expect((await unitManagePage(s.unitId, s.official)).members.map((m) => m.name)).toEqual([user.name]);
    const log = await db().auditLog.findMany({ where: { objectId: row.id }, orderBy: { seq: "asc" } });
    expect(log.map((l) => l.action)).toEqual(["partner.invitation.create", "partner.invitation.accept"]);
    expect(JSON.stringify(log.map((l) => [l.before, l.after]))).not.toContain(email);
    expect(await acceptPartnerInvitation(invitee, "not-a-token")).toEqual(problem(404, "invitation.problem.unknown"));
  });

  it("another account cannot accept, not even signed in; simultaneous accepts by the invited person make one membership", async () => {
    const s = await setting();
    const email = `member-${uid()}@example.com`;
    await inviteMember(s.official, s.unitId, { email });
    const { token } = await deliveredToken(email);
    const intruder = await person();
    expect(await partnerInvitationByToken(token, intruder)).toMatchObject({ state: "pending", emailMatches: false });
    expect(await acceptPartnerInvitation(intruder, token)).toEqual(problem(403, "invitation.problem.wrong-email"));
    expect(await acceptPartnerInvitation({ id: intruder.id, email: null }, token)).toEqual(problem(403, "invitation.problem.wrong-email"));
    expect(await db().partnerMember.count({ where: { unitId: s.unitId, userId: intruder.id } })).toBe(0);
    const user = await makeUser({ email });
    const results = await Promise.all([0, 1, 2].map(() => acceptPartnerInvitation({ id: user.id, email }, token)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await db().partnerMember.count({ where: { unitId: s.unitId, userId: user.id } })).toBe(1);
  });

  it("an expired invitation cannot be accepted; re-sending gives a fresh link and the old one stops working", async () => {
    const s = await setting();
    const email = `late-${uid()}@example.com`;
    const r = await inviteMember(s.official, s.unitId, { email });
    if (!r.ok) throw new Error("invite");
    const first = await deliveredToken(email);
    const user = await makeUser({ email });
    await db().partnerInvitation.update({ where: { id: r.invitationId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await partnerInvitationByToken(first.token, user)).toMatchObject({ state: "expired" });
    expect(await acceptPartnerInvitation({ id: user.id, email }, first.token)).toEqual(problem(409, "invitation.problem.expired"));
    expect((await unitManagePage(s.unitId, s.official)).invitations).toEqual([expect.objectContaining({ state: "expired" })]);
    // an official of another community may not re-send it
    await rejectsWithStatus(resendInvitation(s.otherOfficial, s.unitId, { invitationId: r.invitationId }), 403);
    expect(await resendInvitation(s.official, s.unitId, { invitationId: r.invitationId })).toEqual({ ok: true });
    const second = await deliveredToken(email, first.mail);
    expect(second.token).not.toBe(first.token);
    expect(await acceptPartnerInvitation({ id: user.id, email }, first.token)).toEqual(problem(404, "invitation.problem.unknown"));
    expect(await acceptPartnerInvitation({ id: user.id, email }, second.token)).toEqual({ ok: true, unitId: s.unitId });
    expect(await resendInvitation(s.official, s.unitId, { invitationId: r.invitationId })).toEqual(problem(409, "partners.error.invitationNotPending"));
    expect((await db().auditLog.findMany({ where: { objectId: r.invitationId }, orderBy: { seq: "asc" } })).map((l) => l.action)).toEqual([
      "partner.invitation.create",
      "partner.invitation.resend",
      "partner.invitation.accept",
    ]);
  });

  it("a revoked invitation cannot be accepted; only officials of a community the unit is paired with invite, re-send or revoke", async () => {
    const s = await setting();
    const email = `gone-${uid()}@example.com`;
    const resident = await person();
    await rejectsWithStatus(inviteMember(s.otherOfficial, s.unitId, { email }), 403);
    await rejectsWithStatus(inviteMember(resident, s.unitId, { email }), 403);
    await rejectsWithStatus(inviteMember(s.official, crypto.randomUUID(), { email }), 404);
    const r = await inviteMember(s.official, s.unitId, { email });
    if (!r.ok) throw new Error("invite");
    const { token } = await deliveredToken(email);
    await rejectsWithStatus(revokeInvitation(s.otherOfficial, s.unitId, { invitationId: r.invitationId }), 403);
    await rejectsWithStatus(unitManagePage(s.unitId, s.otherOfficial), 403);
    // the invitation of one unit is not found through another unit's page, even by its own official
    const elsewhere = await createUnit(s.otherOfficial, s.other.code, { name: `另一单位${uid()}`, uscc: newUscc(), intro: "", contactName: "王经理", contactPhone: "13957312346", startsOn: "2026-01-01" });
    if (!elsewhere.ok) throw new Error("unit");
    await rejectsWithStatus(revokeInvitation(s.otherOfficial, elsewhere.id, { invitationId: r.invitationId }), 404);
    expect(await revokeInvitation(s.official, s.unitId, { invitationId: r.invitationId })).toEqual({ ok: true });
    expect(await revokeInvitation(s.official, s.unitId, { invitationId: r.invitationId })).toEqual(problem(409, "partners.error.invitationNotPending"));
    const user = await makeUser({ email });
    expect(await partnerInvitationByToken(token, user)).toMatchObject({ state: "revoked" });
    expect(await acceptPartnerInvitation({ id: user.id, email }, token)).toEqual(problem(409, "invitation.problem.revoked"));
    expect(await db().partnerMember.count({ where: { userId: user.id } })).toBe(0);
    const log = await db().auditLog.findFirstOrThrow({ where: { objectId: r.invitationId, action: "partner.invitation.revoke" } });
    expect(log.actorId).toBe(s.official.id);
    // an invitation dies with its inviter's powers
    const email2 = `late2-${uid()}@example.com`;
    const r2 = await inviteMember(s.official, s.unitId, { email: email2 });
    if (!r2.ok) throw new Error("invite");
    const t2 = (await deliveredToken(email2)).token;
    await db().roleGrant.updateMany({ where: { userId: s.official.id }, data: { revokedAt: new Date() } });
    const user2 = await makeUser({ email: email2 });
    expect(await acceptPartnerInvitation({ id: user2.id, email: email2 }, t2)).toEqual(problem(409, "invitation.problem.revoked"));
  });

  it("an address that is already a member is not invited", async () => {
    const s = await setting();
    const member = await person();
    const r = await inviteMember(s.official, s.unitId, { email: member.email });
    if (!r.ok) throw new Error("invite");
    const { token } = await deliveredToken(member.email);
    expect(await acceptPartnerInvitation(member, token)).toEqual({ ok: true, unitId: s.unitId });
    expect(await inviteMember(s.official, s.unitId, { email: member.email })).toEqual(fail(409, [], { fieldErrors: { email: ["partners.error.alreadyMember"] } }));
  });
});
