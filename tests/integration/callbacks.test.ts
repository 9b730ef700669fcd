import { describe, expect, it } from "vitest";
import BeneficiariesRoute from "~/routes/projects.$ref.beneficiaries";
import CallbacksRoute from "~/routes/projects.$ref.callbacks";
import { monthKey, previousMonth } from "~/domain/callbacks";
import { drawSample } from "~/domain/sampling";
import { beneficiariesPage, registerBeneficiary, revealBeneficiary } from "~/services/projects/beneficiaries.server";
import { callBeneficiaryId, callbacksPage, drawCallSample, projectSatisfaction, recordCall, setCallSampleSize, verifySample } from "~/services/projects/callbacks.server";
import { rejectsWithStatus } from "../support/actors";
import { db } from "../support/db";
import { fundedProject, refused, refusedFields, type ProjectFixture } from "../support/project-fixture";
import { renderRoute } from "../support/render-route";
import { form, outcome, signedInRequest } from "../support/requests";
import * as beneficiariesRoute from "~/routes/projects.$ref.beneficiaries";
import * as callbacksRoute from "~/routes/projects.$ref.callbacks";

/** A distinct valid mobile number per call (the test DB is shared by the files of a worker). */
let counter = Math.floor(Math.random() * 1_000_000);
const phone = () => `139${String(++counter % 100_000_000).padStart(8, "0")}`;
const NAMES = ["张三丰", "李秀英", "王建国", "赵敏", "欧阳娜娜", "陈晓明", "刘德华", "孙悟空", "周杰伦", "吴承恩", "郑和", "冯小刚", "何炅", "马云", "黄蓉"];

const valid = (over: Partial<Record<string, string>> = {}) => ({ name: "张三丰", phone: phone(), consent: "on", consentMethod: "ORAL", consentNote: "入户走访时口头同意", ...over });

async function register(f: ProjectFixture, n: number) {
  const people: { name: string; phone: string; id: string }[] = [];
  for (let i = 0; i < n; i++) {
    const v = valid({ name: NAMES[i % NAMES.length]! });
    const r = await registerBeneficiary(f.grantee, f.project.referenceNo, v);
    if (!r.ok) throw new Error(JSON.stringify(r));
    people.push({ name: v.name!, phone: v.phone!, id: r.id });
  }
  return people;
}

