import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SMS_CODE_MAX_TRIES } from "~/domain/sms";
import { resetEnvCache } from "~/lib/env.server";
import { queueUserEmail } from "~/lib/outbox.server";
import { decryptPii, phoneHmac } from "~/lib/pii.server";
import type { Viewer } from "~/lib/session.server";
import { changePhone, sendCode, sendDeletionCode, setNotifyBy, signInWithCode } from "~/services/accounts/phone.server";
import { deleteOwnAccount, deletionConfirmation } from "~/services/privacy/erasure.server";
import { runDueJobs } from "~/services/jobs/registry.server";
import { mergeNeed, postNeed, rejectNeed, reopenNeed } from "~/services/needs/needs.server";
import { person } from "../support/actors";
import { clearJobQueue, db, makeAreaTree, makeUser, uid } from "../support/db";

/**
 * SMS sign-in and notices with the real Alibaba Cloud SDK (the adapter in lib/sms.server.ts)
 * pointed at a local HTTP stub of the SendSms API, as the Stripe tests point the Stripe SDK at
 * theirs: the stub records what it was asked to send and answers as the provider does.
 */

interface Sent {
  phone: string;
  template: string;
  params: Record<string, string>;
  signName: string;
}
const sent: Sent[] = [];
let failNext = 0;
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://stub");
  req.resume();
  req.on("end", () => {
    res.setHeader("content-type", "application/json");
    if (url.searchParams.get("Action") !== "SendSms" && !url.searchParams.get("PhoneNumbers")) {
      res.statusCode = 400;
      res.end(JSON.stringify({ Code: "InvalidAction", Message: "stub knows SendSms only", RequestId: "stub" }));
      return;
    }
    if (failNext > 0) {
      failNext--;
      res.end(JSON.stringify({ Code: "isp.SYSTEM_ERROR", Message: "try later", RequestId: "stub-fail" }));
      return;
    }
    sent.push({
      phone: url.searchParams.get("PhoneNumbers") ?? "",
      template: url.searchParams.get("TemplateCode") ?? "",
      params: JSON.parse(url.searchParams.get("TemplateParam") ?? "{}") as Record<string, string>,
      signName: url.searchParams.get("SignName") ?? "",
    });
    res.end(JSON.stringify({ Code: "OK", Message: "OK", BizId: `biz-${sent.length}`, RequestId: `req-${sent.length}` }));
  });
});

const ENV = {
  SMS_PROVIDER: "aliyun",
  SMS_ACCESS_KEY_ID: "test-key",
  SMS_ACCESS_KEY_SECRET: "test-secret",
  SMS_SIGN_NAME: "社区公益创投",
  SMS_TEMPLATE_CODE: "SMS_CODE_1",
  SMS_TEMPLATE_NOTICE: "SMS_NOTICE_1",
};

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  Object.assign(process.env, ENV, { SMS_ENDPOINT: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  resetEnvCache();
});
afterAll(async () => {
  for (const k of [...Object.keys(ENV), "SMS_ENDPOINT"]) delete process.env[k];
  resetEnvCache();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  sent.length = 0;
  failNext = 0;
});

const newPhone = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
let ipSeq = 0;
const request = () => new Request("http://localhost:3000/login/phone", { method: "POST", headers: { "x-client-ip": `198.51.100.${++ipSeq % 250}` } });
const codeSentTo = (phone: string) => [...sent].reverse().find((s) => s.phone === phone && s.template === "SMS_CODE_1")?.params.code ?? "";
const viewerOf = (u: { id: string; email: string | null; name: string }): Viewer => ({ ...u, locale: "zh-CN", emailVerified: true, grants: [], organizations: [], sessionId: "test", largeText: null });

async function sendAndRead(phone: string) {
  const r = await sendCode(request(), phone, "SIGN_IN");
  expect(r).toMatchObject({ ok: true, localCode: null });
  return codeSentTo(phone);
}

