import { redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/display";
import { invalidSubmission, parseForm, readForm } from "~/lib/forms.server";
import { safeRedirect } from "~/lib/session.server";
import { setLargeText } from "~/services/accounts/language.server";

/**
 * The 大字版 (large text) switch in the page frame, a plain form post like the language switch:
 * `large` turns it on, anything else off; remembered in the browser for a year and, signed in,
 * on the account.
 */
const DisplayForm = z.object({ display: z.string().optional(), redirectTo: z.string().optional() });

export async function action({ request }: Route.ActionArgs) {
  const submission = parseForm(await readForm(request), DisplayForm);
  if (submission.status !== "success") return invalidSubmission(submission);
  const cookie = await setLargeText(request, submission.value.display);
  return redirect(safeRedirect(submission.value.redirectTo), { headers: { "Set-Cookie": cookie } });
}

export function loader() {
  return redirect("/");
}