describe("beneficiaries (PIPL)", () => {
  it("stores names and phones encrypted: the database holds neither plaintext", async () => {
    const f = await fundedProject();
    const people = await register(f, 3);
    const rows = await db().$queryRaw<{ nameEnc: string; phoneEnc: string; phoneHmac: string }[]>`
      SELECT "nameEnc", "phoneEnc", "phoneHmac" FROM "Beneficiary" WHERE "projectId" = ${f.project.id}`;
    expect(rows).toHaveLength(3);
    const dump = JSON.stringify(rows);
    for (const p of people) {
      expect(dump).not.toContain(p.phone);
      expect(dump).not.toContain(p.phone.slice(3, 7) + p.phone.slice(7)); // not even the last 8 digits
      expect(dump).not.toContain(p.name);
    }
    for (const r of rows) {
      expect(r.nameEnc).toMatch(/^v1:/);
      expect(r.phoneEnc).toMatch(/^v1:/);
      expect(r.phoneHmac).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it("shows masked values in every result but the audited reveal, which keeps no plaintext in the audit log", async () => {
    const f = await fundedProject();
    const v = valid({ name: "张三丰", phone: "138 1234 5678" });
    // unique across the shared test database: a fixed number would collide only within one project
    const r = await registerBeneficiary(f.grantee, f.project.referenceNo, v);
    expect(r).toEqual({ ok: true, id: expect.any(String), name: "张**", phone: "138****5678" });
    if (!r.ok) return;

    for (const viewer of [f.grantee, f.official, f.communityOfficial]) {
      const page = await beneficiariesPage(viewer, f.project.referenceNo);
      const text = JSON.stringify(page);
      expect(text).not.toContain("13812345678");
      expect(text).not.toContain("张三丰");
      expect(page.rows[0]).toMatchObject({ name: "张**", phone: "138****5678", consentMethod: "ORAL", consentNote: "入户走访时口头同意" });
      expect(page.canReveal).toBe(viewer !== f.grantee);
      expect(page.canRegister).toBe(viewer === f.grantee);
    }

    const before = await db().auditLog.count({ where: { action: "beneficiary.reveal", objectId: r.id } });
    const revealed = await revealBeneficiary(f.communityOfficial, f.project.referenceNo, r.id);
    expect(revealed).toEqual({ id: r.id, name: "张三丰", phone: "13812345678" });
    const audits = await db().auditLog.findMany({ where: { objectType: "Beneficiary", objectId: r.id }, orderBy: { seq: "asc" } });
    expect(audits.map((a) => a.action)).toEqual(["beneficiary.register", "beneficiary.reveal"]);
    expect(await db().auditLog.count({ where: { action: "beneficiary.reveal", objectId: r.id } })).toBe(before + 1);
    const reveal = audits.find((a) => a.action === "beneficiary.reveal")!;
    expect(reveal.actorId).toBe(f.communityOfficial.id);
    const auditText = JSON.stringify(audits.map((a) => [a.before, a.after]));
    expect(auditText).not.toContain("13812345678");
    expect(auditText).not.toContain("5678");
    expect(auditText).not.toContain("张三丰");

    // the call-backs page shows the sampled person masked too
    await drawCallSample(f.official, f.project.referenceNo, {});
    const cb = JSON.stringify(await callbacksPage(f.official, f.project.referenceNo));
    expect(cb).toContain("138****5678");
    expect(cb).not.toContain("13812345678");
    expect(cb).not.toContain("张三丰");
  });

  it("refuses a phone already registered in the project (whatever its formatting), keeps the typed values, allows it in another project", async () => {
    const f = await fundedProject({ count: 2 });
    const number = phone();
    expect((await registerBeneficiary(f.grantee, f.project.referenceNo, valid({ phone: number }))).ok).toBe(true);
    const spaced = `+86 ${number.slice(0, 3)}-${number.slice(3, 7)}-${number.slice(7)}`;
    const again = await registerBeneficiary(f.grantee, f.project.referenceNo, valid({ name: "李四", phone: spaced }));
    expect(again).toEqual(refusedFields(409, { phone: ["beneficiary.error.duplicatePhone"] }));
    expect(await db().beneficiary.count({ where: { projectId: f.project.id } })).toBe(1);

    // the other project's grantee may register the same person
    const other = await registerBeneficiary(f.grantees[1]!, f.projects[1]!.referenceNo, valid({ phone: number }));
    expect(other.ok).toBe(true);

    // racing registrations of one new phone: exactly one succeeds
    const racing = phone();
    const results = await Promise.all(Array.from({ length: 5 }, () => registerBeneficiary(f.grantee, f.project.referenceNo, valid({ phone: racing }))));
    expect(results.filter((x) => x.ok)).toHaveLength(1);
    expect(results.filter((x) => !x.ok).every((x) => !x.ok && x.problem.fieldErrors.phone?.[0] === "beneficiary.error.duplicatePhone")).toBe(true);
  });

  it("validates the form: consent, method, a mainland mobile number, a name", async () => {
    const f = await fundedProject();
    const r = await registerBeneficiary(f.grantee, f.project.referenceNo, { name: "", phone: "12345", consentMethod: "", consentNote: "" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem).toEqual({
      status: 400,
      formErrors: [],
      fieldErrors: {
        name: ["beneficiary.error.nameRequired"],
        phone: ["beneficiary.error.phoneInvalid"],
        consent: ["beneficiary.error.consentRequired"],
        consentMethod: ["beneficiary.error.consentMethodRequired"],
      },
    });
    expect(await db().beneficiary.count({ where: { projectId: f.project.id } })).toBe(0);
  });

  it("lets only the grantee register, only the project's officials see and reveal", async () => {
    const f = await fundedProject();
    const [p] = await register(f, 1);
    const ref = f.project.referenceNo;
    await rejectsWithStatus(registerBeneficiary(f.official, ref, valid()), 403);
    await rejectsWithStatus(registerBeneficiary(f.outsider, ref, valid()), 403);
    await rejectsWithStatus(revealBeneficiary(f.grantee, ref, p!.id), 403);
    await rejectsWithStatus(revealBeneficiary(f.otherCommunityOfficial, ref, p!.id), 403);
    await rejectsWithStatus(revealBeneficiary(f.outsider, ref, p!.id), 403);
    await rejectsWithStatus(beneficiariesPage(f.otherCommunityOfficial, ref), 403);
    await rejectsWithStatus(beneficiariesPage(f.outsider, ref), 403);
    await rejectsWithStatus(beneficiariesPage(f.nobody, ref), 403);
    await rejectsWithStatus(beneficiariesPage(f.official, "NOPE-0000"), 404);
    // a beneficiary of another project cannot be revealed through this one
    const g = await fundedProject();
    await rejectsWithStatus(revealBeneficiary(g.official, g.project.referenceNo, p!.id), 404);
    expect(await db().auditLog.count({ where: { action: "beneficiary.reveal", objectId: p!.id } })).toBe(0);
  });

  it("paginates the list", async () => {
    const f = await fundedProject();
    await register(f, 27);
    const first = await beneficiariesPage(f.official, f.project.referenceNo);
    expect(first).toMatchObject({ total: 27, page: 1, pages: 2 });
    expect(first.rows).toHaveLength(25);
    const second = await beneficiariesPage(f.official, f.project.referenceNo, "2");
    expect(second.rows).toHaveLength(2);
    expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(27);
  });
});

describe("call-backs (回访)", () => {
  it("draws a sample reproducible from its seed, one per project per month", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    await register(f, 12);
    await db().project.update({ where: { id: f.project.id }, data: { callSampleSize: 5 } });

    const drawn = await drawCallSample(f.official, ref, { seed: "2026年11月 公开种子" });
    expect(drawn).toMatchObject({ ok: true, seed: "2026年11月 公开种子", size: 5 });
    const sample = await db().callSample.findUniqueOrThrow({ where: { projectId_month: { projectId: f.project.id, month: monthKey(new Date()) } }, include: { calls: true } });
    expect(sample).toMatchObject({ seed: "2026年11月 公开种子", size: 5, drawnById: f.official.id });

    // anyone can redraw: sorted ids of everyone registered, drawSample with the seed
    const ids = (await db().beneficiary.findMany({ where: { projectId: f.project.id }, select: { id: true } })).map((b) => b.id);
    expect(new Set(sample.calls.map((c) => c.beneficiaryId))).toEqual(new Set(drawSample(ids, 5, "2026年11月 公开种子")));
    expect((await verifySample(db(), sample.id)).matches).toBe(true);
    // registering more people later does not change the verification of this month's draw
    await register(f, 2);
    expect((await verifySample(db(), sample.id)).matches).toBe(true);

    const page = await callbacksPage(f.official, ref);
    expect(page.sample).toMatchObject({ seed: "2026年11月 公开种子", size: 5, verified: true });
    expect(page.calls).toHaveLength(5);
    expect(page.canDraw).toBe(false);

    // once a month
    expect(await drawCallSample(f.official2, ref, {})).toEqual(refused(409, "callback.error.alreadyDrawn"));
    const last = previousMonth(monthKey(new Date()));
    const racing = await Promise.all([drawCallSample(f.official, ref, { month: last }), drawCallSample(f.official2, ref, { month: last })]);
    expect(racing.filter((r) => r.ok)).toHaveLength(1);
    expect(await db().callSample.count({ where: { projectId: f.project.id } })).toBe(2);

    // a random seed is recorded when none is typed; future months and bad seeds are refused
    const g = await fundedProject();
    await register(g, 3);
    const random = await drawCallSample(g.official, g.project.referenceNo, {});
    expect(random).toMatchObject({ ok: true, size: 3 });
    expect(random.ok && random.seed).toMatch(/^[0-9a-f]{16}$/);
    expect(await drawCallSample(g.official, g.project.referenceNo, { month: "2999-01" })).toEqual(refused(400, "callback.error.futureMonth"));
    expect(await drawCallSample(g.official, g.project.referenceNo, { month: "2026-13" })).toEqual(refused(400, "callback.error.month"));
    expect(await drawCallSample(g.official, g.project.referenceNo, { month: last, seed: "x".repeat(65) })).toEqual(refused(400, "callback.error.seed"));

    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "callback.sample.draw", objectId: sample.id } });
    expect(audit.after).toMatchObject({ seed: "2026年11月 公开种子", size: 5, population: 12, month: sample.month });
  });

  it("defaults the size so the subdistrict's active projects share about 250 calls, capped at the beneficiaries", async () => {
    const f = await fundedProject({ count: 3 });
    await register(f, 4);
    const page = await callbacksPage(f.official, f.project.referenceNo);
    expect(page.planned).toMatchObject({ configured: null, activeProjects: 3, beneficiaries: 4, size: 4 });
    await db().project.updateMany({ where: { id: { in: f.projects.slice(1).map((p) => p.id) } }, data: { status: "CLOSED" } });
    expect((await callbacksPage(f.official, f.project.referenceNo)).planned.activeProjects).toBe(1);

    // an official may set the project's own size (audited); blank restores the default
    expect(await setCallSampleSize(f.official, f.project.referenceNo, { size: "0" })).toEqual(refused(400, "callback.error.size"));
    expect(await setCallSampleSize(f.official, f.project.referenceNo, { size: "2" })).toEqual({ ok: true });
    expect((await callbacksPage(f.official, f.project.referenceNo)).planned).toMatchObject({ configured: 2, size: 2 });
    expect(await setCallSampleSize(f.official, f.project.referenceNo, { size: "" })).toEqual({ ok: true });
    expect((await db().auditLog.findFirstOrThrow({ where: { action: "callback.sampleSize", objectId: f.project.id }, orderBy: { seq: "desc" } })).after).toEqual({ callSampleSize: null });
    await rejectsWithStatus(setCallSampleSize(f.grantee, f.project.referenceNo, { size: "3" }), 403);

    const empty = await fundedProject();
    expect((await callbacksPage(empty.official, empty.project.referenceNo)).canDraw).toBe(false);
    expect(await drawCallSample(empty.official, empty.project.referenceNo, {})).toEqual(refused(409, "callback.error.noBeneficiaries"));
  });

  it("turns recorded outcomes into the satisfaction score, per month and overall, and audits each call", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    await register(f, 6);
    await db().project.update({ where: { id: f.project.id }, data: { callSampleSize: 6 } });
    expect((await drawCallSample(f.official, ref, { seed: "s1" })).ok).toBe(true);
    const calls = (await callbacksPage(f.official, ref)).calls;
    const outcomes = ["SATISFIED", "SATISFIED", "PARTLY", "NOT_SATISFIED", "UNREACHED"];
    for (const [i, outcome] of outcomes.entries()) {
      expect(await recordCall(f.official, ref, { callId: calls[i]!.id, outcome, note: i === 3 ? "希望增加服务次数" : "" })).toEqual({ ok: true });
    }
    const page = await callbacksPage(f.official, ref);
    expect(page.monthCounts).toEqual({ satisfied: 2, partly: 1, notSatisfied: 1, unreached: 1, pending: 1 });
    // (2 + 0.5) / 4 reached × 100
    expect(page.monthScore).toBe(62.5);
    expect(page.satisfaction.overall.score).toBe(62.5);
    expect(page.satisfaction.months[0]).toMatchObject({ score: 62.5, size: 6 });

    // a correction is recorded with what it replaced
    expect(await recordCall(f.communityOfficial, ref, { callId: calls[3]!.id, outcome: "PARTLY" })).toEqual({ ok: true });
    expect((await projectSatisfaction(db(), f.project.id)).overall.score).toBe(75);
    const audits = await db().auditLog.findMany({ where: { action: "callback.record", objectId: calls[3]!.id }, orderBy: { seq: "asc" } });
    expect(audits).toHaveLength(2);
    expect(audits[1]!.before).toEqual({ outcome: "NOT_SATISFIED" });
    expect(audits[1]!.after).toMatchObject({ outcome: "PARTLY" });
    expect(JSON.stringify(audits.map((a) => [a.before, a.after]))).not.toContain("希望增加服务次数");
    expect(await db().auditLog.count({ where: { action: "callback.record", objectId: { in: calls.map((c) => c.id) } } })).toBe(6);

    expect(await recordCall(f.official, ref, { callId: calls[5]!.id, outcome: "MAYBE" })).toEqual(refused(400, "callback.error.outcome"));

    // dialling: the sampled person's number through the audited reveal
    const beneficiaryId = await callBeneficiaryId(f.official, ref, calls[5]!.id);
    const revealed = await revealBeneficiary(f.official, ref, beneficiaryId, "callback");
    expect(revealed.phone).toMatch(/^1\d{10}$/);
    expect((await db().auditLog.findFirstOrThrow({ where: { action: "beneficiary.reveal", objectId: beneficiaryId } })).after).toMatchObject({ purpose: "callback" });

    // a call of another project is not reachable through this one
    const g = await fundedProject();
    await rejectsWithStatus(recordCall(g.official, g.project.referenceNo, { callId: calls[5]!.id, outcome: "SATISFIED" }), 404);
  });

  it("is for the project's officials only", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    await register(f, 2);
    expect((await drawCallSample(f.communityOfficial, ref, {})).ok).toBe(true);
    const callId = (await callbacksPage(f.communityOfficial, ref)).calls[0]!.id;
    for (const who of [f.grantee, f.otherCommunityOfficial, f.outsider, f.nobody]) {
      await rejectsWithStatus(callbacksPage(who, ref), 403);
      await rejectsWithStatus(drawCallSample(who, ref, { month: "2020-01" }), 403);
      await rejectsWithStatus(recordCall(who, ref, { callId, outcome: "SATISFIED" }), 403);
      await rejectsWithStatus(callBeneficiaryId(who, ref, callId), 403);
    }
    expect(await db().callSample.count({ where: { projectId: f.project.id } })).toBe(1);
  });
});

