import { redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/auth.wechat";
import { invalidSubmission, parseForm, readForm } from "~/lib/forms.server";
import { notFound } from "~/lib/permissions.server";
import { getViewer, requireViewer, safeRedirect } from "~/lib/session.server";
import { AFTER_SIGN_IN } from "~/services/accounts/auth.server";
import { beginWechat, wechatConfigured } from "~/services/accounts/wechat.server";

/**
 * Starts a WeChat authorisation (docs/decisions/045): `signIn` from the login page, `link` from the
 * account page (signed in). A form post, so that a link followed or prefetched starts nothing; the
 * answer sends the browser to WeChat with the state and sets the cookie that binds it here.
 * Without WECHAT_APP_ID / WECHAT_APP_SECRET there is no such page.
 */
const StartForm = z.object({ intent: z.enum(["signIn", "link"]), redirectTo: z.string().optional() });

export async function action({ request }: Route.ActionArgs) {
  if (!wechatConfigured()) notFound();
  const submission = parseForm(await readForm(request), StartForm);
  if (submission.status !== "success") return invalidSubmission(submission);
  const { intent, redirectTo } = submission.value;
  if (intent === "link") {
    // back to the WeChat section (its own fragment also replaces the #wechat_redirect a browser would keep)
    const viewer = await requireViewer(request);
    const start = await beginWechat(viewer, "/account?notice=wechatLinked#wechat-h");
    return redirect(start.url, { headers: { "Set-Cookie": start.cookie } });
  }
  // already signed in: nothing to start, on to where signing in would have led
  if (await getViewer(request)) return redirect(safeRedirect(redirectTo, AFTER_SIGN_IN));
  const start = await beginWechat(null, redirectTo);
  return redirect(start.url, { headers: { "Set-Cookie": start.cookie } });
}

export async function loader({ request }: Route.LoaderArgs) {
  if (!wechatConfigured()) notFound();
  return redirect((await getViewer(request)) ? "/account" : "/login");
}
