import { describe, expect, it } from "vitest";
import { type AreaRow, person, rejectsWithStatus } from "../support/actors";
import { db, makeAreaTree, uid } from "../support/db";
import { form, outcome, signedInRequest } from "../support/requests";
import { problem } from "../support/result";
import { renderRoute } from "../support/render-route";
import { translate } from "~/lib/i18n";
import * as orgRoute from "~/routes/organizations.$id";
import { usccCheckChar } from "~/domain/uscc";
import { addMember, createOrganization, organizationPage, organizationsOf, removeMember } from "~/services/accounts/organizations.server";

const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/** A fresh, valid 统一社会信用代码 (random body, correct check character). */
function freshUscc() {
  let body = "5133";
  while (body.length < 17) body += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  return body + usccCheckChar(body);
}

/** A user with grants actually recorded, and the actor object services receive. */
const auditOf = (objectId: string) => db().auditLog.findMany({ where: { objectId }, orderBy: { seq: "asc" } });

describe("creating organizations", () => {
  it("registers a social organization with a valid code; the creator is its first member; audited", async () => {
    const { communities } = await makeAreaTree(1);
    const me = await person();
    const code = freshUscc();
    // typed with spaces and in lower case: normalised before it is checked and stored
    const typed = `${code.slice(0, 6)} ${code.slice(6).toLowerCase()}`;
    const r = await createOrganization(me, { kind: "SOCIAL_ORGANIZATION", name: "测试社工中心", areaId: communities[0]!.id, uscc: typed });
    expect(r).toMatchObject({ ok: true });
    if (!r.ok) return;
    const org = await db().organization.findUniqueOrThrow({ where: { id: r.id }, include: { members: true } });
    expect(org.uscc).toBe(code);
    expect(org.members).toHaveLength(1);
    expect(org.members[0]).toMatchObject({ userId: me.id, name: me.name, position: "负责人" });
    const log = await auditOf(r.id);
    expect(log.map((l) => l.action)).toEqual(["organization.create"]);
    expect(log[0]!.actorId).toBe(me.id);
    expect(log[0]!.after).toMatchObject({ kind: "SOCIAL_ORGANIZATION", uscc: code });
    expect((await organizationsOf(me.id)).map((o) => o.id)).toEqual([r.id]);
  });

  it("explains what is wrong with a 统一社会信用代码: missing, length, characters, check character", async () => {
    const { communities } = await makeAreaTree(1);
    const me = await person();
    const base = { kind: "SOCIAL_ORGANIZATION", name: "代码测试", areaId: communities[0]!.id };
    const good = freshUscc();
    const wrongCheck = good.slice(0, 17) + ALPHABET[(ALPHABET.indexOf(good[17]!) + 1) % 31];
    const cases: [string | undefined, string][] = [
      [undefined, "org.uscc.required"],
      [good.slice(0, 16), "org.uscc.length"],
      [`${good.slice(0, 17)}I`, "org.uscc.characters"],
      [wrongCheck, "org.uscc.checksum"],
    ];
    const before = await db().organization.count();
    for (const [uscc, message] of cases) {
      const r = await createOrganization(me, { ...base, uscc });
      expect(r).toEqual(problem(400, [], { uscc: [message] }));
    }
    expect(await db().organization.count()).toBe(before);
  });

  it("refuses a code that is already registered, with a field error, also when two requests race", async () => {
    const { communities } = await makeAreaTree(1);
    const [a, b, c] = [await person(), await person(), await person()];
    const code = freshUscc();
    const input = { kind: "SOCIAL_ORGANIZATION", name: "重复代码", areaId: communities[0]!.id, uscc: code };
    expect((await createOrganization(a, input)).ok).toBe(true);
    expect(await createOrganization(b, input)).toEqual(problem(409, [], { uscc: ["org.uscc.duplicate"] }));

    const raced = freshUscc();
    const both = await Promise.all([b, c].map((p) => createOrganization(p, { ...input, uscc: raced })));
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(both.find((r) => !r.ok)).toEqual(problem(409, [], { uscc: ["org.uscc.duplicate"] }));
    // nothing half-written: one organization, one member list, one audit record
    const orgs = await db().organization.findMany({ where: { uscc: raced }, include: { members: true } });
    expect(orgs).toHaveLength(1);
    expect(orgs[0]!.members).toHaveLength(1);
    expect(await db().auditLog.count({ where: { action: "organization.create", objectId: orgs[0]!.id } })).toBe(1);
    const loser = [b, c].find((p) => p.id !== orgs[0]!.members[0]!.userId)!;
    expect(await db().organizationMember.count({ where: { userId: loser.id } })).toBe(0);
  });

  it("a resident team needs three named members including its creator", async () => {
    const { communities } = await makeAreaTree(1);
    const me = await person();
    const before = await db().organization.count();
    const tooFew = await createOrganization(me, {
      kind: "RESIDENT_TEAM",
      name: "两人小队",
      areaId: communities[0]!.id,
      members: [{ name: "沈建华" }, {}, { name: "  " }, {}, {}],
    });
    expect(tooFew).toEqual(problem(400, [], { members: ["org.members.tooFew"] }));
    const noName = await createOrganization(me, {
      kind: "RESIDENT_TEAM",
      name: "缺名小队",
      areaId: communities[0]!.id,
      members: [{ name: "沈建华" }, { name: "韩美玲" }, { position: "成员" }],
    });
    expect(noName).toEqual(problem(400, [], { "members[2].name": ["org.members.nameMissing"] }));
    expect(await db().organization.count()).toBe(before);

    const ok = await createOrganization(me, {
      kind: "RESIDENT_TEAM",
      name: "三人小队",
      areaId: communities[0]!.id,
      creatorPosition: "队长",
      members: [{ name: "沈建华", position: "成员" }, {}, { name: "韩美玲" }, {}, {}],
    });
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    const members = await db().organizationMember.findMany({ where: { organizationId: ok.id }, orderBy: { createdAt: "asc" } });
    expect(members.map((m) => [m.name, m.position, !!m.userId]).sort()).toEqual(
      [
        [me.name, "队长", true],
        ["沈建华", "成员", false],
        ["韩美玲", null, false],
      ].sort(),
    );
  });

  it("a community organization needs its filing number; the area must be a subdistrict, community or village", async () => {
    const { root, communities } = await makeAreaTree(1);
    const me = await person();
    expect(await createOrganization(me, { kind: "COMMUNITY_ORGANIZATION", name: "社区合唱团", areaId: communities[0]!.id })).toEqual(problem(400, [], { filingNo: ["org.filingNo.required"] }));
    expect(await createOrganization(me, { kind: "COMMUNITY_ORGANIZATION", name: "社区合唱团", areaId: "no-such-area", filingNo: "DH-2026-01" })).toEqual(problem(400, [], { areaId: ["org.area.required"] }));
    const r = await createOrganization(me, { kind: "COMMUNITY_ORGANIZATION", name: "社区合唱团", areaId: root.id, filingNo: "DH-2026-01" });
    expect(r.ok).toBe(true);
  });
});