describe("signing up and in with a mobile number", () => {
  it("sends a six-digit code through the provider, stores only its hash, and signs up a new number", async () => {
    const phone = newPhone();
    const code = await sendAndRead(phone);
    expect(code).toMatch(/^\d{6}$/);
    expect(sent.at(-1)).toMatchObject({ signName: "社区公益创投", template: "SMS_CODE_1" });
    const stored = await db().smsCode.findFirstOrThrow({ where: { phoneHmac: phoneHmac(phone) } });
    expect(stored.codeHash).not.toContain(code);

    const r = await signInWithCode(request(), { phone, code, name: "王阿姨", privacy: "on" });
    expect(r).toMatchObject({ ok: true, created: true });
    const user = await db().user.findUniqueOrThrow({ where: { phoneHmac: phoneHmac(phone) } });
    expect(user).toMatchObject({ email: null, name: "王阿姨", notifyBy: "SMS" });
    expect(user.phoneEnc).not.toContain(phone.slice(3));
    expect(decryptPii(user.phoneEnc!)).toBe(phone);

    // the same number later signs in to the same account
    const again = await signInWithCode(request(), { phone, code: await sendCodeAfterWait(phone) });
    expect(again).toMatchObject({ ok: true, created: false, userId: user.id });
  });

  it("asks a new number for a name and the privacy notice without spending the code", async () => {
    const phone = newPhone();
    const code = await sendAndRead(phone);
    const r = await signInWithCode(request(), { phone, code });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem.fieldErrors).toMatchObject({ name: ["validation.required"], privacy: ["auth.error.privacyRequired"] });
    expect(await signInWithCode(request(), { phone, code, name: "李伯", privacy: "on" })).toMatchObject({ ok: true });
  });

  it("refuses a code after five minutes", async () => {
    const phone = newPhone();
    const code = await sendAndRead(phone);
    await db().smsCode.updateMany({ where: { phoneHmac: phoneHmac(phone) }, data: { expiresAt: new Date(Date.now() - 1) } });
    const r = await signInWithCode(request(), { phone, code, name: "赵", privacy: "on" });
    expect(r.ok || r.problem.fieldErrors).toEqual({ code: ["sms.error.codeExpired"] });
  });

  it("spends a code on the fifth wrong try, after which even the right one fails", async () => {
    const phone = newPhone();
    const code = await sendAndRead(phone);
    const wrong = code === "000000" ? "111111" : "000000";
    const answers = [];
    for (let i = 0; i < SMS_CODE_MAX_TRIES; i++) {
      const r = await signInWithCode(request(), { phone, code: wrong, name: "钱", privacy: "on" });
      answers.push(r.ok ? "ok" : r.problem.fieldErrors.code?.[0]);
    }
    expect(answers).toEqual([...Array<string>(SMS_CODE_MAX_TRIES - 1).fill("sms.error.codeWrong"), "sms.error.codeExhausted"]);
    const r = await signInWithCode(request(), { phone, code, name: "钱", privacy: "on" });
    expect(r.ok || r.problem.fieldErrors).toEqual({ code: ["sms.error.codeExhausted"] });
  });

  it("sends no second code to a number within a minute, nor more than five an hour", async () => {
    const phone = newPhone();
    await sendAndRead(phone);
    const soon = await sendCode(request(), phone, "SIGN_IN");
    expect(soon.ok).toBe(false);
    if (!soon.ok) {
      expect(soon.problem.status).toBe(429);
      expect(soon.problem.detail?.retryAfterSeconds).toBeGreaterThan(0);
    }
    expect(sent.filter((s) => s.phone === phone)).toHaveLength(1);

    for (let i = 0; i < 4; i++) await sendCodeAfterWait(phone);
    await backdateCodes(phone);
    const sixth = await sendCode(request(), phone, "SIGN_IN");
    expect(sixth.ok || sixth.problem.status).toBe(429);
    expect(sent.filter((s) => s.phone === phone)).toHaveLength(5);
  });

  it("limits codes from one client address across numbers", async () => {
    const ip = `203.0.113.${Math.floor(Math.random() * 250)}`;
    const from = () => new Request("http://localhost:3000/login/phone", { method: "POST", headers: { "x-client-ip": ip } });
    await db().rateLimitBucket.deleteMany({ where: { key: `sms:ip:${ip}` } });
    const answers = [];
    for (let i = 0; i < 31; i++) answers.push((await sendCode(from(), newPhone(), "SIGN_IN")).ok);
    expect(answers.filter(Boolean)).toHaveLength(30);
    expect(answers.at(-1)).toBe(false);
  });

  it("gives back the limit's hits when the provider fails, and says so", async () => {
    const phone = newPhone();
    failNext = 1;
    const r = await sendCode(request(), phone, "SIGN_IN");
    expect(r.ok || r.problem.formErrors).toEqual(["sms.error.sendFailed"]);
    expect(await db().smsCode.count({ where: { phoneHmac: phoneHmac(phone) } })).toBe(0);
    expect(await sendCode(request(), phone, "SIGN_IN")).toMatchObject({ ok: true });
  });

  it("makes one sign-in of a code verified by several requests at once", async () => {
    const phone = newPhone();
    const code = await sendAndRead(phone);
    const results = await Promise.all(Array.from({ length: 4 }, () => signInWithCode(request(), { phone, code, name: "孙", privacy: "on" })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((x) => !x.ok)) expect(r.ok || r.problem.fieldErrors).toEqual({ code: ["sms.error.codeUsed"] });
    const user = await db().user.findUniqueOrThrow({ where: { phoneHmac: phoneHmac(phone) } });
    expect(await db().session.count({ where: { userId: user.id } })).toBe(1);
    expect(await db().user.count({ where: { phoneHmac: phoneHmac(phone) } })).toBe(1);
  });
});

