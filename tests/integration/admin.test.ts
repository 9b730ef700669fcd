import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db, makeAreaTree, makeUser, uid } from "../support/db";
import { form, outcome, signedInRequest } from "../support/requests";
import { problem } from "../support/result";
import { renderRoute } from "../support/render-route";
import * as staffRoute from "~/routes/admin.areas.$code";
import * as meRoute from "~/routes/me";
import { meDashboard } from "~/services/accounts/me.server";
import * as invitationRoute from "~/routes/invitations.$token";
import type { Role } from "~/domain/permissions";
import * as Outbox from "~/lib/outbox.server";
import { httpStatusOf } from "~/lib/permissions.server";
import {
  acceptInvitation,
  administeredAreas,
  areaStaffPage,
  invitationByToken,
  inviteStaff,
  revokeGrant,
  revokeInvitation,
} from "~/services/accounts/staff.server";
import type { Actor } from "~/services/accounts/actor.server";

// lets a test make the outbox fail half-way through a decision (spies on the module's exports, not
// a module mock: files of a worker share their modules)
const outbox = { fail: false };
beforeAll(() => {
  for (const name of ["queueEmail", "queueUserEmail"] as const) {
    const original = Outbox[name] as (...args: unknown[]) => Promise<unknown>;
    vi.spyOn(Outbox, name).mockImplementation((async (...args: unknown[]) => {
      if (outbox.fail) throw new Error("outbox unavailable");
      return original(...args);
    }) as never);
  }
});
afterAll(() => {
  vi.restoreAllMocks();
});

type AreaRow = { id: string; code: string; path: string; level: string };

/** A user whose grants are recorded in the database, and the actor object services receive. */
async function person(grants: { role: Role; area: AreaRow }[] = [], email?: string) {
  const user = await makeUser({ email });
  for (const g of grants) await db().roleGrant.create({ data: { userId: user.id, role: g.role, areaId: g.area.id } });
  const actor: Actor & { email: string } = {
    id: user.id,
    name: user.name,
    email: user.email,
    locale: "zh-CN",
    organizations: [],
    grants: grants.map((g) => ({ role: g.role, areaPath: g.area.path, areaLevel: g.area.level })),
  };
  return actor;
}

async function statusOf(promise: Promise<unknown>) {
  return promise.then(
    () => null,
    (e: unknown) => httpStatusOf(e),
  );
}

async function district() {
  const { root, communities } = await makeAreaTree(2);
  const a: AreaRow = communities[0]!;
  const b: AreaRow = communities[1]!;
  return {
    root: root as AreaRow,
    a,
    b,
    subdistrictOfficial: await person([{ role: "OFFICIAL", area: root as AreaRow }]),
    officialOfA: await person([{ role: "OFFICIAL", area: a }]),
  };
}

/** The token in the newest invitation email to `to`, read from the outbox row's text. */
async function invitationTokenFor(to: string) {
  const mail = await db().emailMessage.findFirstOrThrow({ where: { toAddress: to, template: "invitation" }, orderBy: { createdAt: "desc" } });
  const m = /\/invitations\/([A-Za-z0-9_-]+)/.exec(mail.text);
  if (!m) throw new Error("no invitation link in the email");
  return { token: m[1]!, mail };
}