describe("who sees and changes an organization", () => {
  async function setting() {
    const { root, communities } = await makeAreaTree(2);
    const a: AreaRow = communities[0]!;
    const b: AreaRow = communities[1]!;
    const creator = await person();
    const created = await createOrganization(creator, {
      kind: "RESIDENT_TEAM",
      name: "邻里互助队",
      areaId: a.id,
      members: [{ name: "沈建华" }, { name: "韩美玲" }],
    });
    if (!created.ok) throw new Error("setup failed");
    return {
      id: created.id,
      creator,
      officialOfA: await person([{ role: "OFFICIAL", area: a }]),
      officialOfB: await person([{ role: "OFFICIAL", area: b }]),
      subdistrictOfficial: await person([{ role: "OFFICIAL", area: root as AreaRow }]),
      judge: await person([{ role: "JUDGE", area: root as AreaRow }]),
      stranger: await person(),
    };
  }

  it("members and officials whose scope covers its community see it; others get 403", async () => {
    const s = await setting();
    const page = await organizationPage(s.creator, s.id);
    expect(page.canManage).toBe(true);
    expect(page.members.map((m) => m.name)).toContain("沈建华");
    expect((await organizationPage(s.officialOfA, s.id)).canManage).toBe(false);
    expect((await organizationPage(s.subdistrictOfficial, s.id)).canManage).toBe(false);
    await rejectsWithStatus(organizationPage(s.officialOfB, s.id), 403);
    await rejectsWithStatus(organizationPage(s.judge, s.id), 403);
    await rejectsWithStatus(organizationPage(s.stranger, s.id), 403);
    await rejectsWithStatus(organizationPage(s.creator, "00000000-0000-0000-0000-000000000000"), 404);
  });

  it("only members change the member list; officials are refused", async () => {
    const s = await setting();
    await rejectsWithStatus(addMember(s.subdistrictOfficial, s.id, { name: "外人" }), 403);
    await rejectsWithStatus(addMember(s.officialOfB, s.id, { name: "外人" }), 403);
    const member = (await organizationPage(s.creator, s.id)).members.find((m) => m.name === "沈建华")!;
    await rejectsWithStatus(removeMember(s.officialOfA, s.id, member.id), 403);
    expect(await db().organizationMember.count({ where: { organizationId: s.id } })).toBe(3);
    expect(await addMember(s.creator, s.id, { name: "" })).toEqual(problem(400, [], { name: ["validation.required"] }));
  });

  it("a resident team cannot drop below three members; adding and removing are audited", async () => {
    const s = await setting();
    const members = (await organizationPage(s.creator, s.id)).members;
    const shen = members.find((m) => m.name === "沈建华")!;
    expect(await removeMember(s.creator, s.id, shen.id)).toEqual(problem(409, ["org.members.teamMinimum"]));
    expect(await db().organizationMember.count({ where: { organizationId: s.id } })).toBe(3);

    const added = await addMember(s.creator, s.id, { name: "秦志强", position: "成员" });
    expect(added.ok).toBe(true);
    const addedId = added.ok ? added.memberId : "";
    expect(await removeMember(s.creator, s.id, shen.id)).toEqual({ ok: true });
    const names = (await organizationPage(s.creator, s.id)).members.map((m) => m.name);
    expect(names).toHaveLength(3);
    expect(names).not.toContain("沈建华");

    const log = await auditOf(s.id);
    expect(log.map((l) => l.action)).toEqual(["organization.create", "organization.member.add", "organization.member.remove"]);
    // members by id: the audit log keeps no names (docs/decisions/017)
    expect(log[1]!.after).toEqual({ memberCount: 4, added: { id: addedId, position: "成员" } });
    expect(log[2]!.before).toEqual({ memberCount: 4, removed: { id: shen.id, position: null, hasAccount: false } });
    expect(JSON.stringify(log.map((l) => [l.before, l.after]))).not.toMatch(/沈建华|秦志强/);
    expect(log[2]!.after).toEqual({ memberCount: 3 });
  });

  it("two simultaneous removals cannot take a team below three", async () => {
    const s = await setting();
    await addMember(s.creator, s.id, { name: "秦志强" });
    const others = (await organizationPage(s.creator, s.id)).members.filter((m) => !m.isYou);
    const results = await Promise.all(others.slice(0, 2).map((m) => removeMember(s.creator, s.id, m.id)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await db().organizationMember.count({ where: { organizationId: s.id } })).toBe(3);
  });

  it("the page's action: one union of intents; refusals come back to their form with status and message", async () => {
    const s = await setting();
    const run = async (userId: string, fields: Record<string, string>) =>
      outcome(async () => orgRoute.action({ request: await signedInRequest(userId, `/organizations/${s.id}`, form(fields)), params: { id: s.id }, context: {} } as never));
    // someone who may only read the page is refused before what they typed is looked at
    expect((await run(s.officialOfA.id, { intent: "addMember", name: "" })).status).toBe(403);
    expect((await run(s.stranger.id, { intent: "removeMember", memberId: "x" })).status).toBe(403);
    // what was typed is checked next to its field
    expect((await run(s.creator.id, { intent: "addMember", name: "" })).value).toMatchObject({
      init: { status: 400 },
      data: { intent: "addMember", result: { error: { name: ["validation.required"] } } },
    });
    // an unknown intent is a 400, not a guess
    expect((await run(s.creator.id, { intent: "renameMember", name: "x" })).value).toMatchObject({ init: { status: 400 } });
    // the team rule refuses with 409 and the message for the remove button
    const shen = (await organizationPage(s.creator, s.id)).members.find((m) => m.name === "沈建华")!;
    expect((await run(s.creator.id, { intent: "removeMember", memberId: shen.id })).value).toMatchObject({
      init: { status: 409 },
      data: { intent: "removeMember", result: { error: { "": ["org.members.teamMinimum"] } } },
    });
    // the page shows the refusal above the member list
    const refusal = ((await run(s.creator.id, { intent: "removeMember", memberId: shen.id })).value as { data: unknown }).data;
    const html = renderRoute(orgRoute.default as never, await organizationPage(s.creator, s.id), refusal);
    expect(html).toContain('data-testid="form-problems"');
    expect(html).toContain(translate("zh-CN", "org.members.teamMinimum"));
    expect((await run(s.creator.id, { intent: "addMember", name: "秦志强", position: "成员" })).value).toMatchObject({ intent: "addMember", added: true });
    expect((await run(s.creator.id, { intent: "removeMember", memberId: shen.id })).value).toMatchObject({ intent: "removeMember", added: false });
    expect((await organizationPage(s.creator, s.id)).members.map((m) => m.name)).not.toContain("沈建华");
  });

  it("the last member with an account stays", async () => {
    const { communities } = await makeAreaTree(1);
    const me = await person();
    const r = await createOrganization(me, { kind: "COMMUNITY_ORGANIZATION", name: `合唱团${uid()}`, areaId: communities[0]!.id, filingNo: "F-1", members: [{ name: "成员甲" }] });
    if (!r.ok) throw new Error("setup failed");
    const self = (await organizationPage(me, r.id)).members.find((m) => m.isYou)!;
    expect(await removeMember(me, r.id, self.id)).toEqual(problem(409, ["org.members.lastAccountHolder"]));
  });
});
