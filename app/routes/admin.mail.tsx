import { Link } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/admin.mail";
import { LocalModeBanner, MailStatusBadge } from "~/components/mail";
import { EmptyState, PageTitle, Pagination } from "~/components/ui";
import { DEFAULT_LOCALE, makeT, useT, type Locale } from "~/lib/i18n";
import { resolveLocale } from "~/lib/locale.server";
import { requireViewer } from "~/lib/session.server";
import { requireMailAccess } from "~/services/accounts/access.server";
import { listMail } from "~/services/accounts/mail-preview.server";

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const access = requireMailAccess(viewer);
  const locale = resolveLocale(request, viewer);
  const page = z.coerce.number().int().min(1).catch(1).parse(new URL(request.url).searchParams.get("page") ?? 1);
  return { locale, localMode: access.localMode, mail: await listMail(locale, page) };
}

export const meta: Route.MetaFunction = ({ data: d }) => {
  const t = makeT((d?.locale as Locale | undefined) ?? DEFAULT_LOCALE);
  return [{ title: `${t("mailPreview.title")} · ${t("app.name")}` }];
};

export default function AdminMail({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const { mail, localMode } = loaderData;
  return (
    <div>
      <PageTitle sub={localMode ? t("mailPreview.subtitleLocal") : t("mailPreview.subtitleSmtp")}>{t("mailPreview.title")}</PageTitle>
      {localMode ? <LocalModeBanner /> : null}
      {mail.total === 0 ? (
        <EmptyState title={t("mailPreview.empty")} />
      ) : (
        <>
          {/* one card per message: readable on a phone, a scannable list on a desktop */}
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
            {mail.items.map((m) => (
              <li key={m.id} data-testid="mail-row" className="grid gap-1 p-3 sm:grid-cols-[9.5rem_minmax(0,1fr)_auto] sm:items-center sm:gap-4">
                <time dateTime={m.createdAt} className="text-xs text-slate-600 sm:text-sm">
                  {m.createdAtText}
                </time>
                <div className="min-w-0">
                  <Link to={`/admin/mail/${m.id}`} className="font-medium text-brand-700 underline underline-offset-2">
                    {m.subject}
                  </Link>
                  <p className="break-words text-sm text-slate-700">{t("mailPreview.toLine", { to: m.to })}</p>
                  <p className="text-xs text-slate-600">
                    <code>{m.template}</code> · {t(`mailPreview.locale.${m.locale}`)}
                  </p>
                </div>
                <p className="flex items-center gap-2 text-sm">
                  <MailStatusBadge status={m.status} />
                  <span className="text-slate-600">
                    {t("mailPreview.attempts")} {m.attempts}
                  </span>
                </p>
              </li>
            ))}
          </ul>
          <Pagination page={mail.page} pages={mail.pages} />
        </>
      )}
    </div>
  );
}
