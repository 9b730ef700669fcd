import { Form, redirect, useSearchParams } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/privacy.accept";
import { FormErrors, getFormProps, SubmitButton, useZodForm } from "~/components/form";
import { NoticeLink } from "~/components/privacy";
import { PageTitle, Section } from "~/components/ui";
import { currentNoticeVersion } from "~/domain/privacy-notice";
import { invalidSubmission, parseForm, readForm } from "~/lib/forms.server";
import { useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { getViewerAnyNotice, safeRedirect } from "~/lib/session.server";
import { AFTER_SIGN_IN } from "~/services/accounts/auth.server";
import { acceptNotice, declineNotice, hasAcceptedAnyNotice, hasAcceptedNotice } from "~/services/accounts/consent.server";

/**
 * Asks a signed-in person to accept the privacy notice now in force (getViewer sends them here
 * when the version they accepted is not the current one). A person who never accepted one (an
 * account just made through WeChat) is asked to accept it, not told it changed. Accepting records
 * the consent and goes back to the page they asked for; declining signs them out.
 */
async function signedIn(request: Request) {
  const viewer = await getViewerAnyNotice(request);
  if (!viewer) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return viewer;
}

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await signedIn(request);
  const back = safeRedirect(new URL(request.url).searchParams.get("redirectTo"), AFTER_SIGN_IN);
  if (await hasAcceptedNotice(viewer.id)) throw redirect(back);
  return { version: currentNoticeVersion(), first: !(await hasAcceptedAnyNotice(viewer.id)) };
}

const Intents = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("accept"), redirectTo: z.string().optional() }),
  z.object({ intent: z.literal("decline") }),
]);

export async function action({ request }: Route.ActionArgs) {
  const viewer = await signedIn(request);
  const submission = parseForm(await readForm(request), Intents);
  if (submission.status !== "success") return invalidSubmission(submission);
  const v = submission.value;
  if (v.intent === "decline") return redirect("/", { headers: { "Set-Cookie": await declineNotice(request, viewer) } });
  await acceptNotice(request, viewer);
  return redirect(safeRedirect(v.redirectTo, AFTER_SIGN_IN));
}

export const meta: Route.MetaFunction = ({ matches, data }) => pageMeta(matches, data?.first ? "privacy.accept.firstTitle" : "privacy.accept.title");

const SUMMARY = ["collect", "public", "keep", "rights"] as const;

export default function AcceptNotice({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const [params] = useSearchParams();
  const redirectTo = params.get("redirectTo");
  const [form] = useZodForm(Intents, actionData?.result, { id: "accept-notice" });
  return (
    <div className="mx-auto w-full max-w-xl">
      <section className="space-y-4 rounded-lg bg-white p-5 shadow-sm sm:p-6">
        <PageTitle sub={t(loaderData.first ? "privacy.accept.firstIntro" : "privacy.accept.intro", { version: loaderData.version })}>
          {t(loaderData.first ? "privacy.accept.firstTitle" : "privacy.accept.title")}
        </PageTitle>
        <Section title={t("privacy.accept.summary")} size="base">
          <ul className="list-disc space-y-1 pl-5 text-sm">
            {SUMMARY.map((k) => (
              <li key={k}>{t(`privacy.accept.summary.${k}`)}</li>
            ))}
          </ul>
          <NoticeLink />
        </Section>
        <Form method="post" {...getFormProps(form)} className="space-y-3">
          <FormErrors form={form} />
          {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
          <div className="flex flex-wrap gap-3">
            <SubmitButton name="intent" value="accept">
              {t("privacy.accept.accept")}
            </SubmitButton>
            <button type="submit" name="intent" value="decline" className="rounded border border-slate-400 px-4 py-2 font-medium text-slate-800">
              {t("privacy.accept.decline")}
            </button>
          </div>
          <p className="text-sm text-slate-600">{t("privacy.accept.declineHint")}</p>
        </Form>
      </section>
    </div>
  );
}
