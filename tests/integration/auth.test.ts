import crypto from "node:crypto";
import type { AddressInfo } from "node:net";
import express from "express";
import { runOnce } from "graphile-worker";
import { afterEach, describe, expect, inject, it } from "vitest";
import { resetEnvCache } from "~/lib/env.server";
import { hit, LIMITS, reset } from "~/lib/rate-limit.server";
import { sha256 } from "~/lib/crypto.server";
import { getViewer, type Viewer } from "~/lib/session.server";
import { serializeCookie } from "~/lib/cookies.server";
import { taskList } from "~/services/jobs/registry.server";
import { quietLogger } from "~/lib/worker-schema.server";
import {
  changePassword,
  checkResetToken,
  demoAccounts,
  requestPasswordReset,
  resendVerification,
  resetPassword,
  retryMinutesOf,
  signIn,
  signUp,
  verifyEmail,
} from "~/services/accounts/auth.server";
import { form, outcome, signedInRequest } from "../support/requests";
import { formProblem, problem } from "../support/result";
import * as accountRoute from "~/routes/account";
import * as languageRoute from "~/routes/language";
import * as loginRoute from "~/routes/login";
import { DEMO_ACCOUNTS } from "../../prisma/demo-data";
import { sameOriginGuard } from "../../server/app";
import { db, makeAreaTree, makeUser, TEST_PASSWORD, uid } from "../support/db";
import { linkIn, waitForMail } from "../support/smtp";

/**
 * Accounts and sessions on the real database, with emails delivered by the real worker to the
 * real SMTP test process.
 */
const smtpApi = inject("smtpApiUrl");
const NEW_PASSWORD = "a brand new passphrase";

const email = (tag: string) => `auth-${tag}-${uid()}@example.com`;
/** Each test signs in from its own address, so per-IP limits never leak between tests. */
const randomIp = () => `10.${crypto.randomInt(256)}.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`;

function request(opts: { ip?: string; cookie?: string; lang?: string } = {}): Request {
  const headers = new Headers({ "x-client-ip": opts.ip ?? randomIp(), "user-agent": "vitest" });
  const cookies = [opts.cookie, opts.lang ? `lang=${opts.lang}` : undefined].filter(Boolean);
  if (cookies.length) headers.set("cookie", cookies.join("; "));
  return new Request("http://localhost:3000/login", { method: "POST", headers });
}

/** The `name=value` part of a Set-Cookie header, as the browser sends it back. */
const cookieOf = (setCookie: string) => setCookie.split(";")[0]!;

const viewerOf = (setCookie: string): Promise<Viewer | null> =>
  getViewer(new Request("http://localhost:3000/", { headers: { cookie: cookieOf(setCookie) } }));

/** Runs every due job once: delivers what the outbox holds to the SMTP test process. */
const deliver = () =>
  runOnce({ connectionString: process.env.DATABASE_URL, taskList, logger: quietLogger(), noHandleSignals: true });

async function tokenFromMail(to: string, path: "/verify" | "/reset-password", after = 0): Promise<string> {
  await deliver();
  const mail = await waitForMail(smtpApi, to, (m) => m.text.includes(`${path}?token=`) && Date.parse(m.receivedAt) >= after);
  return new URL(linkIn(mail, `${path}?token=`)).searchParams.get("token")!;
}

async function signedUp(tag: string, opts: { lang?: string } = {}) {
  const address = email(tag);
  const result = await signUp(request({ lang: opts.lang }), { name: "测试居民", email: address, password: TEST_PASSWORD, privacy: "on" });
  if (!result.ok) throw new Error(`sign-up failed: ${JSON.stringify(result)}`);
  return { address, ...result };
}

async function signedIn(address: string, password = TEST_PASSWORD, cookie?: string) {
  const result = await signIn(request({ cookie }), { email: address, password });
  if (!result.ok) throw new Error(`sign-in failed: ${JSON.stringify(result)}`);
  return result.cookie;
}