describe("changing the number", () => {
  it("needs the code sent to the new number, and only the account that asked can use it", async () => {
    const alice = viewerOf(await makeUser());
    const mallory = viewerOf(await makeUser());
    const phone = newPhone();
    expect(await sendCode(request(), phone, "CHANGE_PHONE", alice)).toMatchObject({ ok: true });
    const code = codeSentTo(phone);

    // another account with the same code and number is refused, and does not spend it
    const stolen = await changePhone(mallory, { phone, code });
    expect(stolen.ok).toBe(false);
    expect((await db().user.findUniqueOrThrow({ where: { id: mallory.id } })).phoneHmac).toBeNull();

    expect(await changePhone(alice, { phone, code })).toMatchObject({ ok: true });
    const row = await db().user.findUniqueOrThrow({ where: { id: alice.id } });
    expect(decryptPii(row.phoneEnc!)).toBe(phone);

    // the number is now taken: no other account may ask for a code to move to it
    const taken = await sendCode(request(), phone, "CHANGE_PHONE", mallory);
    expect(taken.ok || taken.problem.fieldErrors).toEqual({ phone: ["sms.error.phoneTaken"] });
    const audit = await db().auditLog.findFirstOrThrow({ where: { objectId: alice.id, action: "user.phoneChanged" } });
    expect(JSON.stringify([audit.before, audit.after])).not.toContain(phone);
  });
});

