import { data, Link } from "react-router";
import type { Route } from "./+types/admin.mail.$id";
import { LocalModeBanner, MailStatusBadge } from "~/components/mail";
import { Fact, PageTitle, Section } from "~/components/ui";
import { DEFAULT_LOCALE, makeT, useT, type Locale } from "~/lib/i18n";
import { resolveLocale } from "~/lib/locale.server";
import { requireViewer } from "~/lib/session.server";
import { requireMailAccess } from "~/services/accounts/access.server";
import { getMail } from "~/services/accounts/mail-preview.server";

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const access = requireMailAccess(viewer);
  const locale = resolveLocale(request, viewer);
  const message = await getMail(viewer, locale, params.id, access.showBodies);
  if (!message) throw data(null, { status: 404 });
  return { locale, localMode: access.localMode, message };
}

export const meta: Route.MetaFunction = ({ data: d }) => {
  const t = makeT((d?.locale as Locale | undefined) ?? DEFAULT_LOCALE);
  return [{ title: `${d?.message.subject ?? t("mailPreview.title")} · ${t("app.name")}` }];
};

export default function AdminMailMessage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const { message: m, localMode } = loaderData;
  const facts: [string, React.ReactNode][] = [
    [t("mailPreview.to"), <span className="break-all">{m.to}</span>],
    [t("mailPreview.template"), <code className="text-xs">{m.template}</code>],
    [t("mailPreview.language"), t(`mailPreview.locale.${m.locale}`)],
    [t("mailPreview.status"), <MailStatusBadge status={m.status} />],
    [t("mailPreview.attempts"), m.attempts],
    [t("mailPreview.createdAt"), m.createdAtText],
    [t("mailPreview.sentAt"), m.sentAtText ?? "—"],
    [t("mailPreview.messageId"), m.messageId ? <code className="break-all text-xs">{m.messageId}</code> : "—"],
    [t("mailPreview.lastError"), m.lastError ? <code className="break-all text-xs" data-testid="mail-last-error">{m.lastError}</code> : "—"],
  ];
  return (
    <div className="space-y-6">
      <p>
        <Link to="/admin/mail" className="text-sm text-brand-700 underline underline-offset-2">
          ← {t("mailPreview.back")}
        </Link>
      </p>
      <PageTitle>{m.subject}</PageTitle>
      {localMode ? <LocalModeBanner /> : null}
      {m.linksHidden ? (
        <p role="note" data-testid="mail-links-hidden" className="rounded border border-slate-300 bg-slate-50 p-3 text-sm text-slate-800">
          {t("mailPreview.linksHidden")}
        </p>
      ) : null}
      <dl className="grid gap-x-4 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-[max-content_1fr]">
        {facts.map(([label, value]) => (
          <Fact key={label} className="contents" label={label} labelClassName="font-medium text-slate-600" valueClassName="text-slate-900">
            {value}
          </Fact>
        ))}
      </dl>
      {m.text !== null && m.html !== null ? (
        <>
          <Section id="text-part" title={t("mailPreview.textPart")} size="lg" className={null}>
            <pre data-testid="mail-text" className="mt-2 overflow-x-auto whitespace-pre-wrap break-words rounded-lg border border-slate-200 bg-white p-4 text-sm">
              {m.text}
            </pre>
          </Section>
          <Section id="html-part" title={t("mailPreview.htmlPart")} size="lg" className={null}>
            {/* sandbox="": no scripts, no forms, no same-origin access, no navigation of this page */}
            <iframe
              title={t("mailPreview.htmlFrameTitle")}
              sandbox=""
              srcDoc={m.html}
              className="mt-2 h-[36rem] w-full rounded-lg border border-slate-200 bg-white"
            />
          </Section>
        </>
      ) : (
        <p className="text-sm text-slate-600">{t("mailPreview.bodyHidden")}</p>
      )}
    </div>
  );
}