/** Makes the database refuse one statement, to prove a use-case leaves nothing half-written. */
async function withFailingTrigger(table: string, condition: string, run: () => Promise<void>) {
  const name = `fail_${uid()}`;
  await db().$executeRawUnsafe(
    `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF ${condition} THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`,
  );
  await db().$executeRawUnsafe(`CREATE TRIGGER ${name} BEFORE INSERT ON "${table}" FOR EACH ROW EXECUTE FUNCTION ${name}()`);
  try {
    await run();
  } finally {
    await db().$executeRawUnsafe(`DROP TRIGGER ${name} ON "${table}"`);
    await db().$executeRawUnsafe(`DROP FUNCTION ${name}()`);
  }
}

const auditActions = async (userId: string) =>
  (await db().auditLog.findMany({ where: { objectType: "User", objectId: userId }, orderBy: { seq: "asc" } })).map((a) => a.action);

describe("rate limiter (RateLimitBucket)", () => {
  it("counts hits in a fixed window, refuses above the limit with the time left, and resets", async () => {
    const key = `test:${uid()}`;
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await hit(key, 3, 60));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results.map((r) => r.count)).toEqual([1, 2, 3, 4]);
    expect(results[3]!.retryAfterSeconds).toBeGreaterThan(0);
    expect(results[3]!.retryAfterSeconds).toBeLessThanOrEqual(60);
    await reset(key);
    expect(await hit(key, 3, 60)).toMatchObject({ allowed: true, count: 1 });
  });

  it("starts counting again when the window has passed", async () => {
    const key = `test:${uid()}`;
    for (let i = 0; i < 5; i++) await hit(key, 3, 60);
    await db().rateLimitBucket.update({ where: { key }, data: { windowStart: new Date(Date.now() - 61_000) } });
    expect(await hit(key, 3, 60)).toMatchObject({ allowed: true, count: 1 });
  });

  it("lets exactly `limit` of many concurrent hits through (one atomic statement)", async () => {
    const key = `test:${uid()}`;
    const results = await Promise.all(Array.from({ length: 20 }, () => hit(key, 5, 60)));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});

