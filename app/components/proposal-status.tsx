import { useT } from "~/lib/i18n";
import { Badge } from "~/components/ui";

const TONE: Record<string, string> = {
  DRAFT: "bg-slate-100 text-slate-800",
  SUBMITTED: "bg-sky-100 text-sky-900",
  WITHDRAWN: "bg-slate-200 text-slate-700",
  ELIGIBLE: "bg-emerald-100 text-emerald-900",
  INELIGIBLE: "bg-red-100 text-red-900",
};

/** A proposal's status as a small badge, in the reader's language. */
export function ProposalStatus({ status }: { status: string }) {
  const t = useT();
  return <Badge tone={TONE[status] ?? ""} className="ml-2 inline-block rounded px-2 py-0.5 align-middle text-sm font-normal" testId="proposal-status">{t(`proposal.status.${status}`)}</Badge>;
}