describe("pages", () => {
  it("render masked values, the reveal only for officials, in both languages", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    const [p] = await register(f, 1);
    const granteeHtml = renderRoute(BeneficiariesRoute, { view: await beneficiariesPage(f.grantee, ref) });
    expect(granteeHtml).toContain("服务对象登记");
    expect(granteeHtml).toContain(p!.name[0] + "**");
    expect(granteeHtml).not.toContain(p!.phone);
    expect(granteeHtml).not.toContain("查看完整信息");
    expect(granteeHtml).toContain('name="consent"');

    const view = await beneficiariesPage(f.official, ref);
    const officialHtml = renderRoute(BeneficiariesRoute, { view }, undefined, "en");
    expect(officialHtml).toContain("Reveal");
    expect(officialHtml).not.toContain(p!.phone);
    expect(officialHtml).not.toContain('name="consent"');
    const revealed = await revealBeneficiary(f.official, ref, p!.id);
    const revealHtml = renderRoute(BeneficiariesRoute, { view }, { intent: "reveal", result: null, revealed, registered: null });
    expect(revealHtml).toContain(p!.phone);
    expect(revealHtml).toContain("审计日志");

    // a failed registration shows the error next to the field and keeps what was typed
    const typed = { name: "钱学森", phone: p!.phone, consent: "on", consentMethod: "WRITTEN", consentNote: "签字同意书" };
    const failed = await registerBeneficiary(f.grantee, ref, typed);
    expect(failed.ok).toBe(false);
    const errorHtml = renderRoute(
      BeneficiariesRoute,
      { view: await beneficiariesPage(f.grantee, ref) },
      {
        intent: "register",
        result: { status: "error", initialValue: typed, error: failed.ok ? {} : failed.problem.fieldErrors },
        revealed: null,
        registered: null,
      },
    );
    expect(errorHtml).toContain("该手机号已在本项目登记过");
    expect(errorHtml).toContain('value="钱学森"');
    expect(errorHtml).toContain("签字同意书");

    expect((await drawCallSample(f.official, ref, { seed: "page-seed" })).ok).toBe(true);
    const cb = await callbacksPage(f.official, ref);
    const cbHtml = renderRoute(CallbacksRoute, { view: cb, done: "callback.done.drawn" });
    expect(cbHtml).toContain("page-seed");
    expect(cbHtml).toContain("已用种子重新抽取核对：一致");
    expect(cbHtml).toContain("显示号码");
    expect(cbHtml).not.toContain(p!.phone);
    expect(renderRoute(CallbacksRoute, { view: cb, done: null }, undefined, "en")).toContain("Redrawn from the seed: it matches.");
  });
});