describe("area scope", () => {
  it("an official of community A reads A's staff only, and cannot invite even there", async () => {
    const d = await district();
    const pageA = await areaStaffPage(d.officialOfA, d.a.code, 1);
    expect(pageA.canManage).toBe(false);
    expect(pageA.grantableRoles).toEqual([]);
    expect(pageA.invitations).toEqual([]);
    expect(pageA.grants.map((g) => g.userEmail)).toContain(d.officialOfA.email);
    // the subdistrict official's grant is above A, not in A's subtree
    expect(pageA.grants.map((g) => g.userEmail)).not.toContain(d.subdistrictOfficial.email);

    expect(await statusOf(areaStaffPage(d.officialOfA, d.b.code, 1))).toBe(403);
    expect(await statusOf(areaStaffPage(d.officialOfA, d.root.code, 1))).toBe(403);
    expect(await statusOf(administeredAreas(d.officialOfA))).toBe(403);
    const before = await db().invitation.count();
    expect(await statusOf(inviteStaff(d.officialOfA, { email: `x-${uid()}@example.com`, role: "JUDGE", areaId: d.a.id }))).toBe(403);
    expect(await statusOf(inviteStaff(d.officialOfA, { email: `x-${uid()}@example.com`, role: "OFFICIAL", areaId: d.b.id }))).toBe(403);
    expect(await db().invitation.count()).toBe(before);
  });

  it("a subdistrict official sees and manages every community in it, and nothing outside", async () => {
    const d = await district();
    const other = await makeAreaTree(1);
    for (const area of [d.root, d.a, d.b]) {
      const page = await areaStaffPage(d.subdistrictOfficial, area.code, 1);
      expect(page.canManage).toBe(true);
      expect(page.grantableRoles).toEqual(["OFFICIAL", "JUDGE", "FOUNDATION_MANAGER", "MENTOR"]);
    }
    const rootPage = await areaStaffPage(d.subdistrictOfficial, d.root.code, 1);
    expect(rootPage.areaOptions.map((o) => o.id)).toEqual([d.root.id, d.a.id, d.b.id]);
    expect(rootPage.grants.map((g) => g.userEmail)).toEqual(expect.arrayContaining([d.subdistrictOfficial.email, d.officialOfA.email]));
    expect(await statusOf(areaStaffPage(d.subdistrictOfficial, other.root.code, 1))).toBe(403);
    expect(await statusOf(areaStaffPage(d.subdistrictOfficial, `nope-${uid()}`, 1))).toBe(404);
    // an administrator's role is not for a subdistrict official to give
    expect(await statusOf(inviteStaff(d.subdistrictOfficial, { email: `x-${uid()}@example.com`, role: "ADMIN", areaId: d.a.id }))).toBe(403);
    expect(await statusOf(inviteStaff(d.subdistrictOfficial, { email: `x-${uid()}@example.com`, role: "JUDGE", areaId: other.root.id }))).toBe(403);
    const index = await administeredAreas(d.subdistrictOfficial);
    expect(index.map((a) => a.code)).toEqual([d.root.code]);
    expect(index[0]!.children.map((c) => c.code)).toEqual([d.a.code, d.b.code]);
  });
});

