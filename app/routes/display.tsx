import { redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/display";
import { serializeCookie } from "~/lib/cookies.server";
import { invalidSubmission, parseForm, readForm } from "~/lib/forms.server";
import { LARGE_TEXT_COOKIE } from "~/lib/i18n";
import { safeRedirect } from "~/lib/session.server";

/**
 * The 大字版 (large text) switch in the page frame, a plain form post like the language switch:
 * `large` turns it on, anything else off; remembered in the browser for a year.
 */
const DisplayForm = z.object({ display: z.string().optional(), redirectTo: z.string().optional() });

export async function action({ request }: Route.ActionArgs) {
  const submission = parseForm(await readForm(request), DisplayForm);
  if (submission.status !== "success") return invalidSubmission(submission);
  const value = submission.value.display === "large" ? "large" : "standard";
  const cookie = serializeCookie(LARGE_TEXT_COOKIE, value, { maxAgeSeconds: 365 * 86_400, httpOnly: false });
  return redirect(safeRedirect(submission.value.redirectTo), { headers: { "Set-Cookie": cookie } });
}

export function loader() {
  return redirect("/");
}