describe("route actions", () => {
  it("register, reveal, draw and record through the forms; officials-only actions answer 403 to the grantee", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    const params = { ref };
    const url = `/projects/${ref}/beneficiaries`;
    const number = phone();
    const post = async (userId: string, path: string, fields: Record<string, string>, action: (args: never) => Promise<unknown>) =>
      outcome(async () => action({ request: await signedInRequest(userId, path, form(fields)), params, context: {} } as never));

    const registered = await post(f.grantee.id, url, { intent: "register", name: "孙中山", phone: number, consent: "on", consentMethod: "ORAL", consentNote: "" }, beneficiariesRoute.action);
    const body = (registered.value as { data: { registered: { id: string; name: string; phone: string } } }).data;
    expect(registered.value).toMatchObject({ init: { headers: { "Cache-Control": "no-store" } } });
    expect(body.registered).toMatchObject({ name: "孙**", phone: `${number.slice(0, 3)}****${number.slice(7)}` });

    const missingConsent = await post(f.grantee.id, url, { intent: "register", name: "孙中山", phone: phone(), consentMethod: "ORAL" }, beneficiariesRoute.action);
    // refused: what was typed and the error next to its field come back in the form's reply, not cached either
    expect(missingConsent.value).toMatchObject({
      init: { status: 400, headers: { "Cache-Control": "no-store" } },
      data: { intent: "register", result: { initialValue: { name: "孙中山" }, error: { consent: ["beneficiary.error.consentRequired"] } } },
    });

    const reveal = { intent: "reveal", beneficiaryId: body.registered.id };
    expect((await post(f.grantee.id, url, reveal, beneficiariesRoute.action)).status).toBe(403);
    const revealed = await post(f.official.id, url, reveal, beneficiariesRoute.action);
    const revealedValue = revealed.value as { data: { revealed: { phone: string } }; init: { headers: Record<string, string> } };
    expect(revealedValue.data.revealed.phone).toBe(number);
    expect(revealedValue.init.headers["Cache-Control"]).toBe("no-store");
    // the document responses of both pages say the same (the loaders' data answers say it too)
    expect(beneficiariesRoute.headers()).toEqual({ "Cache-Control": "no-store" });
    expect(callbacksRoute.headers()).toEqual({ "Cache-Control": "no-store" });

    const cbUrl = `/projects/${ref}/callbacks`;
    expect((await post(f.grantee.id, cbUrl, { intent: "draw" }, callbacksRoute.action)).status).toBe(403);
    const drawn = await post(f.official.id, cbUrl, { intent: "draw", month: monthKey(new Date()), seed: "" }, callbacksRoute.action);
    expect(drawn.status).toBe(302);
    expect(drawn.location).toBe(`/projects/${encodeURIComponent(ref)}/callbacks?month=${monthKey(new Date())}&done=drawn`);
    const call = await db().callRecord.findFirstOrThrow({ where: { sample: { projectId: f.project.id } } });
    const recorded = await post(f.official.id, cbUrl, { intent: "record", callId: call.id, outcome: "SATISFIED", note: "很满意", month: monthKey(new Date()) }, callbacksRoute.action);
    expect(recorded.status).toBe(302);
    expect(await db().callRecord.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({ outcome: "SATISFIED", note: "很满意", calledById: f.official.id });
    const bad = await post(f.official.id, cbUrl, { intent: "record", callId: call.id, outcome: "", note: "保留的备注" }, callbacksRoute.action);
    expect(bad.value).toMatchObject({
      init: { status: 400, headers: { "Cache-Control": "no-store" } },
      data: { intent: "record", callId: call.id, result: { initialValue: { note: "保留的备注" }, error: { "": ["callback.error.outcome"] } } },
    });

    const loaded = await outcome(async () => callbacksRoute.loader({ request: await signedInRequest(f.official.id, `${cbUrl}?done=drawn`), params, context: {} } as never));
    expect((loaded.value as { data: { done: string } }).data.done).toBe("callback.done.drawn");
    expect((await outcome(async () => callbacksRoute.loader({ request: await signedInRequest(f.grantee.id, cbUrl), params, context: {} } as never))).status).toBe(403);
  });
});