describe("invitations", () => {
  it("create → email queued → accepted once, by the invited address only; audited and the inviter told", async () => {
    const d = await district();
    const email = `judge-${uid()}@example.com`;
    const r = await inviteStaff(d.subdistrictOfficial, { email: email.toUpperCase(), role: "JUDGE", areaId: d.root.id });
    expect(r).toMatchObject({ ok: true, kind: "invited", email });
    if (!r.ok || r.kind !== "invited") return;

    const { token, mail } = await invitationTokenFor(email);
    expect(mail.status).toBe("QUEUED");
    expect(mail.subject).toContain("评审专家");
    const inv = await db().invitation.findUniqueOrThrow({ where: { id: r.invitationId } });
    expect(inv.tokenHash).not.toContain(token); // only the hash is stored
    expect(inv.expiresAt.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    expect((await db().auditLog.findMany({ where: { objectId: inv.id } })).map((l) => l.action)).toEqual(["invitation.create"]);
    expect((await areaStaffPage(d.subdistrictOfficial, d.root.code, 1)).invitations.map((i) => i.email)).toContain(email);

    // the same invitation again while one is pending: refused, nothing written
    expect(await inviteStaff(d.subdistrictOfficial, { email, role: "JUDGE", areaId: d.root.id })).toEqual(problem(409, [], { email: ["admin.invite.duplicate"] }));

    const intruder = await person();
    expect(await invitationByToken(token, intruder)).toMatchObject({ state: "pending", emailMatches: false, invitedEmail: email });
    expect(await acceptInvitation(intruder, token)).toEqual(problem(403, ["invitation.problem.wrong-email"]));
    expect(await db().roleGrant.count({ where: { userId: intruder.id } })).toBe(0);

    const invitee = await person([], email);
    expect(await invitationByToken(token, invitee)).toMatchObject({ state: "pending", emailMatches: true });
    const accepted = await acceptInvitation(invitee, token);
    expect(accepted).toMatchObject({ ok: true, role: "JUDGE", areaCode: d.root.code });
    const grants = await db().roleGrant.findMany({ where: { userId: invitee.id } });
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ role: "JUDGE", areaId: d.root.id, grantedById: d.subdistrictOfficial.id, revokedAt: null });

    expect(await acceptInvitation(invitee, token)).toEqual(problem(409, ["invitation.problem.accepted"]));
    expect(await db().roleGrant.count({ where: { userId: invitee.id } })).toBe(1);
    const log = await db().auditLog.findMany({ where: { objectId: inv.id }, orderBy: { seq: "asc" } });
    expect(log.map((l) => l.action)).toEqual(["invitation.create", "invitation.accept"]);
    expect(log[1]!.before).toEqual({ acceptedAt: null });
    expect(log[1]!.after).toMatchObject({ grantId: grants[0]!.id, userId: invitee.id, role: "JUDGE" });
    const notice = await db().notification.findFirstOrThrow({ where: { userId: d.subdistrictOfficial.id, kind: "invitationAccepted" } });
    expect(notice.params).toMatchObject({ email, role: "JUDGE", areaZh: expect.any(String), areaEn: expect.any(String) });
    expect(await acceptInvitation(invitee, "not-a-token")).toEqual(problem(404, ["invitation.problem.unknown"]));
  });

  it("simultaneous clicks on the link accept once", async () => {
    const d = await district();
    const email = `twice-${uid()}@example.com`;
    await inviteStaff(d.subdistrictOfficial, { email, role: "OFFICIAL", areaId: d.b.id });
    const { token } = await invitationTokenFor(email);
    const invitee = await person([], email);
    const results = await Promise.all([acceptInvitation(invitee, token), acceptInvitation(invitee, token), acceptInvitation(invitee, token)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await db().roleGrant.count({ where: { userId: invitee.id } })).toBe(1);
    expect(await db().auditLog.count({ where: { action: "invitation.accept", actorId: invitee.id } })).toBe(1);
  });

  it("an expired or withdrawn invitation cannot be accepted", async () => {
    const d = await district();
    const late = `late-${uid()}@example.com`;
    const gone = `gone-${uid()}@example.com`;
    const r1 = await inviteStaff(d.subdistrictOfficial, { email: late, role: "JUDGE", areaId: d.a.id });
    const r2 = await inviteStaff(d.subdistrictOfficial, { email: gone, role: "JUDGE", areaId: d.a.id });
    if (!r1.ok || r1.kind !== "invited" || !r2.ok || r2.kind !== "invited") throw new Error("setup failed");
    await db().invitation.update({ where: { id: r1.invitationId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const lateUser = await person([], late);
    const lateToken = (await invitationTokenFor(late)).token;
    expect(await invitationByToken(lateToken, lateUser)).toMatchObject({ state: "expired" });
    expect(await acceptInvitation(lateUser, lateToken)).toEqual(problem(409, ["invitation.problem.expired"]));

    // a community official may not withdraw it; the subdistrict official may, once
    expect(await statusOf(revokeInvitation(d.officialOfA, r2.invitationId))).toBe(403);
    expect(await revokeInvitation(d.subdistrictOfficial, r2.invitationId)).toEqual({ ok: true });
    expect(await revokeInvitation(d.subdistrictOfficial, r2.invitationId)).toEqual(problem(409, ["admin.invitation.notPending"]));
    const goneUser = await person([], gone);
    expect(await acceptInvitation(goneUser, (await invitationTokenFor(gone)).token)).toEqual(problem(409, ["invitation.problem.revoked"]));
    expect(await db().roleGrant.count({ where: { userId: { in: [lateUser.id, goneUser.id] } } })).toBe(0);
    const log = await db().auditLog.findFirstOrThrow({ where: { objectId: r2.invitationId, action: "invitation.revoke" } });
    expect(log.before).toMatchObject({ revokedAt: null });
    expect(log.after).toMatchObject({ revokedAt: expect.any(String) });
  });

  it("an invitation dies with its inviter's powers", async () => {
    const d = await district();
    const email = `orphan-${uid()}@example.com`;
    await inviteStaff(d.subdistrictOfficial, { email, role: "JUDGE", areaId: d.a.id });
    const { token } = await invitationTokenFor(email);
    await db().roleGrant.updateMany({ where: { userId: d.subdistrictOfficial.id }, data: { revokedAt: new Date() } });
    const invitee = await person([], email);
    expect(await invitationByToken(token, invitee)).toMatchObject({ state: "revoked" });
    expect(await acceptInvitation(invitee, token)).toEqual(problem(409, ["invitation.problem.revoked"]));
  });

  it("a foundation manager is invited for the area that holds exactly one foundation", async () => {
    const d = await district();
    const before = await db().invitation.count();
    expect(await inviteStaff(d.subdistrictOfficial, { email: `fm-${uid()}@example.com`, role: "FOUNDATION_MANAGER", areaId: d.a.id })).toEqual(problem(409, [], { areaId: ["admin.invite.noFoundation"] }));
    expect(await db().invitation.count()).toBe(before);
    const foundation = await db().foundation.create({
      data: { slug: `f-${uid()}`, nameZh: "测试基金", nameEn: "Test fund", descriptionZh: "-", descriptionEn: "-", areaId: d.a.id },
    });
    const email = `fm-${uid()}@example.com`;
    expect((await inviteStaff(d.subdistrictOfficial, { email, role: "FOUNDATION_MANAGER", areaId: d.a.id })).ok).toBe(true);
    const invitee = await person([], email);
    expect((await acceptInvitation(invitee, (await invitationTokenFor(email)).token)).ok).toBe(true);
    expect(await db().roleGrant.findFirst({ where: { userId: invitee.id } })).toMatchObject({ role: "FOUNDATION_MANAGER", foundationId: foundation.id });
  });
});

describe("granting and revoking", () => {
  it("an address with an account is offered the immediate grant, which is emailed, notified and audited", async () => {
    const d = await district();
    const target = await person();
    const first = await inviteStaff(d.subdistrictOfficial, { email: target.email, role: "OFFICIAL", areaId: d.b.id });
    expect(first).toEqual(problem(409, [], {}, { existingAccount: { name: target.name } }));
    expect(await db().invitation.count({ where: { email: target.email } })).toBe(0);

    const granted = await inviteStaff(d.subdistrictOfficial, { email: target.email, role: "OFFICIAL", areaId: d.b.id, mode: "grant" });
    expect(granted).toMatchObject({ ok: true, kind: "granted" });
    if (!granted.ok || granted.kind !== "granted") return;
    const grant = await db().roleGrant.findUniqueOrThrow({ where: { id: granted.grantId } });
    expect(grant).toMatchObject({ userId: target.id, role: "OFFICIAL", areaId: d.b.id, grantedById: d.subdistrictOfficial.id });
    const log = await db().auditLog.findFirstOrThrow({ where: { objectId: grant.id, action: "grant.create" } });
    expect(log.actorId).toBe(d.subdistrictOfficial.id);
    expect(log.after).toMatchObject({ userId: target.id, role: "OFFICIAL", areaId: d.b.id, revokedAt: null });
    expect(await db().emailMessage.count({ where: { toAddress: target.email, template: "role-granted" } })).toBe(1);
    const notice = await db().notification.findFirstOrThrow({ where: { userId: target.id, kind: "roleGranted" } });
    expect(notice.params).toMatchObject({ role: "OFFICIAL", area: "测试社区1" });

    expect(await inviteStaff(d.subdistrictOfficial, { email: target.email, role: "OFFICIAL", areaId: d.b.id, mode: "grant" })).toEqual(problem(409, [], { email: ["admin.grant.duplicate"] }));
    expect(await inviteStaff(d.subdistrictOfficial, { email: `nobody-${uid()}@example.com`, role: "JUDGE", areaId: d.b.id, mode: "grant" })).toEqual(problem(400, [], { email: ["admin.grant.noAccount"] }));
    expect(await db().roleGrant.count({ where: { userId: target.id } })).toBe(1);
  });

  it("revoking is audited with before and after; never by oneself, a community official or outsiders", async () => {
    const d = await district();
    const judge = await person([{ role: "JUDGE", area: d.a }]);
    const grant = await db().roleGrant.findFirstOrThrow({ where: { userId: judge.id } });
    const outsider = await person([{ role: "OFFICIAL", area: (await makeAreaTree(1)).root as AreaRow }]);
    expect(await statusOf(revokeGrant(d.officialOfA, grant.id))).toBe(403);
    expect(await statusOf(revokeGrant(outsider, grant.id))).toBe(403);
    const own = await db().roleGrant.findFirstOrThrow({ where: { userId: d.subdistrictOfficial.id } });
    expect(await statusOf(revokeGrant(d.subdistrictOfficial, own.id))).toBe(403);
    expect(await db().roleGrant.count({ where: { id: { in: [grant.id, own.id] }, revokedAt: { not: null } } })).toBe(0);

    expect(await revokeGrant(d.subdistrictOfficial, grant.id)).toEqual({ ok: true });
    expect(await revokeGrant(d.subdistrictOfficial, grant.id)).toEqual(problem(409, ["admin.revoke.already"]));
    const after = await db().roleGrant.findUniqueOrThrow({ where: { id: grant.id } });
    expect(after.revokedAt).not.toBeNull();
    const logs = await db().auditLog.findMany({ where: { objectId: grant.id } });
    expect(logs.map((l) => l.action)).toEqual(["grant.revoke"]);
    expect(logs[0]!.before).toMatchObject({ role: "JUDGE", userId: judge.id, revokedAt: null });
    expect(logs[0]!.after).toMatchObject({ role: "JUDGE", userId: judge.id, revokedAt: after.revokedAt!.toISOString() });
    // a revoked grant no longer appears on the staff page
    expect((await areaStaffPage(d.subdistrictOfficial, d.a.code, 1)).grants.map((g) => g.id)).not.toContain(grant.id);
  });

  it("the staff list is paginated", async () => {
    const d = await district();
    for (let i = 0; i < 21; i++) await person([{ role: "JUDGE", area: d.b }]);
    const first = await areaStaffPage(d.subdistrictOfficial, d.b.code, 1);
    const second = await areaStaffPage(d.subdistrictOfficial, d.b.code, "2");
    expect(first.total).toBe(21);
    expect(first.pages).toBe(2);
    expect(first.grants).toHaveLength(20);
    expect(second.grants).toHaveLength(1);
    expect(new Set([...first.grants, ...second.grants].map((g) => g.id)).size).toBe(21);
  });
});

describe("the staff page's and the invitation page's actions", () => {
  it("answer each form with its intent: field errors, the offer to grant at once, a 409 for a revoked grant", async () => {
    const d = await district();
    const url = `/admin/areas/${d.root.code}`;
    const run = async (fields: Record<string, string>) =>
      outcome(async () => staffRoute.action({ request: await signedInRequest(d.subdistrictOfficial.id, url, form(fields)), params: { code: d.root.code }, context: {} } as never));
    expect((await run({ intent: "invite", email: "not an address", role: "JUDGE", areaId: d.a.id })).value).toMatchObject({
      init: { status: 400 },
      data: { intent: "invite", result: { error: { email: ["validation.email"] }, initialValue: { email: "not an address" } }, existing: null },
    });
    const target = await person();
    expect((await run({ intent: "invite", email: target.email, role: "JUDGE", areaId: d.a.id })).value).toMatchObject({
      init: { status: 409 },
      data: { intent: "invite", existing: { name: target.name, email: target.email, role: "JUDGE", areaId: d.a.id } },
    });
    expect((await run({ intent: "invite", email: target.email, role: "JUDGE", areaId: d.a.id, mode: "grant" })).value).toMatchObject({
      intent: "invite",
      notice: "admin.grant.done",
      noticeEmail: target.email,
    });
    const grant = await db().roleGrant.findFirstOrThrow({ where: { userId: target.id, revokedAt: null } });
    expect((await run({ intent: "revokeGrant", grantId: grant.id })).value).toMatchObject({ intent: "revokeGrant", notice: "admin.revoke.done" });
    expect((await run({ intent: "revokeGrant", grantId: grant.id })).value).toMatchObject({
      init: { status: 409 },
      data: { intent: "revokeGrant", result: { error: { "": ["admin.revoke.already"] } } },
    });
    expect((await run({ intent: "promote", grantId: grant.id })).value).toMatchObject({ init: { status: 400 } });
  });

  it("the staff page shows each answer where it belongs: the offer to grant at once, a refused revocation, what was typed", async () => {
    const d = await district();
    const url = `/admin/areas/${d.root.code}`;
    const run = async (fields: Record<string, string>) =>
      ((await outcome(async () => staffRoute.action({ request: await signedInRequest(d.subdistrictOfficial.id, url, form(fields)), params: { code: d.root.code }, context: {} } as never))).value as {
        data: unknown;
      }).data;
    const page = await areaStaffPage(d.subdistrictOfficial, d.root.code, 1);
    const target = await person();
    const offer = renderRoute(staffRoute.default as never, page, await run({ intent: "invite", email: target.email, role: "JUDGE", areaId: d.a.id }));
    expect(offer).toContain('data-testid="existing-account"');
    expect(offer).toContain("立即授权");
    const typo = renderRoute(staffRoute.default as never, page, await run({ intent: "invite", email: "typo@", role: "JUDGE", areaId: d.a.id }));
    expect(typo).toContain('value="typo@"');
    expect(typo).not.toContain('data-testid="existing-account"');
    const grant = await db().roleGrant.create({ data: { userId: target.id, role: "JUDGE", areaId: d.a.id } });
    await revokeGrant(d.subdistrictOfficial, grant.id);
    const refused = renderRoute(staffRoute.default as never, page, await run({ intent: "revokeGrant", grantId: grant.id }));
    expect(refused).toContain('data-testid="form-problems"');
    expect(refused).toContain("该角色此前已被撤销。");
  });

  it("/me shows an official's areas with their staff links, and the organizations part", async () => {
    const d = await district();
    const grant = { role: "OFFICIAL" as const, areaId: d.root.id, areaPath: d.root.path, areaLevel: "SUBDISTRICT" as const, areaNameZh: "测试街道", areaNameEn: "Test" };
    const viewer = { ...d.subdistrictOfficial, grants: [grant], email: `me-${uid()}@example.com`, emailVerified: true };
    const html = renderRoute(meRoute.default as never, await meDashboard(viewer as never));
    expect(html).toContain('data-testid="me-official"');
    expect(html).toContain(`href="/admin/areas/${d.root.code}"`);
    expect(html).toContain('data-testid="me-organizations"');
    expect(html).not.toContain('data-testid="me-judge"');
  });

  it("the invitation page answers a refused acceptance with the problem's status and message", async () => {
    const d = await district();
    const email = `inv-${uid()}@example.com`;
    expect((await inviteStaff(d.subdistrictOfficial, { email, role: "JUDGE", areaId: d.a.id })).ok).toBe(true);
    const { token } = await invitationTokenFor(email);
    const intruder = await person();
    const refused = await outcome(async () =>
      invitationRoute.action({ request: await signedInRequest(intruder.id, `/invitations/${token}`, form({})), params: { token }, context: {} } as never),
    );
    expect(refused.value).toMatchObject({ init: { status: 403 }, data: { problem: { formErrors: ["invitation.problem.wrong-email"] } } });
  });
});

describe("nothing half-written", () => {
  it("when the email cannot be queued, neither the invitation, the grant nor their audit records exist", async () => {
    const d = await district();
    const target = await person();
    const email = `fail-${uid()}@example.com`;
    const counts = async () => ({
      invitations: await db().invitation.count(),
      grants: await db().roleGrant.count({ where: { userId: target.id } }),
      audit: await db().auditLog.count(),
      notifications: await db().notification.count({ where: { userId: target.id } }),
    });
    const before = await counts();
    outbox.fail = true;
    try {
      await expect(inviteStaff(d.subdistrictOfficial, { email, role: "JUDGE", areaId: d.a.id })).rejects.toThrow("outbox unavailable");
      await expect(inviteStaff(d.subdistrictOfficial, { email: target.email, role: "JUDGE", areaId: d.a.id, mode: "grant" })).rejects.toThrow(
        "outbox unavailable",
      );
    } finally {
      outbox.fail = false;
    }
    expect(await counts()).toEqual(before);
    // and the same requests succeed once the outbox works again
    expect((await inviteStaff(d.subdistrictOfficial, { email, role: "JUDGE", areaId: d.a.id })).ok).toBe(true);
    expect((await inviteStaff(d.subdistrictOfficial, { email: target.email, role: "JUDGE", areaId: d.a.id, mode: "grant" })).ok).toBe(true);
  });
});
