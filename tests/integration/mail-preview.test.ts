import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "~/lib/env.server";
import { resetMailer } from "~/lib/mailer.server";
import { queueEmail } from "~/lib/outbox.server";
import { getViewer } from "~/lib/session.server";
import { runDueJobs } from "~/services/jobs/registry.server";
import { mailAccess } from "~/services/accounts/access.server";
import { loader as listLoader } from "~/routes/admin.mail";
import { loader as detailLoader } from "~/routes/admin.mail.$id";
import { clearJobQueue, db, makeAreaTree, makeUser, uid } from "../support/db";
import { outcome, signedInRequest } from "../support/requests";

const savedHost = process.env.SMTP_HOST;
function localMode(on: boolean) {
  if (on) delete process.env.SMTP_HOST;
  else process.env.SMTP_HOST = savedHost;
  resetEnvCache();
  resetMailer();
}
beforeAll(clearJobQueue);
afterEach(() => localMode(false));

type Role = "OFFICIAL" | "JUDGE" | "FOUNDATION_MANAGER" | "ADMIN";

/** A user with one grant (or none), and a request signed in as them. */
async function person(role: Role | null, level: "SUBDISTRICT" | "COMMUNITY" = "SUBDISTRICT") {
  const user = await makeUser();
  if (role) {
    const { root, communities } = await makeAreaTree(1);
    await db().roleGrant.create({ data: { userId: user.id, role, areaId: level === "SUBDISTRICT" ? root.id : communities[0]!.id } });
  }
  return user;
}

const list = async (userId: string) => outcome(async () => listLoader({ request: await signedInRequest(userId, "/admin/mail"), params: {}, context: {} } as never));
const detail = async (userId: string, id: string) =>
  outcome(async () => detailLoader({ request: await signedInRequest(userId, `/admin/mail/${id}`), params: { id }, context: {} } as never));

async function storedMessage() {
  const to = `preview-${uid()}@example.com`;
  const id = await db().$transaction((tx) =>
    queueEmail(tx, { to, locale: "zh-CN", template: "verify-email", props: { name: "张三", link: "http://localhost:3000/verify?token=preview" } }),
  );
  await runDueJobs();
  return { id, to };
}

describe("mail access rules", () => {
  it("local mode: administrators and officials of a subdistrict or above; SMTP mode: administrators, without content", async () => {
    const cases: [Role | null, "SUBDISTRICT" | "COMMUNITY", boolean, boolean][] = [
      // role, level, local-mode access, SMTP-mode access
      ["ADMIN", "SUBDISTRICT", true, true],
      ["OFFICIAL", "SUBDISTRICT", true, false],
      ["OFFICIAL", "COMMUNITY", false, false],
      ["JUDGE", "SUBDISTRICT", false, false],
      ["FOUNDATION_MANAGER", "SUBDISTRICT", false, false],
      [null, "SUBDISTRICT", false, false],
    ];
    for (const [role, level, local, smtp] of cases) {
      const user = await person(role, level);
      const viewer = (await getViewer(await signedInRequest(user.id, "/")))!;
      localMode(true);
      expect(mailAccess(viewer), `${role}@${level} local`).toEqual(local ? { showBodies: true, localMode: true } : null);
      localMode(false);
      expect(mailAccess(viewer), `${role}@${level} smtp`).toEqual(smtp ? { showBodies: false, localMode: false } : null);
    }
  });
});

describe("/admin/mail", () => {
  it("sends anonymous visitors to sign in and refuses everyone else with 403", async () => {
    const anon = await outcome(() => listLoader({ request: new Request("http://localhost:3000/admin/mail"), params: {}, context: {} } as never));
    expect(anon).toMatchObject({ status: 302, location: `/login?redirectTo=${encodeURIComponent("/admin/mail")}` });

    localMode(true);
    const { id } = await storedMessage();
    const resident = await person(null);
    const communityOfficial = await person("OFFICIAL", "COMMUNITY");
    for (const u of [resident, communityOfficial]) {
      expect((await list(u.id)).status).toBe(403);
      expect((await detail(u.id, id)).status).toBe(403);
    }
  });

  it("local mode: a subdistrict official reads the stored message, text and HTML", async () => {
    localMode(true);
    const { id, to } = await storedMessage();
    const official = await person("OFFICIAL");

    const res = await list(official.id);
    expect(res.status).toBe(200);
    const page = res.value as Awaited<ReturnType<typeof listLoader>>;
    expect(page.localMode).toBe(true);
    const row = page.mail.items.find((m) => m.id === id);
    expect(row).toMatchObject({ to, subject: "请验证您的电子邮箱", template: "verify-email", status: "STORED_LOCALLY", attempts: 1 });
    expect(row!.createdAtText).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/);
    // newest first
    const times = page.mail.items.map((m) => m.createdAt);
    expect(times).toEqual([...times].sort().reverse());

    const one = await detail(official.id, id);
    const message = (one.value as Awaited<ReturnType<typeof detailLoader>>).message;
    // the official reads the message but not the recipient's verification link: that would be the recipient's key
    expect(message.text).not.toContain("token=preview");
    expect(message.html).not.toContain("token=preview");
    expect(message.text).toContain("[链接已隐藏 · link hidden]");
    expect(message.linksHidden).toBe(true);
    expect(message.html).toContain("<html");
    // every view is audited
    const views = await db().auditLog.findMany({ where: { action: "mail.view", objectId: id, actorId: official.id } });
    expect(views).toHaveLength(1);

    expect((await detail(official.id, crypto.randomUUID())).status).toBe(404);
  });

  it("local mode: a password-reset link is never shown to an official who could take the account over; its recipient sees it", async () => {
    localMode(true);
    const official = await person("OFFICIAL");
    const target = await person("OFFICIAL");
    const id = await db().$transaction((tx) =>
      queueEmail(tx, { to: target.email, locale: "en", template: "reset-password", props: { name: "Li", link: "http://localhost:3000/reset-password?token=takeover" } }),
    );
    await runDueJobs();
    const seen = ((await detail(official.id, id)).value as Awaited<ReturnType<typeof detailLoader>>).message;
    expect(`${seen.text}${seen.html}`).not.toContain("takeover");
    const own = ((await detail(target.id, id)).value as Awaited<ReturnType<typeof detailLoader>>).message;
    expect(own.text).toContain("reset-password?token=takeover");
    expect(own.linksHidden).toBe(false);
  });

  it("SMTP mode: an administrator sees the delivery log without content; an official is refused", async () => {
    const { id } = await storedMessage(); // delivered through the test SMTP server
    const admin = await person("ADMIN");
    const official = await person("OFFICIAL");

    const res = await list(admin.id);
    const page = res.value as Awaited<ReturnType<typeof listLoader>>;
    expect(page.localMode).toBe(false);
    expect(page.mail.items.find((m) => m.id === id)).toMatchObject({ status: "SENT", attempts: 1 });
    const message = ((await detail(admin.id, id)).value as Awaited<ReturnType<typeof detailLoader>>).message;
    expect(message).toMatchObject({ status: "SENT", attempts: 1, text: null, html: null });
    expect(message.messageId).toContain("outbox.");

    expect((await list(official.id)).status).toBe(403);
    expect((await detail(official.id, id)).status).toBe(403);
  });
});
