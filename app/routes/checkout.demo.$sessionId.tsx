import type { ReactNode } from "react";
import { data, Form, Link, redirect, useNavigation } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/checkout.demo.$sessionId";
import { Fact, PageTitle, Section, TextLink } from "~/components/ui";
import { formatFen } from "~/domain/money";
import { useLocale, useT } from "~/lib/i18n";
import { invalidSubmission, parseForm, readForm } from "~/lib/forms.server";
import { localName, pageMeta } from "~/lib/names";
import { completeDemoCheckout, demoCheckout, type DemoOutcome } from "~/services/giving/demo.server";

/** Where the donor goes once a demo checkout is complete: the gift's own page. */
const nextPath = (view: { kind: "once" | "monthly"; token: string }) => (view.kind === "monthly" ? `/giving/monthly/${view.token}` : `/donations/${view.token}`);

export async function loader({ params }: Route.LoaderArgs) {
  // unknown session, or not in demo payments mode: there is no such page
  const view = await demoCheckout(params.sessionId);
  if (!view) throw data(null, { status: 404 });
  return {
    kind: view.kind,
    amountFen: view.amountFen,
    method: view.method,
    foundation: view.foundation,
    cancelPath: view.cancelPath,
    done: view.done,
    next: view.done ? nextPath(view) : null,
  };
}

/** The pressed button: paid now, paid later (an async method), or failed. */
const OutcomeSchema = z.object({ outcome: z.enum(["pay", "delayed", "fail"] satisfies DemoOutcome[], { error: "validation.invalid" }) });

export async function action({ params, request }: Route.ActionArgs) {
  const view = await demoCheckout(params.sessionId);
  if (!view) throw data(null, { status: 404 });
  // pressed twice, or back in the browser: the payment is not made again
  if (view.done) return redirect(nextPath(view));
  const submission = parseForm(await readForm(request), OutcomeSchema);
  if (submission.status !== "success") return invalidSubmission(submission);
  const { outcome } = submission.value;
  // a monthly gift's first charge is simulated as paid only
  if (view.kind === "monthly" && outcome !== "pay") throw data(null, { status: 400 });
  const next = await completeDemoCheckout(params.sessionId, outcome);
  if (!next) throw data(null, { status: 404 });
  return redirect(next);
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "donor.checkout.title");

function QrPlaceholder({ label }: { label: string }) {
  // a fixed pattern that looks like a QR code (three corner squares, speckle) and encodes nothing
  const finder = (x: number, y: number) => {
    for (const [cx, cy] of [[0, 0], [8, 0], [0, 8]] as const) {
      const dx = x - cx;
      const dy = y - cy;
      if (dx >= 0 && dx < 3 && dy >= 0 && dy < 3) return true;
      if (dx >= -1 && dx <= 3 && dy >= -1 && dy <= 3) return false;
    }
    return null;
  };
  const cells = Array.from({ length: 121 }, (_, i) => {
    const f = finder(i % 11, Math.floor(i / 11));
    return f ?? ((i * 2654435761) >>> 0) % 7 < 3;
  });
  return (
    <figure className="mx-auto w-48 text-center" data-testid="demo-qr">
      <div role="img" aria-label={label} className="grid aspect-square grid-cols-11 gap-px border-4 border-slate-900 bg-white p-2">
        {cells.map((on, i) => (
          <span key={i} className={on ? "bg-slate-900" : "bg-white"} />
        ))}
      </div>
      <figcaption className="mt-2 text-sm font-medium text-amber-900">{label}</figcaption>
    </figure>
  );
}

/** One outcome's button: all are disabled once one is pressed, and the pressed one says it is working. */
function OutcomeButton({ outcome, pressed, describedBy, className, children }: { outcome: DemoOutcome; pressed: unknown; describedBy?: string; className: string; children: ReactNode }) {
  const t = useT();
  return (
    <button type="submit" name="outcome" value={outcome} disabled={!!pressed} aria-busy={pressed === outcome} aria-describedby={describedBy} className={className}>
      {pressed === outcome ? t("donor.checkout.working") : children}
    </button>
  );
}

export default function DemoCheckout({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const navigation = useNavigation();
  const d = loaderData;
  const pressed = navigation.state !== "idle" ? navigation.formData?.get("outcome") : null;
  const amount = formatFen(d.amountFen);
  return (
    <div className="mx-auto max-w-lg space-y-6">
      <Section id="demo-checkout-banner" title={t("donor.checkout.banner")} size="bold" className="rounded-lg border-4 border-amber-500 bg-amber-50 p-5 text-amber-950" testId="demo-checkout-banner">
        <p className="mt-2 text-sm">{t("donor.checkout.bannerBody")}</p>
      </Section>

      <PageTitle>{t("donor.checkout.title")}</PageTitle>

      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 rounded-lg bg-white p-5 shadow-sm">
        <Fact bare label={t("donor.field.foundation")}>{localName(locale, d.foundation)}</Fact>
        <Fact bare label={t("donor.field.amount")} valueClassName="text-xl font-semibold tabular-nums">{amount}</Fact>
        <Fact bare label={t("donor.field.frequency")}>{t(d.kind === "monthly" ? "donor.frequency.MONTHLY" : "donor.frequency.ONCE")}</Fact>
        <Fact bare label={t("donor.field.method")}>{t(`donation.method.${d.method}`)}</Fact>
      </dl>

      {d.done ? (
        <div role="status" className="rounded-lg border border-emerald-300 bg-emerald-50 p-4" data-testid="demo-checkout-done">
          <p>{t("donor.checkout.done")}</p>
          <TextLink to={d.next!} className="mt-2 inline-block font-medium">{t("donor.checkout.doneLink")}</TextLink>
        </div>
      ) : (
        <div className="space-y-4 rounded-lg bg-white p-5 shadow-sm">
          {d.method === "wechat_pay" ? <QrPlaceholder label={t("donor.checkout.qr")} /> : null}
          {d.kind === "monthly" ? <p className="text-sm text-slate-700">{t("donor.checkout.monthly")}</p> : null}
          <Form method="post" className="space-y-3">
            <OutcomeButton outcome="pay" pressed={pressed} className="w-full rounded bg-brand-700 px-4 py-3 text-lg font-semibold text-white hover:bg-brand-800 disabled:opacity-60">
              {t("donor.checkout.pay", { amount })}
            </OutcomeButton>
            {d.kind === "once" ? (
              <>
                <OutcomeButton outcome="delayed" pressed={pressed} describedBy="demo-delayed-hint" className="w-full rounded border border-slate-400 px-4 py-2 text-slate-900 hover:bg-slate-50 disabled:opacity-60">
                  {t("donor.checkout.delayed")}
                </OutcomeButton>
                <p id="demo-delayed-hint" className="text-sm text-slate-600">
                  {t("donor.checkout.delayed.hint")}
                </p>
                <OutcomeButton outcome="fail" pressed={pressed} className="w-full rounded border border-red-300 px-4 py-2 text-red-800 hover:bg-red-50 disabled:opacity-60">
                  {t("donor.checkout.fail")}
                </OutcomeButton>
              </>
            ) : null}
          </Form>
          <Link to={d.cancelPath} className="inline-block text-sm text-slate-700 underline">
            {t("donor.checkout.cancel")}
          </Link>
        </div>
      )}
    </div>
  );
}
