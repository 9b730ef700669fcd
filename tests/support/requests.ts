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
