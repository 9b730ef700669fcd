import { redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/language";
import { invalidSubmission, parseForm, readForm } from "~/lib/forms.server";
import { setLanguage } from "~/services/accounts/language.server";
import { safeRedirect } from "~/lib/session.server";

/** The language switcher in the page frame: an unknown language falls back to the default one. */
const LanguageForm = z.object({ locale: z.string().optional(), redirectTo: z.string().optional() });

export async function action({ request }: Route.ActionArgs) {
  const submission = parseForm(await readForm(request), LanguageForm);
  if (submission.status !== "success") return invalidSubmission(submission);
  const cookie = await setLanguage(request, submission.value.locale ?? null);
  return redirect(safeRedirect(submission.value.redirectTo), { headers: { "Set-Cookie": cookie } });
}

export function loader() {
  return redirect("/");
}
