import { describe, expect, it } from "vitest";
import { WECHAT_ONLY_HASH_PREFIX, wechatPlaceholderEmail } from "~/domain/wechat";
import { addEmailAndPassword, addEmailState, signIn } from "~/services/accounts/auth.server";
import { SMS_ONLY_PASSWORD } from "~/services/accounts/phone.server";
import { deletionConfirmation } from "~/services/privacy/erasure.server";
import { db, makeUser, uid } from "../support/db";

/**
 * An account made with a number or through WeChat adds an e-mail address and a password on its
 * account page: soon after signing in, never an address another account holds, verified by the
 * sign-up's link.
 */

let ipSeq = 0;
const request = () => new Request("http://localhost:3000/account", { method: "POST", headers: { "x-client-ip": `198.51.100.${++ipSeq % 250}` } });
const PASSWORD = "a long enough passphrase";

async function passwordlessAccount(kind: "sms" | "wechat", sessionAge = 0) {
  const key = uid();
  const user = await db().user.create({
    data: kind === "sms" ? { email: null, name: "周阿婆", passwordHash: SMS_ONLY_PASSWORD, notifyBy: "SMS" } : { email: wechatPlaceholderEmail(key), name: "微信用户", passwordHash: `${WECHAT_ONLY_HASH_PREFIX}${key}` },
  });
  const session = await db().session.create({ data: { userId: user.id, tokenHash: `t-${uid()}`, expiresAt: new Date(Date.now() + 86_400_000), createdAt: new Date(Date.now() - sessionAge) } });
  return { userId: user.id, viewer: { id: user.id, sessionId: session.id } };
}

describe("adding an address and a password", () => {
  for (const kind of ["sms", "wechat"] as const) {
    it(`an account made ${kind === "sms" ? "with a number" : "through WeChat"} adds them, gets the verification link, and can then sign in with them`, async () => {
      const { userId, viewer } = await passwordlessAccount(kind);
      expect(await addEmailState(viewer)).toEqual({ recent: true });
      const email = `Added-${uid()}@Example.com`;
      const r = await addEmailAndPassword(request(), viewer, { email, password: PASSWORD });
      expect(r).toMatchObject({ ok: true, cookie: expect.any(String) });
      const user = await db().user.findUniqueOrThrow({ where: { id: userId } });
      expect(user).toMatchObject({ email: email.toLowerCase(), emailVerifiedAt: null });
      // the sign-up's verification link goes to the new address, by e-mail
      const mails = await db().emailMessage.findMany({ where: { userId, template: "verify-email" } });
      expect(mails.map((m) => [m.channel, m.toAddress])).toEqual([["EMAIL", email.toLowerCase()]]);
      // every other session ended: the one the form came with is replaced
      expect(await db().session.count({ where: { id: viewer.sessionId } })).toBe(0);
      expect(await signIn(request(), { email, password: PASSWORD })).toMatchObject({ ok: true });
      // now a password account: nothing more to add, deleting asks for the password
      expect(await addEmailState({ id: userId, sessionId: "none" })).toBeNull();
      expect(await deletionConfirmation({ id: userId, sessionId: "none" })).toMatchObject({ method: "password" });
      expect(await addEmailAndPassword(request(), { id: userId, sessionId: "none" }, { email: `x-${uid()}@example.com`, password: PASSWORD })).toMatchObject({ ok: false, problem: { status: 409 } });
      const audit = await db().auditLog.findFirstOrThrow({ where: { objectId: userId, action: "user.emailAdded" } });
      expect(JSON.stringify([audit.before, audit.after])).not.toContain(email.toLowerCase());
    });
  }

  it("is refused for an address another account holds, and for a sign-in older than ten minutes", async () => {
    const other = await makeUser();
    const { viewer, userId } = await passwordlessAccount("sms");
    expect(await addEmailAndPassword(request(), viewer, { email: other.email.toUpperCase(), password: PASSWORD })).toMatchObject({ ok: false, problem: { fieldErrors: { email: ["auth.error.emailTaken"] } } });
    const stale = await passwordlessAccount("wechat", 11 * 60_000);
    expect(await addEmailState(stale.viewer)).toEqual({ recent: false });
    expect(await addEmailAndPassword(request(), stale.viewer, { email: `s-${uid()}@example.com`, password: PASSWORD })).toMatchObject({ ok: false, problem: { status: 403, formErrors: ["auth.addEmail.signInAgain"] } });
    expect((await db().user.findUniqueOrThrow({ where: { id: userId } })).email).toBeNull();
  });

  it("is not offered to an account that has a password", async () => {
    const user = await makeUser();
    expect(await addEmailState({ id: user.id, sessionId: "none" })).toBeNull();
    expect(await addEmailAndPassword(request(), { id: user.id, sessionId: "none" }, { email: `y-${uid()}@example.com`, password: PASSWORD })).toMatchObject({ ok: false, problem: { status: 409 } });
  });
});
