import { redirect } from "react-router";
import type { Route } from "./+types/language";
import { setLanguage } from "~/services/accounts/language.server";
import { safeRedirect } from "~/lib/session.server";

export async function action({ request }: Route.ActionArgs) {
  const form = await request.formData();
  const cookie = await setLanguage(request, form.get("locale"));
  return redirect(safeRedirect(form.get("redirectTo")), { headers: { "Set-Cookie": cookie } });
}

export function loader() {
  return redirect("/");
}
