import { data, redirect } from "react-router";
import type { Route } from "./+types/auth.wechat.callback";
import { PageTitle, Problems, TextLink } from "~/components/ui";
import { DEFAULT_LOCALE, makeT, useT, type Locale } from "~/lib/i18n";
import { resolveLocale } from "~/lib/locale.server";
import { notFound } from "~/lib/permissions.server";
import { getViewer } from "~/lib/session.server";
import { clearStateCookie, completeWechat, wechatConfigured } from "~/services/accounts/wechat.server";

/**
 * Where WeChat sends the browser back (`code`, `state`): signs in, makes the account, or links
 * WeChat to the account that asked; a refusal is shown here with the way back. The state cookie
 * is cleared either way. Without WeChat configured there is no such page.
 */
export async function loader({ request }: Route.LoaderArgs) {
  if (!wechatConfigured()) notFound();
  const url = new URL(request.url);
  const viewer = await getViewer(request);
  const r = await completeWechat(request, viewer, { code: url.searchParams.get("code"), state: url.searchParams.get("state") });
  const headers = new Headers();
  headers.append("Set-Cookie", clearStateCookie());
  if (!r.ok) {
    return data({ locale: resolveLocale(request, viewer), errors: r.problem.formErrors, signedIn: !!viewer }, { status: r.problem.status, headers });
  }
  if (r.done.outcome === "signedIn") headers.append("Set-Cookie", r.done.cookie);
  return redirect(r.done.redirectTo, { headers });
}

export const meta: Route.MetaFunction = ({ data: d }) => {
  const t = makeT(((d as { locale?: Locale } | undefined)?.locale as Locale | undefined) ?? DEFAULT_LOCALE);
  return [{ title: `${t("wechat.callback.title")} · ${t("app.name")}` }];
};

export default function WechatCallback({ loaderData }: Route.ComponentProps) {
  const t = useT();
  return (
    <div className="mx-auto w-full max-w-md space-y-4">
      <PageTitle>{t("wechat.callback.title")}</PageTitle>
      <Problems errors={loaderData.errors} testId="wechat-problem" />
      <p>
        <TextLink to={loaderData.signedIn ? "/account" : "/login"}>{loaderData.signedIn ? t("wechat.callback.account") : t("wechat.callback.again")}</TextLink>
      </p>
    </div>
  );
}