describe("SMS notices through the outbox", () => {
  it("go to a person who chose SMS in the event's transaction, and reach the provider once", async () => {
    await clearJobQueue();
    const user = await makeUser();
    const phone = newPhone();
    const viewer = viewerOf(user);
    await sendCode(request(), phone, "CHANGE_PHONE", viewer);
    expect(await changePhone(viewer, { phone, code: codeSentTo(phone) })).toMatchObject({ ok: true });
    expect(await setNotifyBy(viewer, "SMS")).toMatchObject({ ok: true });
    sent.length = 0;

    // a rolled-back event sends nothing
    await expect(
      db().$transaction(async (tx) => {
        await queueUserEmail(tx, { ...user, locale: "zh_CN" }, "need-update", { kind: "REPLY", number: 7, title: "楼道灯坏了", detail: "", link: "http://localhost:3000/needs/7" });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");

    const id = await db().$transaction((tx) =>
      queueUserEmail(tx, { ...user, locale: "zh_CN" }, "need-update", { kind: "REPLY", number: 8, title: "楼道灯坏了", detail: "", link: "http://localhost:3000/needs/8" }),
    );
    const row = await db().emailMessage.findUniqueOrThrow({ where: { id: id! } });
    expect(row).toMatchObject({ channel: "SMS", status: "QUEUED", html: "" });
    expect(row.toAddress).not.toContain(phone);

    await runDueJobs();
    await runDueJobs();
    const notices = sent.filter((s) => s.template === "SMS_NOTICE_1");
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ phone, params: { link: "http://localhost:3000/needs/8" } });
    // the summary is the notice email's subject in the person's language
    expect(notices[0]!.params.summary).toMatch(/楼道灯坏了/);
    expect(await db().emailMessage.findUniqueOrThrow({ where: { id: id! } })).toMatchObject({ status: "SENT", attempts: 1, messageId: expect.stringMatching(/^biz-/) });
  });

  it("stay email for a person who did not choose SMS, and a template that is no notice never goes by SMS", async () => {
    const user = await makeUser();
    const phone = newPhone();
    const viewer = viewerOf(user);
    await sendCode(request(), phone, "CHANGE_PHONE", viewer);
    await changePhone(viewer, { phone, code: codeSentTo(phone) });
    const id = await db().$transaction((tx) =>
      queueUserEmail(tx, { ...user, locale: "zh_CN" }, "need-update", { kind: "REPLY", number: 9, title: "t", detail: "", link: "http://localhost:3000/needs/9" }),
    );
    expect(await db().emailMessage.findUniqueOrThrow({ where: { id: id! } })).toMatchObject({ channel: "EMAIL", toAddress: user.email });

    await setNotifyBy(viewer, "SMS");
    const role = await db().$transaction((tx) => queueUserEmail(tx, { ...user, locale: "zh_CN" }, "role-granted", { role: "OFFICIAL", areaNameZh: "a", areaNameEn: "a", link: "http://localhost:3000/me" }));
    expect(await db().emailMessage.findUniqueOrThrow({ where: { id: role! } })).toMatchObject({ channel: "EMAIL" });
  });
});

describe("an official's ruling on a need, to an author who signed up with a number", () => {
  it("goes by SMS in the ruling's transaction and reaches the provider exactly once; a refused ruling sends nothing", async () => {
    await clearJobQueue();
    const { communities } = await makeAreaTree(1);
    const official = await person([{ role: "OFFICIAL", area: communities[0]! }]);
    const phone = newPhone();
    const signedUp = await signInWithCode(request(), { phone, code: await sendAndRead(phone), name: "周阿婆", privacy: "on" });
    if (!signedUp.ok) throw new Error("not signed up");
    const author = { id: signedUp.userId, grants: [], organizations: [] };
    const post = (title: string) => postNeed(author, { communityId: communities[0]!.id, title, description: "晚上出门看不清路，老人容易摔倒。", category: "PUBLIC_SERVICE" }, null);
    const first = await post(`路灯不亮${uid()}`);
    const second = await post(`楼道灯坏了${uid()}`);
    if (!first.ok || !second.ok) throw new Error("needs not posted");
    sent.length = 0;

    // a reason too short is refused: nothing is queued
    expect((await rejectNeed(official, first.number, { reason: "短" })).ok).toBe(false);
    expect(await rejectNeed(official, first.number, { reason: "该路段属市政管理，已转交城管部门。" })).toEqual({ ok: true });
    // the same ruling again is refused and queues nothing more
    expect((await rejectNeed(official, first.number, { reason: "再次拒绝一下" })).ok).toBe(false);
    const rows = await db().emailMessage.findMany({ where: { userId: author.id, template: "need-update" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: "SMS", status: "QUEUED" });
    expect(rows[0]!.toAddress).not.toContain(phone);

    await runDueJobs();
    await runDueJobs();
    const notices = sent.filter((s) => s.template === "SMS_NOTICE_1");
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ phone, params: { link: `http://localhost:3000/needs/${first.number}` } });
    expect(notices[0]!.params.summary).toMatch(/^您的需求未被采纳/);

    // reopening and merging are rulings too: one SMS each
    expect(await reopenNeed(official, first.number, { reason: "城管部门退回，重新征集。" })).toEqual({ ok: true });
    expect(await mergeNeed(official, second.number, { target: first.number })).toEqual({ ok: true });
    await runDueJobs();
    const summaries = sent.filter((s) => s.template === "SMS_NOTICE_1").map((s) => s.params.summary);
    expect(summaries).toHaveLength(3);
    expect(summaries.slice(1)).toEqual([expect.stringMatching(/^您的需求已重新开放/), expect.stringMatching(/^您的需求已合并/)]);
  });
});

