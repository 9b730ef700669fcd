import { describe, expect, it } from "vitest";
import { notify } from "~/lib/notify.server";
import { INBOX_PAGE_SIZE, listInbox, markAllRead, markRead, renderNotification, safeInAppLink } from "~/services/accounts/inbox.server";
import InboxRoute, { action as inboxAction, loader as inboxLoader } from "~/routes/inbox";
import { db, makeUser } from "../support/db";
import { form, outcome, signedInRequest } from "../support/requests";
import { problem } from "../support/result";
import { BAD_CURSORS, numberedPagerIn, walkNumbered } from "../support/keyset";
import { renderRoute } from "../support/render-route";

/** `n` notifications for the user, one minute apart, the last one newest. */
async function seed(userId: string, n: number) {
  const base = Date.now() - n * 60_000;
  for (let i = 0; i < n; i++) {
    await db().notification.create({
      data: { userId, kind: "welcome", params: { seq: i }, createdAt: new Date(base + i * 60_000) },
    });
  }
}

describe("inbox service", () => {
  it("lists a user's own notifications newest first, 20 per page, with the unread count", async () => {
    const a = await makeUser();
    await seed(a.id, INBOX_PAGE_SIZE + 5);
    const first = await listInbox(a.id, "zh-CN");
    expect(first).toMatchObject({ total: 25, unread: 25, pager: { page: 1, pages: 2, prev: null } });
    expect(first.items).toHaveLength(INBOX_PAGE_SIZE);
    const times = first.items.map((i) => i.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    const second = await listInbox(a.id, "zh-CN", first.pager.next, "2");
    expect(second.items).toHaveLength(5);
    expect(second.items[0]!.createdAt < first.items.at(-1)!.createdAt).toBe(true);
    expect(second.pager).toMatchObject({ page: 2, pages: 2, next: null });
    // the DTO carries no user id or raw params
    expect(Object.keys(first.items[0]!).sort()).toEqual(["body", "createdAt", "createdAtText", "id", "link", "read", "title"]);
  });

  it("pages by number: every notification exactly once, newest first, by number, forward and back, ties on the time included; a bad or another reader's cursor is ignored", async () => {
    const a = await makeUser();
    const b = await makeUser();
    await seed(a.id, 2 * INBOX_PAGE_SIZE + 3);
    // half of them at one time: only the id orders those
    const tied = await db().notification.findMany({ where: { userId: a.id }, select: { id: true }, orderBy: { createdAt: "asc" }, take: INBOX_PAGE_SIZE });
    await db().notification.updateMany({ where: { id: { in: tied.map((n) => n.id) } }, data: { createdAt: new Date("2026-03-01T02:00:00.123Z") } });
    const expected = (await db().notification.findMany({ where: { userId: a.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } })).map((n) => n.id);
    const forward = await walkNumbered(async (qs) => {
      const q = new URLSearchParams(qs);
      return listInbox(a.id, "en", q.get("cursor"), q.get("page"));
    });
    expect(forward.map((p) => p.length)).toEqual([20, 20, 3]);
    expect(forward.flat().map((n) => n.id)).toEqual(expected);
    const first = await listInbox(a.id, "en");
    for (const bad of BAD_CURSORS) expect((await listInbox(a.id, "en", bad, "1")).items).toEqual(first.items);
    // a cursor is bound to its reader: with someone else's, the page is read by its number
    await seed(b.id, 2);
    expect((await listInbox(b.id, "en", first.pager.next, "2")).pager).toMatchObject({ page: 1, pages: 1 });

    // the page: numbered plain links, previous / next carrying their cursor (no JavaScript needed)
    const load = async (qs: string) => (await outcome(async () => inboxLoader({ request: await signedInRequest(a.id, `/inbox${qs}`), params: {}, context: {} } as never))).value;
    const pager = numberedPagerIn(renderRoute(InboxRoute as never, await load("?page=2")))!;
    expect(pager).toMatchObject({ label: "翻页", current: "当前页： 2" });
    expect(pager.links.map((l) => [l.page, l.href])).toEqual([
      [1, "/p"],
      [3, "/p?page=3"],
    ]);
    expect(pager.prev).toMatch(/^\/p\?cursor=\w+$/);
    expect(pager.next).toMatch(/^\/p\?page=3&cursor=\w+$/);
    const last = numberedPagerIn(renderRoute(InboxRoute as never, await load("?page=3"), undefined, "en"))!;
    expect(last).toMatchObject({ label: "Pages", current: "Current page: 3", next: null });
  });

  it("marks one or all as read, for the owner only", async () => {
    const a = await makeUser();
    const b = await makeUser();
    await db().$transaction((tx) => notify(tx, { userId: a.id, kind: "welcome", link: "/areas" }));
    await db().$transaction((tx) => notify(tx, { userId: a.id, kind: "welcome" }));
    await db().$transaction((tx) => notify(tx, { userId: b.id, kind: "welcome" }));
    const [newest, older] = (await listInbox(a.id, "en")).items;

    // B sees none of A's notifications and cannot mark them
    const bInbox = await listInbox(b.id, "en");
    expect(bInbox.total).toBe(1);
    expect(bInbox.items.map((i) => i.id)).not.toContain(newest!.id);
    expect(await markRead(b.id, newest!.id)).toEqual(problem(404, ["inbox.notFound"]));
    expect(await markAllRead(b.id)).toBe(1);
    expect((await listInbox(a.id, "en")).unread).toBe(2);

    expect(await markRead(a.id, older!.id)).toEqual({ ok: true, link: "/areas" });
    expect((await listInbox(a.id, "en")).unread).toBe(1);
    expect(await markRead(a.id, older!.id)).toEqual({ ok: true, link: "/areas" }); // again: no change
    expect(await markAllRead(a.id)).toBe(1);
    const after = await listInbox(a.id, "en");
    expect(after.unread).toBe(0);
    expect(after.items.every((i) => i.read)).toBe(true);
  });

  it("renders each kind in the reader's language from its params", () => {
    expect(renderNotification("zh-CN", "welcome", {}).title).toBe("欢迎加入社区公益创投平台");
    expect(renderNotification("en", "welcome", {}).title).toBe("Welcome to Community Venture Philanthropy");

    const granted = { role: "JUDGE", areaZh: "当湖街道", areaEn: "Danghu Subdistrict" };
    expect(renderNotification("zh-CN", "roleGranted", granted)).toEqual({
      title: "您已获授当湖街道的评审专家权限",
      body: "您的账户已获授当湖街道的评审专家权限，相应的功能已在菜单中开放。",
    });
    expect(renderNotification("en", "roleGranted", granted).title).toBe("You are now Judge for Danghu Subdistrict");
    // the bilingual pair wins over a plain `area` passed alongside it (as app/services/staff.server.ts does)
    expect(renderNotification("en", "roleGranted", { ...granted, area: "当湖街道" }).title).toBe("You are now Judge for Danghu Subdistrict");
    // a plain `area` string alone is used as it is
    expect(renderNotification("en", "roleGranted", { role: "OFFICIAL", area: "松枫社区" }).title).toBe("You are now Official for 松枫社区");

    const accepted = { email: "judge@example.org", role: "FOUNDATION_MANAGER", areaZh: "当湖街道", areaEn: "Danghu Subdistrict" };
    expect(renderNotification("zh-CN", "invitationAccepted", accepted).body).toBe("judge@example.org 已接受您的邀请，成为当湖街道的基金管理人。");
    expect(renderNotification("en", "invitationAccepted", accepted).title).toBe("judge@example.org accepted your invitation");

    // a kind this version does not know never shows a raw message key
    expect(renderNotification("en", "fromTheFuture", {})).toEqual({ title: "New notice", body: "You have a new notice." });
    for (const kind of ["welcome", "roleGranted", "invitationAccepted", "nope"]) {
      for (const locale of ["zh-CN", "en"] as const) {
        const { title, body } = renderNotification(locale, kind, { ...accepted });
        expect(`${title} ${body}`).not.toMatch(/inbox\.|role\.|\{\w+\}/);
      }
    }
  });

  it("offers only in-app links", () => {
    expect(safeInAppLink("/rounds/1?tab=x")).toBe("/rounds/1?tab=x");
    expect(safeInAppLink("javascript:alert(1)")).toBeNull();
    expect(safeInAppLink("//evil.example/")).toBeNull();
    expect(safeInAppLink("/\\evil.example")).toBeNull();
    expect(safeInAppLink("https://evil.example/")).toBeNull();
    expect(safeInAppLink(null)).toBeNull();
  });
});

describe("/inbox route", () => {
  it("sends anonymous visitors to sign in", async () => {
    const res = await outcome(() => inboxLoader({ request: new Request("http://localhost:3000/inbox?page=2"), params: {}, context: {} } as never));
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/login?redirectTo=${encodeURIComponent("/inbox?page=2")}`);
  });

  it("shows the viewer's inbox in their language and lets them act only on their own notifications", async () => {
    const a = await makeUser();
    const b = await makeUser();
    await db().user.update({ where: { id: a.id }, data: { locale: "en" } });
    await db().$transaction((tx) =>
      notify(tx, { userId: a.id, kind: "roleGranted", params: { role: "OFFICIAL", areaZh: "松枫社区", areaEn: "Songfeng Community" }, link: "/admin" }),
    );
    const loaded = await outcome(async () => inboxLoader({ request: await signedInRequest(a.id, "/inbox"), params: {}, context: {} } as never));
    const data = loaded.value as Awaited<ReturnType<typeof inboxLoader>>;
    expect(data.locale).toBe("en");
    expect(data.inbox.items[0]).toMatchObject({ title: "You are now Official for Songfeng Community", link: "/admin", read: false });
    const id = data.inbox.items[0]!.id;

    // B cannot mark or open A's notification: 404, and it stays unread
    for (const intent of ["read", "open"]) {
      const res = await outcome(async () =>
        inboxAction({ request: await signedInRequest(b.id, "/inbox", form({ intent, id })), params: {}, context: {} } as never),
      );
      expect(res.status).toBe(404);
    }
    expect((await listInbox(a.id, "en")).unread).toBe(1);

    // a malformed request is answered 400, with the field that is wrong; an unknown intent too
    const bad = await outcome(async () =>
      inboxAction({ request: await signedInRequest(a.id, "/inbox", form({ intent: "read", id: "not-a-uuid" })), params: {}, context: {} } as never),
    );
    expect(bad.value).toMatchObject({ init: { status: 400 }, data: { intent: "read", result: { status: "error", error: { id: expect.any(Array) } } } });
    const unknown = await outcome(async () =>
      inboxAction({ request: await signedInRequest(a.id, "/inbox", form({ intent: "delete", id })), params: {}, context: {} } as never),
    );
    expect(unknown.value).toMatchObject({ init: { status: 400 } });
    expect((await listInbox(a.id, "en")).unread).toBe(1);

    // "open" marks it read and goes to its link
    const opened = await outcome(async () =>
      inboxAction({ request: await signedInRequest(a.id, "/inbox?page=1", form({ intent: "open", id })), params: {}, context: {} } as never),
    );
    expect(opened).toMatchObject({ status: 302, location: "/admin" });
    expect((await listInbox(a.id, "en")).unread).toBe(0);

    // "mark all as read" comes back to the same page
    await db().$transaction((tx) => notify(tx, { userId: a.id, kind: "welcome" }));
    const all = await outcome(async () =>
      inboxAction({ request: await signedInRequest(a.id, "/inbox?page=1", form({ intent: "readAll" })), params: {}, context: {} } as never),
    );
    expect(all).toMatchObject({ status: 302, location: "/inbox?page=1" });
    expect((await listInbox(a.id, "en")).unread).toBe(0);
  });
});
