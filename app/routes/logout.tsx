import { redirect } from "react-router";
import type { Route } from "./+types/logout";
import { signOut } from "~/services/accounts/auth.server";

/** POST only: a GET (a link, an image, a prefetch) must never sign anyone out. */
export async function action({ request }: Route.ActionArgs) {
  return redirect("/", { headers: { "Set-Cookie": await signOut(request) } });
}

export function loader() {
  return redirect("/");
}
