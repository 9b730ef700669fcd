import { describe, expect, it } from "vitest";
import * as displayRoute from "~/routes/display";
import { layoutData } from "~/services/accounts/layout.server";
import { db, makeUser } from "../support/db";
import { form, outcome, signedInRequest } from "../support/requests";

/**
 * 大字版 on the account: the switch, signed in, remembers the choice on the account as well as in
 * the browser; a browser without the cookie (a new one) shows what the account chose; an account
 * that never chose, and anyone not signed in, follow the browser's cookie alone.
 */

type Action = (args: { request: Request; params: object; context: unknown }) => Promise<Response>;
const post = (request: Request) => (displayRoute.action as unknown as Action)({ request, params: {}, context: {} });

const withCookie = (request: Request, cookie: string) => {
  const headers = new Headers(request.headers);
  headers.set("cookie", [headers.get("cookie"), cookie].filter(Boolean).join("; "));
  return new Request(request.url, { method: request.method, headers, body: request.body, duplex: "half" } as RequestInit);
};
const largeText = async (request: Request) => (await layoutData(request, "test")).largeText;

describe("大字版 remembered on the account", () => {
  it("the switch, signed in, sets the cookie and the account; a new browser (no cookie) then shows large text after signing in", async () => {
    const user = await makeUser();
    const r = await outcome(async () => post(await signedInRequest(user.id, "/display", form({ display: "large", redirectTo: "/areas" }))));
    expect(r).toMatchObject({ status: 302, location: "/areas" });
    const thrown = await post(await signedInRequest(user.id, "/display", form({ display: "large" }))).catch((e: unknown) => e as Response);
    expect(thrown.headers.get("set-cookie")).toMatch(/^display=large;/);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).largeText).toBe(true);
    // another browser: a fresh session, no display cookie
    expect(await largeText(await signedInRequest(user.id, "/"))).toBe(true);
    // the account decides over a stale cookie of that browser
    expect(await largeText(withCookie(await signedInRequest(user.id, "/"), "display=standard"))).toBe(true);
    // and turning it off, signed in, turns it off on the account too
    await post(await signedInRequest(user.id, "/display", form({ display: "standard" }))).catch((e: unknown) => e);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).largeText).toBe(false);
    expect(await largeText(withCookie(await signedInRequest(user.id, "/"), "display=large"))).toBe(false);
  });

  it("an account that never chose follows the browser's cookie", async () => {
    const user = await makeUser();
    expect(await largeText(await signedInRequest(user.id, "/"))).toBe(false);
    expect(await largeText(withCookie(await signedInRequest(user.id, "/"), "display=large"))).toBe(true);
  });

  it("anonymous: the cookie only, no account touched", async () => {
    const before = await db().user.count({ where: { largeText: { not: null } } });
    const thrown = await post(new Request("http://localhost:3000/display", form({ display: "large" }))).catch((e: unknown) => e as Response);
    expect(thrown.headers.get("set-cookie")).toMatch(/^display=large;/);
    expect(await db().user.count({ where: { largeText: { not: null } } })).toBe(before);
    expect(await largeText(new Request("http://localhost:3000/", { headers: { cookie: "display=large" } }))).toBe(true);
    expect(await largeText(new Request("http://localhost:3000/"))).toBe(false);
  });
});
