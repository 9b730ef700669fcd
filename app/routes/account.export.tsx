import type { Route } from "./+types/account.export";
import { Notice, PageTitle, Problems, Section, TextLink } from "~/components/ui";
import { formatDateTime, useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { requireViewer } from "~/lib/session.server";
import { checkExportLink } from "~/services/privacy/export.server";

/**
 * Where the e-mailed link of a data export leads: signed in as the person it belongs to (the
 * sign-in page brings them back here), a button downloads the ZIP; another account's link, an
 * unknown or an expired one says so.
 */
export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const r = await checkExportLink(viewer, token);
  return r.ok ? { ok: true as const, token, expiresAt: r.expiresAt, sizeBytes: r.sizeBytes } : { ok: false as const, errors: r.problem.formErrors };
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "privacy.export.downloadTitle");

export default function AccountExport({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  return (
    <div className="mx-auto w-full max-w-2xl space-y-6">
      <PageTitle>{t("privacy.export.downloadTitle")}</PageTitle>
      <Section id="export-h" title={t("privacy.section.title")} size="lg" className="space-y-3 rounded-lg bg-white p-5 shadow-sm">
        {loaderData.ok ? (
          <>
            <p className="text-sm text-slate-700">{t("privacy.export.downloadIntro")}</p>
            <Notice tone="muted">{t("privacy.export.state.ready", { at: formatDateTime(locale, loaderData.expiresAt) })}</Notice>
            <a
              href={`/account/export/download?token=${encodeURIComponent(loaderData.token)}`}
              download
              data-testid="export-download"
              className="inline-block rounded bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800"
            >
              {t("privacy.export.downloadButton")}
            </a>
          </>
        ) : (
          <Problems errors={loaderData.errors} testId="export-problem" />
        )}
        <p className="text-sm">
          <TextLink to="/account#privacy-h">{t("auth.account.title")}</TextLink>
        </p>
      </Section>
    </div>
  );
}