describe("sign-up", () => {
  it("creates the account, signs it in and emails a verification link in the visitor's language", async () => {
    const address = email("signup");
    const result = await signUp(request({ lang: "en" }), { name: "Li Lei", email: `  ${address.toUpperCase()} `, password: TEST_PASSWORD, privacy: "on" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const user = await db().user.findUniqueOrThrow({ where: { email: address } });
    expect(user).toMatchObject({ name: "Li Lei", locale: "en", emailVerifiedAt: null });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await auditActions(user.id)).toEqual(["user.signup"]);
    // a welcome message waits in the new account's inbox
    expect(await db().notification.findMany({ where: { userId: user.id }, select: { kind: true, link: true } })).toEqual([
      { kind: "welcome", link: "/me" },
    ]);

    // HttpOnly, SameSite=Lax, whole site
    expect(result.cookie).toMatch(/^__session=[^;]+; Path=\/; SameSite=Lax; HttpOnly; Max-Age=\d+$/);
    expect((await viewerOf(result.cookie))?.id).toBe(user.id);

    const token = await tokenFromMail(address, "/verify");
    const mail = await waitForMail(smtpApi, address);
    expect(mail.subject).toBe("Please verify your email address");
    // only the hash of the emailed token is stored
    const stored = await db().emailToken.findFirstOrThrow({ where: { userId: user.id } });
    expect(stored.tokenHash).toBe(sha256(token));
    expect(stored.kind).toBe("VERIFY_EMAIL");
    expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBeCloseTo(24 * 3_600_000, -4);
  });

  it("says a duplicate email is taken (any case), on the email field, and writes nothing", async () => {
    const { address } = await signedUp("dup");
    const again = await signUp(request(), { name: "另一个人", email: address.toUpperCase(), password: "another password", privacy: "on" });
    expect(again).toEqual(problem(409, [], { email: ["auth.error.emailTaken"] }));
    expect(await db().user.count({ where: { email: address } })).toBe(1);
    expect(await db().emailMessage.count({ where: { toAddress: address } })).toBe(1);
  });

  it("lets only one of two simultaneous sign-ups with the same email through", async () => {
    const address = email("race");
    const results = await Promise.all(
      [1, 2].map((i) => signUp(request(), { name: `并发${i}`, email: address, password: TEST_PASSWORD, privacy: "on" })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toEqual(problem(409, [], { email: ["auth.error.emailTaken"] }));
    expect(await db().user.count({ where: { email: address } })).toBe(1);
  });

  it("leaves nothing half-written when a step fails (no user, token, session or email)", async () => {
    const address = email("halfway");
    await withFailingTrigger("EmailMessage", `NEW."toAddress" = '${address}'`, async () => {
      await expect(signUp(request(), { name: "半途", email: address, password: TEST_PASSWORD, privacy: "on" })).rejects.toThrow(/injected failure/);
    });
    expect(await db().user.count({ where: { email: address } })).toBe(0);
    expect(await db().emailMessage.count({ where: { toAddress: address } })).toBe(0);
    // and the same email can sign up afterwards
    expect((await signUp(request(), { name: "再来", email: address, password: TEST_PASSWORD, privacy: "on" })).ok).toBe(true);
  });
});

describe("email verification", () => {
  it("works once: the link verifies, a second use says it was used (and that the email is verified)", async () => {
    const { address, userId } = await signedUp("verify");
    const token = await tokenFromMail(address, "/verify");
    expect(await verifyEmail(token)).toEqual({ ok: true, userId });
    expect((await db().user.findUniqueOrThrow({ where: { id: userId } })).emailVerifiedAt).not.toBeNull();
    expect(await verifyEmail(token)).toEqual(problem(409, ["auth.error.verifyUsed"], {}, { alreadyVerified: true }));
    expect(await auditActions(userId)).toEqual(["user.signup", "user.emailVerified"]);
  });

  it("expires after 24 hours; an unknown link is invalid", async () => {
    const { address, userId } = await signedUp("verify-exp");
    const token = await tokenFromMail(address, "/verify");
    await db().emailToken.update({ where: { tokenHash: sha256(token) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await verifyEmail(token)).toEqual(problem(409, ["auth.error.verifyExpired"], {}, { alreadyVerified: false }));
    expect((await db().user.findUniqueOrThrow({ where: { id: userId } })).emailVerifiedAt).toBeNull();
    expect(await verifyEmail("no-such-token")).toEqual(problem(404, ["auth.error.verifyInvalid"], {}, { alreadyVerified: false }));
    expect(await verifyEmail("")).toEqual(problem(404, ["auth.error.verifyInvalid"], {}, { alreadyVerified: false }));
  });

  it("resends a fresh link to an unverified viewer, and nothing to a verified one", async () => {
    const { address, cookie } = await signedUp("resend");
    const first = await tokenFromMail(address, "/verify");
    const viewer = (await viewerOf(cookie))!;
    const before = Date.now();
    expect(await resendVerification(viewer)).toEqual({ ok: true, alreadyVerified: false });
    const second = await tokenFromMail(address, "/verify", before);
    expect(second).not.toBe(first);
    expect((await verifyEmail(second)).ok).toBe(true);

    const verified = (await viewerOf(cookie))!;
    const sent = await db().emailMessage.count({ where: { toAddress: address } });
    expect(await resendVerification(verified)).toEqual({ ok: true, alreadyVerified: true });
    expect(await db().emailMessage.count({ where: { toAddress: address } })).toBe(sent);
  });

  it("a reset link is not a verification link", async () => {
    const user = await makeUser({ verified: false });
    await requestPasswordReset(request(), user.email);
    const token = await tokenFromMail(user.email, "/reset-password");
    expect(await verifyEmail(token)).toMatchObject(formProblem("auth.error.verifyInvalid"));
  });
});

describe("the viewer", () => {
  it("carries the live grants with their areas and the organizations, in the order given, and not a revoked grant", async () => {
    const user = await makeUser();
    const { root: subdistrict, communities } = await makeAreaTree(1);
    const community = communities[0]!;
    const first = await db().roleGrant.create({ data: { userId: user.id, role: "OFFICIAL", areaId: subdistrict.id, createdAt: new Date(Date.now() - 60_000) } });
    await db().roleGrant.create({ data: { userId: user.id, role: "ADMIN", areaId: community.id, revokedAt: new Date() } });
    const second = await db().roleGrant.create({ data: { userId: user.id, role: "JUDGE", areaId: community.id } });
    const org = await db().organization.create({ data: { kind: "RESIDENT_TEAM", name: `队${uid()}`, areaId: subdistrict.id, members: { create: [{ userId: user.id, name: user.name }] } } });
    const viewer = (await getViewer(await signedInRequest(user.id, "/")))!;
    expect(viewer).toMatchObject({ id: user.id, email: user.email, name: user.name, locale: "zh-CN", emailVerified: true });
    expect(viewer.grants).toEqual([
      { id: first.id, role: "OFFICIAL", areaId: subdistrict.id, areaPath: subdistrict.path, areaNameZh: subdistrict.nameZh, areaNameEn: subdistrict.nameEn, areaLevel: "SUBDISTRICT", foundationId: null },
      { id: second.id, role: "JUDGE", areaId: community.id, areaPath: community.path, areaNameZh: community.nameZh, areaNameEn: community.nameEn, areaLevel: "COMMUNITY", foundationId: null },
    ]);
    expect(viewer.organizations).toEqual([{ id: org.id, name: org.name, kind: "RESIDENT_TEAM", areaId: subdistrict.id }]);
    await db().roleGrant.deleteMany({ where: { userId: user.id } });
  });
});

describe("sign-in", () => {
  it("gives the same answer for an unknown email and a wrong password, and starts no session", async () => {
    const user = await makeUser();
    const sessionsBefore = await db().session.count();
    const wrongPassword = await signIn(request(), { email: user.email, password: "not the password" });
    const unknownEmail = await signIn(request(), { email: email("nobody"), password: "not the password" });
    expect(wrongPassword).toEqual(problem(400, ["auth.error.invalidCredentials"]));
    expect(unknownEmail).toEqual(wrongPassword);
    expect(await db().session.count()).toBe(sessionsBefore);
  });

  it("signs in (email in any case), audits it, and rotates the session: the old cookie stops working", async () => {
    const user = await makeUser();
    const first = await signedIn(user.email.toUpperCase());
    expect((await viewerOf(first))?.id).toBe(user.id);
    const second = await signedIn(user.email, TEST_PASSWORD, cookieOf(first));
    expect(cookieOf(second)).not.toBe(cookieOf(first));
    expect(await viewerOf(first)).toBeNull();
    expect((await viewerOf(second))?.id).toBe(user.id);
    expect(await db().session.count({ where: { userId: user.id } })).toBe(1);
    expect(await auditActions(user.id)).toEqual(["user.signin", "user.signin"]);
  });

  it("lets an unverified account sign in (the pages ask it to verify)", async () => {
    const user = await makeUser({ verified: false });
    const viewer = await viewerOf(await signedIn(user.email));
    expect(viewer).toMatchObject({ id: user.id, emailVerified: false });
  });

  it("limits failures per account from all addresses together: past the limit, even the right password is refused unchecked, with the wait", async () => {
    const user = await makeUser();
    for (let i = 0; i < LIMITS.signInAccount.limit; i++) {
      // from different addresses: the per-account limit does not care where guesses come from
      expect(await signIn(request(), { email: user.email, password: `guess ${i}` })).toMatchObject(formProblem("auth.error.invalidCredentials"));
    }
    const refused = await signIn(request(), { email: user.email, password: TEST_PASSWORD });
    expect(refused).toMatchObject(formProblem("auth.error.rateLimited"));
    expect(refused.ok ? 0 : refused.problem.detail!.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.ok ? Infinity : refused.problem.detail!.retryAfterSeconds).toBeLessThanOrEqual(LIMITS.signInAccount.windowSeconds);
    // a refusal by a rate limit answers 429, and the page shows the wait in whole minutes
    expect(refused).toMatchObject({ problem: { status: 429 } });
    const minutes = refused.ok ? 0 : retryMinutesOf(refused.problem);
    expect(minutes).toBeGreaterThanOrEqual(1);
    expect(minutes).toBeLessThanOrEqual(Math.ceil(LIMITS.signInAccount.windowSeconds / 60));
    expect(await db().session.count({ where: { userId: user.id } })).toBe(0);

    // an unknown email is limited the same way, so the limit reveals nothing either
    const nobody = email("nobody");
    for (let i = 0; i < LIMITS.signInAccount.limit; i++) await signIn(request(), { email: nobody, password: `guess ${i}` });
    expect(await signIn(request(), { email: nobody, password: "x" })).toMatchObject(formProblem("auth.error.rateLimited"));

    // when the window has passed, the right password works again
    await db().rateLimitBucket.update({
      where: { key: `signin:account:${user.email}` },
      data: { windowStart: new Date(Date.now() - (LIMITS.signInAccount.windowSeconds + 1) * 1000) },
    });
    expect((await signIn(request(), { email: user.email, password: TEST_PASSWORD })).ok).toBe(true);
  });

  it("a successful sign-in clears the account's failures", async () => {
    const user = await makeUser();
    const attempt = (password: string) => signIn(request(), { email: user.email, password });
    for (let i = 0; i < LIMITS.signInAccount.limit - 1; i++) await attempt("wrong");
    expect((await attempt(TEST_PASSWORD)).ok).toBe(true);
    for (let i = 0; i < LIMITS.signInAccount.limit; i++) {
      expect(await attempt("wrong")).toMatchObject(formProblem("auth.error.invalidCredentials"));
    }
    expect(await attempt(TEST_PASSWORD)).toMatchObject(formProblem("auth.error.rateLimited"));
  });

  it("limits failures per account and address tightly: that pair is refused, the same account from elsewhere is not", async () => {
    const user = await makeUser();
    const ip = randomIp();
    const from = (address: string, password: string) => signIn(request({ ip: address }), { email: user.email, password });
    for (let i = 0; i < LIMITS.signInAccountIp.limit; i++) expect(await from(ip, `guess ${i}`)).toMatchObject(formProblem("auth.error.invalidCredentials"));
    expect(await from(ip, TEST_PASSWORD)).toMatchObject(formProblem("auth.error.rateLimited"));
    // refused attempts take nothing from the account-wide count: its owner elsewhere gets in
    for (let i = 0; i < 10; i++) await from(ip, "wrong again");
    expect((await from(randomIp(), TEST_PASSWORD)).ok).toBe(true);
  });

  it("an office behind one address is not locked out by its colleagues' typos", async () => {
    const ip = randomIp();
    const colleague = await makeUser();
    // 25 failed sign-ins of other people from the same address (the old bound was 20)
    for (let i = 0; i < 25; i++) expect(await signIn(request({ ip }), { email: email(`typo${i}`), password: "wrong" })).toMatchObject(formProblem("auth.error.invalidCredentials"));
    expect((await signIn(request({ ip }), { email: colleague.email, password: TEST_PASSWORD })).ok).toBe(true);
  });

  it("limits failures per client address, across accounts; successes do not count", async () => {
    const ip = randomIp();
    const user = await makeUser();
    const from = (address: string, password: string) => signIn(request({ ip }), { email: address, password });
    // the address has nearly used its bound (written directly: hundreds of password checks would only make the test slow)
    await db().rateLimitBucket.create({ data: { key: `signin:ip:${ip}`, count: LIMITS.signInIp.limit - 3, windowStart: new Date() } });
    for (let i = 0; i < 2; i++) {
      expect(await from(email(`ip${i}`), "wrong")).toMatchObject(formProblem("auth.error.invalidCredentials"));
    }
    // people behind one address (an office, a community centre) who get it right are not held up
    for (let i = 0; i < 3; i++) expect((await from(user.email, TEST_PASSWORD)).ok).toBe(true);
    expect(await from(email("last"), "wrong")).toMatchObject(formProblem("auth.error.invalidCredentials"));
    const refused = await from(user.email, TEST_PASSWORD);
    expect(refused).toMatchObject(formProblem("auth.error.rateLimited"));
    // the same account from elsewhere is fine
    expect((await signIn(request(), { email: user.email, password: TEST_PASSWORD })).ok).toBe(true);
  });
});

describe("password reset by email", () => {
  it("answers the same whether or not the account exists, and mails only real accounts", async () => {
    const user = await makeUser();
    const nobody = email("nobody");
    expect(await requestPasswordReset(request(), nobody)).toEqual({ ok: true });
    expect(await requestPasswordReset(request(), ` ${user.email.toUpperCase()} `)).toEqual({ ok: true });
    expect(await db().emailMessage.count({ where: { toAddress: nobody } })).toBe(0);
    expect(await db().emailMessage.count({ where: { toAddress: user.email, template: "reset-password" } })).toBe(1);
  });

  it("sets the new password, ends every session, signs in afresh, and the link works only once", async () => {
    const user = await makeUser();
    const laptop = await signedIn(user.email);
    const phone = await signedIn(user.email);
    await requestPasswordReset(request(), user.email);
    const token = await tokenFromMail(user.email, "/reset-password");
    const stored = await db().emailToken.findUniqueOrThrow({ where: { tokenHash: sha256(token) } });
    expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBeCloseTo(3_600_000, -4);
    expect(await checkResetToken(token)).toEqual({ ok: true });

    const result = await resetPassword(request({ cookie: cookieOf(laptop) }), token, NEW_PASSWORD);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(await viewerOf(laptop)).toBeNull();
    expect(await viewerOf(phone)).toBeNull();
    expect((await viewerOf(result.cookie))?.id).toBe(user.id);
    expect(await db().session.count({ where: { userId: user.id } })).toBe(1);

    expect(await signIn(request(), { email: user.email, password: TEST_PASSWORD })).toMatchObject(formProblem("auth.error.invalidCredentials"));
    expect((await signIn(request(), { email: user.email, password: NEW_PASSWORD })).ok).toBe(true);
    expect(await auditActions(user.id)).toContain("user.passwordReset");

    expect(await checkResetToken(token)).toEqual(problem(409, ["auth.error.resetUsed"]));
    expect(await resetPassword(request(), token, "yet another password")).toEqual(problem(409, ["auth.error.resetUsed"]));
  });

  it("refuses an expired link and an unknown one, changing nothing", async () => {
    const user = await makeUser();
    await requestPasswordReset(request(), user.email);
    const token = await tokenFromMail(user.email, "/reset-password");
    await db().emailToken.update({ where: { tokenHash: sha256(token) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await checkResetToken(token)).toEqual(problem(409, ["auth.error.resetExpired"]));
    expect(await resetPassword(request(), token, NEW_PASSWORD)).toEqual(problem(409, ["auth.error.resetExpired"]));
    expect(await resetPassword(request(), "forged-token", NEW_PASSWORD)).toEqual(problem(404, ["auth.error.resetInvalid"]));
    expect((await signIn(request(), { email: user.email, password: TEST_PASSWORD })).ok).toBe(true);
  });

  it("using one link retires the account's other open reset links, and verifies the email", async () => {
    const user = await makeUser({ verified: false });
    const t0 = Date.now();
    await requestPasswordReset(request(), user.email);
    const first = await tokenFromMail(user.email, "/reset-password", t0);
    const t1 = Date.now();
    await requestPasswordReset(request(), user.email);
    const second = await tokenFromMail(user.email, "/reset-password", t1);
    expect(second).not.toBe(first);
    expect((await resetPassword(request(), second, NEW_PASSWORD)).ok).toBe(true);
    expect(await checkResetToken(first)).toEqual(problem(409, ["auth.error.resetUsed"]));
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).emailVerifiedAt).not.toBeNull();
  });

  it("leaves nothing half-written when the last step fails: password, link and sessions unchanged", async () => {
    const user = await makeUser();
    const session = await signedIn(user.email);
    await requestPasswordReset(request(), user.email);
    const token = await tokenFromMail(user.email, "/reset-password");
    await withFailingTrigger("AuditLog", `NEW."action" = 'user.passwordReset' AND NEW."objectId" = '${user.id}'`, async () => {
      await expect(resetPassword(request(), token, NEW_PASSWORD)).rejects.toThrow(/injected failure/);
    });
    expect(await checkResetToken(token)).toEqual({ ok: true });
    expect((await viewerOf(session))?.id).toBe(user.id);
    expect((await signIn(request(), { email: user.email, password: TEST_PASSWORD })).ok).toBe(true);
  });

  it("limits reset mails per address", async () => {
    const user = await makeUser();
    for (let i = 0; i < LIMITS.passwordResetEmail.limit; i++) expect(await requestPasswordReset(request(), user.email)).toEqual({ ok: true });
    expect(await requestPasswordReset(request(), user.email)).toMatchObject(formProblem("auth.error.rateLimited"));
    expect(await db().emailMessage.count({ where: { toAddress: user.email } })).toBe(LIMITS.passwordResetEmail.limit);
  });
});

describe("change password", () => {
  it("refuses a wrong current password on its field, changing nothing", async () => {
    const user = await makeUser();
    const cookie = await signedIn(user.email);
    const viewer = (await viewerOf(cookie))!;
    const result = await changePassword(request({ cookie: cookieOf(cookie) }), viewer, "wrong current", NEW_PASSWORD);
    expect(result).toEqual(problem(400, [], { currentPassword: ["auth.error.currentPasswordWrong"] }));
    expect((await viewerOf(cookie))?.id).toBe(user.id);
    expect((await signIn(request(), { email: user.email, password: TEST_PASSWORD })).ok).toBe(true);
  });

  it("changes it, ends the other sessions, renews this one and retires open reset links", async () => {
    const user = await makeUser();
    const here = await signedIn(user.email);
    const elsewhere = await signedIn(user.email);
    await requestPasswordReset(request(), user.email);
    const resetToken = await tokenFromMail(user.email, "/reset-password");
    const viewer = (await viewerOf(here))!;

    const result = await changePassword(request({ cookie: cookieOf(here) }), viewer, TEST_PASSWORD, NEW_PASSWORD);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(await viewerOf(elsewhere)).toBeNull();
    expect(await viewerOf(here)).toBeNull();
    expect((await viewerOf(result.cookie))?.id).toBe(user.id);
    expect(await db().session.count({ where: { userId: user.id } })).toBe(1);
    expect(await checkResetToken(resetToken)).toEqual(problem(409, ["auth.error.resetUsed"]));
    expect((await signIn(request(), { email: user.email, password: NEW_PASSWORD })).ok).toBe(true);
    expect(await auditActions(user.id)).toContain("user.passwordChanged");
  });

  it("counts wrong current passwords with the account's sign-in failures", async () => {
    const user = await makeUser();
    const cookie = await signedIn(user.email);
    const viewer = (await viewerOf(cookie))!;
    for (let i = 0; i < LIMITS.signInAccount.limit; i++) await changePassword(request({ cookie: cookieOf(cookie) }), viewer, `guess ${i}`, NEW_PASSWORD);
    const refused = await changePassword(request({ cookie: cookieOf(cookie) }), viewer, TEST_PASSWORD, NEW_PASSWORD);
    expect(refused).toMatchObject(formProblem("auth.error.rateLimited"));
  });
});

describe("the pages' actions", () => {
  const args = (request: Request) => ({ request, params: {}, context: {} }) as never;
  const post = (path: string, fields: Record<string, string>, ip = randomIp()) =>
    new Request(`http://localhost:3000${path}`, {
      method: "POST",
      headers: { "x-client-ip": ip, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });

  it("sign-in: a refusal keeps the email, never sends the password back, and a rate limit answers 429 with the wait", async () => {
    const user = await makeUser();
    const wrong = await outcome(() => loginRoute.action(args(post("/login", { email: user.email, password: "wrong guess" }))));
    expect(wrong.value).toMatchObject({ init: { status: 400 }, data: { retryAfterMinutes: null, result: { error: { "": ["auth.error.invalidCredentials"] } } } });
    const typed = (wrong.value as { data: { result: { initialValue: Record<string, unknown> } } }).data.result.initialValue;
    expect(typed).toMatchObject({ email: user.email });
    expect(typed).not.toHaveProperty("password");
    for (let i = 1; i < LIMITS.signInAccount.limit; i++) await signIn(request(), { email: user.email, password: `guess ${i}` });
    const limited = await outcome(() => loginRoute.action(args(post("/login", { email: user.email, password: TEST_PASSWORD }))));
    expect(limited.value).toMatchObject({ init: { status: 429 }, data: { retryAfterMinutes: expect.any(Number), result: { error: { "": ["auth.error.rateLimited"] } } } });
  });

  it("account: each form is its own intent; a wrong current password is shown on its field and both passwords stay unsent", async () => {
    const user = await makeUser();
    const run = async (fields: Record<string, string>) => outcome(async () => accountRoute.action(args(await signedInRequest(user.id, "/account", form(fields)))));
    const wrong = await run({ intent: "password", currentPassword: "wrong current", newPassword: NEW_PASSWORD });
    expect(wrong.value).toMatchObject({ init: { status: 400 }, data: { intent: "password", result: { error: { currentPassword: ["auth.error.currentPasswordWrong"] } } } });
    const typed = (wrong.value as { data: { result: { initialValue: Record<string, unknown> } } }).data.result.initialValue;
    expect(typed).not.toHaveProperty("currentPassword");
    expect(typed).not.toHaveProperty("newPassword");
    expect((await run({ intent: "language", locale: "klingon" })).value).toMatchObject({ init: { status: 400 }, data: { intent: "language", result: { error: { locale: ["validation.invalid"] } } } });
    expect(await run({ intent: "language", locale: "en" })).toMatchObject({ status: 302, location: "/account?notice=languageSaved" });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).locale).toBe("en");
    expect((await run({ intent: "delete" })).value).toMatchObject({ init: { status: 400 } });
  });

  it("the language switcher falls back to the default language and goes back only to a page of this site", async () => {
    const res = (await languageRoute.action(args(post("/language", { locale: "klingon", redirectTo: "https://evil.example/" })))) as Response;
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/");
    expect(res.headers.get("set-cookie")).toContain("lang=zh-CN");
    const back = (await languageRoute.action(args(post("/language", { locale: "en", redirectTo: "/areas" })))) as Response;
    expect(back.headers.get("location")).toBe("/areas");
    expect(back.headers.get("set-cookie")).toContain("lang=en");
  });
});

describe("session cookie", () => {
  const saved = { NODE_ENV: process.env.NODE_ENV, APP_URL: process.env.APP_URL };
  afterEach(() => {
    process.env.NODE_ENV = saved.NODE_ENV;
    process.env.APP_URL = saved.APP_URL;
    resetEnvCache();
  });

  it("is Secure in production over https", () => {
    process.env.NODE_ENV = "production";
    process.env.APP_URL = "https://venture.example.org";
    resetEnvCache();
    expect(serializeCookie("__session", "t", { maxAgeSeconds: 60 })).toBe("__session=t; Path=/; SameSite=Lax; HttpOnly; Secure; Max-Age=60");
  });
});

describe("demo accounts on the sign-in page", () => {
  afterEach(() => {
    process.env.DEMO_MODE = "false";
    resetEnvCache();
  });

  it("are listed, with the shared password, in demo mode only", () => {
    expect(demoAccounts()).toBeNull();
    process.env.DEMO_MODE = "true";
    resetEnvCache();
    const demo = demoAccounts();
    expect(demo?.password).toBe("Danghu-2026");
    const every = Object.values(DEMO_ACCOUNTS).flatMap((a) => ("email" in a ? [a.email] : a.map((j) => j.email)));
    expect(demo?.accounts.map((a) => a.email).sort()).toEqual([...every].sort());
  });
});

describe("CSRF: sameOriginGuard refuses cross-site form posts", () => {
  async function withGuardedApp(run: (base: string) => Promise<void>) {
    const app = express();
    app.use(sameOriginGuard);
    app.all("/{*splat}", (_req, res) => void res.send("passed"));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    try {
      await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    } finally {
      await new Promise((r) => server.close(r));
    }
  }
  const post = (url: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: "email=a%40b.cn" });

  it("403 for a foreign Origin, 'null' Origin or cross-site fetch metadata; passes same-origin and safe requests", async () => {
    await withGuardedApp(async (base) => {
      const evil = await post(`${base}/login`, { origin: "https://evil.example" });
      expect(evil.status).toBe(403);
      expect(await evil.text()).toContain("Cross-site request refused");
      expect((await post(`${base}/logout`, { origin: "null" })).status).toBe(403);
      expect((await post(`${base}/account`, { "sec-fetch-site": "cross-site" })).status).toBe(403);

      const same = await post(`${base}/login`, { origin: base });
      expect(same.status).toBe(200);
      expect(await same.text()).toBe("passed");
      expect((await post(`${base}/login`, { "sec-fetch-site": "same-origin" })).status).toBe(200);
      // GET changes nothing, so it is never refused
      expect((await fetch(`${base}/login`, { headers: { origin: "https://evil.example" } })).status).toBe(200);
      // webhooks authenticate by signature instead
      expect((await post(`${base}/webhooks/stripe`, { origin: "https://evil.example" })).status).toBe(200);
    });
  });
});
