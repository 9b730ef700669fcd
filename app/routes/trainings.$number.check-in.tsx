import { Form, redirect } from "react-router";
import type { Route } from "./+types/trainings.$number.check-in";
import { PageTitle, TextLink } from "~/components/ui";
import { TrainingTime } from "~/components/training";
import { parseForm, problemReply, readForm } from "~/lib/forms.server";
import { useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { referenceNumber } from "~/lib/params.server";
import { requireViewer } from "~/lib/session.server";
import { checkIn, trainingPage } from "~/services/trainings/trainings.server";
import { z } from "zod";

const CheckInForm = z.object({ code: z.string().max(100) });

/**
 * The page a scanned check-in code opens: the person signs in (if they are not) and checks
 * themselves in with one button. The GET only shows; the POST checks in the signed-in person,
 * never anyone else, and once.
 */
export async function loader({ request, params }: Route.LoaderArgs) {
  // signed in first: a visitor is sent to sign in whatever the address holds
  const viewer = await requireViewer(request);
  const number = referenceNumber(params.number);
  const page = await trainingPage(number, viewer);
  const code = new URL(request.url).searchParams.get("code") ?? "";
  return { training: page.training, code, attended: !!page.mine?.attended, signedUp: !!page.mine && !page.mine.cancelled };
}

export async function action({ request, params }: Route.ActionArgs) {
  // signed in first: a visitor is sent to sign in whatever the address holds
  const viewer = await requireViewer(request);
  const number = referenceNumber(params.number);
  const submission = parseForm(await readForm(request), CheckInForm);
  if (submission.status !== "success") return { problem: "trainings.error.codeInvalid" };
  const r = await checkIn(viewer, number, submission.value.code);
  if (!r.ok) return problemReply(submission, r.problem);
  throw redirect(`/trainings/${number}?checkedIn=1`);
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "trainings.checkIn.pageTitle");

export default function CheckIn({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const d = loaderData;
  const problems = actionData && "result" in actionData ? (actionData.result?.error?.[""] ?? []) : actionData && "problem" in actionData ? [actionData.problem] : [];
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <PageTitle sub={<TrainingTime startsAt={d.training.startsAt} endsAt={d.training.endsAt} />}>{t("trainings.checkIn.pageTitle")}</PageTitle>
      <p className="text-lg font-medium">{d.training.topic}</p>
      {problems.length ? (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-900" data-testid="check-in-problem">
          {problems.map((p) => t(p)).join(" ")}
        </p>
      ) : null}
      {d.attended ? (
        <p role="status" className="rounded border border-green-300 bg-green-50 p-3" data-testid="checked-in">
          {t("trainings.checkIn.already")}
        </p>
      ) : !d.signedUp ? (
        <p className="rounded border border-amber-300 bg-amber-50 p-3">{t("trainings.error.notSignedUp")}</p>
      ) : (
        <Form method="post" className="space-y-3">
          <input type="hidden" name="code" value={d.code} />
          <button type="submit" className="w-full rounded bg-brand-700 px-4 py-3 text-lg font-medium text-white sm:w-auto">
            {t("trainings.checkIn.submit")}
          </button>
        </Form>
      )}
      <p className="text-sm">
        <TextLink to={`/trainings/${d.training.number}`}>{t("trainings.checkIn.back")}</TextLink>
      </p>
    </div>
  );
}