describe("deleting an account made with a number", () => {
  async function numberOnly() {
    const phone = newPhone();
    const r = await signInWithCode(request(), { phone, code: await sendAndRead(phone), name: "吴大爷", privacy: "on" });
    if (!r.ok) throw new Error("not signed up");
    const session = await db().session.findFirstOrThrow({ where: { userId: r.userId } });
    return { phone, userId: r.userId, viewer: { id: r.userId, sessionId: session.id } };
  }
  const deletionCodeTo = (phone: string) => codeSentTo(phone);

  it("is confirmed by a code sent to the account's own number, spent once, and erases the number", async () => {
    const { phone, userId, viewer } = await numberOnly();
    expect(await deletionConfirmation(viewer)).toEqual({ method: "sms", recent: false, maskedPhone: `${phone.slice(0, 3)}****${phone.slice(-4)}` });
    await backdateCodes(phone);
    expect(await sendDeletionCode(request(), viewer)).toMatchObject({ ok: true, masked: `${phone.slice(0, 3)}****${phone.slice(-4)}`, localCode: null });
    const code = deletionCodeTo(phone);
    expect(code).toMatch(/^\d{6}$/);

    // no password to give; a password, the sign-in code's route, or no code at all are refused
    expect(await deleteOwnAccount(request(), viewer, "sms-only", true)).toMatchObject({ ok: false, problem: { fieldErrors: { code: ["validation.required"] } } });
    expect(await deleteOwnAccount(request(), viewer, null, true)).toMatchObject({ ok: false });
    const wrong = code === "000000" ? "111111" : "000000";
    expect(await deleteOwnAccount(request(), viewer, { smsCode: wrong }, true)).toMatchObject({ ok: false, problem: { fieldErrors: { code: ["sms.error.codeWrong"] } } });
    expect(await deleteOwnAccount(request(), viewer, { smsCode: code }, false)).toMatchObject({ ok: false, problem: { fieldErrors: { confirm: ["privacy.delete.confirmRequired"] } } });
    // another account cannot use the code, even knowing it
    const other = await numberOnly();
    expect(await deleteOwnAccount(request(), other.viewer, { smsCode: code }, true)).toMatchObject({ ok: false });
    expect((await db().user.findUniqueOrThrow({ where: { id: other.userId } })).deletedAt).toBeNull();

    expect(await deleteOwnAccount(request(), viewer, { smsCode: code }, true)).toMatchObject({ ok: true });
    const erased = await db().user.findUniqueOrThrow({ where: { id: userId } });
    expect(erased).toMatchObject({ phoneEnc: null, phoneHmac: null, email: expect.stringContaining("@") });
    expect(erased.deletedAt).not.toBeNull();
    expect(await db().smsCode.count({ where: { phoneHmac: phoneHmac(phone) } })).toBe(0);
    expect(await db().auditLog.count({ where: { objectId: userId, action: "user.erased" } })).toBe(1);
  });

  it("takes no sign-in code, and sends deletion codes under the same resend limit", async () => {
    const { phone, viewer } = await numberOnly();
    // the sign-in code just sent is not a deletion code
    const signInCode = codeSentTo(phone);
    expect(await deleteOwnAccount(request(), viewer, { smsCode: signInCode }, true)).toMatchObject({ ok: false, problem: { fieldErrors: { code: ["sms.error.codeWrong"] } } });
    expect(await sendDeletionCode(request(), viewer)).toMatchObject({ ok: true });
    const again = await sendDeletionCode(request(), viewer);
    expect(again.ok || again.problem.status).toBe(429);
  });

  it("an account with a password still confirms with its password", async () => {
    const user = await makeUser();
    expect(await deletionConfirmation({ id: user.id, sessionId: "none" })).toMatchObject({ method: "password", maskedPhone: null });
  });
});

/** Lets the resend minute pass (the codes' send times moved back) and sends another code. */
async function backdateCodes(phone: string) {
  await db().$executeRaw`UPDATE "SmsCode" SET "createdAt" = "createdAt" - interval '61 seconds' WHERE "phoneHmac" = ${phoneHmac(phone)}`;
}
async function sendCodeAfterWait(phone: string) {
  await backdateCodes(phone);
  return sendAndRead(phone);
}
