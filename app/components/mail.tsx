import { useT } from "~/lib/i18n";
import { Badge } from "~/components/ui";

/** The local mail mode notice of /admin/mail (the page frame's footer says it too). */
export function LocalModeBanner() {
  const t = useT();
  return (
    <p role="note" data-testid="local-mail-banner" className="mb-4 rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
      {t("mail.localMode")}
    </p>
  );
}

/** An outbox row's delivery status (EmailStatus). */
export function MailStatusBadge({ status }: { status: string }) {
  const t = useT();
  const tone =
    status === "SENT"
      ? "bg-green-100 text-green-900"
      : status === "FAILED"
        ? "bg-red-100 text-red-900"
        : status === "STORED_LOCALLY"
          ? "bg-sky-100 text-sky-900"
          : "bg-slate-100 text-slate-800";
  return <Badge tone={tone} className="whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium">{t(`mailPreview.status.${status}`)}</Badge>;
}
