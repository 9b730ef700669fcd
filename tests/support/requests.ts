import { createSession } from "../../app/lib/session.server.ts";

/** A request carrying a real session cookie for `userId`, as the browser would send it. */
export async function signedInRequest(userId: string, url: string, init: RequestInit = {}) {
  const setCookie = await createSession(new Request("http://localhost:3000/login"), userId);
  const cookie = setCookie.split(";")[0]!;
  const headers = new Headers(init.headers);
  headers.set("cookie", cookie);
  return new Request(new URL(url, "http://localhost:3000"), { ...init, headers });
}

/** What a loader/action threw or returned, reduced to status and Location. */
export async function outcome(run: () => Promise<unknown>): Promise<{ status: number; location?: string | null; value?: unknown }> {
  try {
    const value = await run();
    if (value instanceof Response) return { status: value.status, location: value.headers.get("location") };
    return { status: 200, value };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, location: thrown.headers.get("location") };
    const init = (thrown as { init?: { status?: number } | null }).init;
    if (init?.status) return { status: init.status };
    throw thrown;
  }
}

/** A POSTed HTML form. */
export const form = (fields: Record<string, string>): RequestInit => {
  const body = new URLSearchParams(fields);
  return { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } };
};

/**
 * What an action answered with `data(…, { status })` or a plain object, as status and body; a
 * thrown or returned Response (redirects, 403/404) as `outcome` gives it.
 */
export async function answer(run: () => Promise<unknown>): Promise<{ status: number; location?: string | null; data?: unknown }> {
  const r = await outcome(run);
  const v = r.value as { type?: unknown; data?: unknown; init?: { status?: number } | null } | undefined;
  if (v && typeof v === "object" && v.type === "DataWithResponseInit") return { status: v.init?.status ?? 200, data: v.data };
  return r.value === undefined ? r : { status: r.status, data: r.value };
}
