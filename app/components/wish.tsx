import type { ReactNode } from "react";
import { Badge, TextLink } from "~/components/ui";
import type { WishStatus } from "~/domain/volunteers";
import { useT } from "~/lib/i18n";

/** A small wish's state and its taker, as the community's page, the wish's page and the need's page show them. */
const STATUS_TONE: Record<WishStatus, string> = {
  OPEN: "bg-sky-100 text-sky-900",
  TAKEN: "bg-amber-100 text-amber-900",
  FULFILLED: "bg-violet-100 text-violet-900",
  CONFIRMED: "bg-emerald-100 text-emerald-900",
  DISPUTED: "bg-red-100 text-red-900",
  RESOLVED: "bg-slate-200 text-slate-900",
};

export function WishStatusBadge({ status, testId }: { status: WishStatus; testId?: string }) {
  const t = useT();
  return (
    <Badge tone={STATUS_TONE[status]} className="rounded px-2 py-0.5 text-sm" testId={testId}>
      {t(`volunteers.wishStatus.${status}`)}
    </Badge>
  );
}

export type WishRow = { number: number; title: string; status: WishStatus; valueFen: number; taker: { kind: "volunteer" | "organization" | "partnerUnit"; name: string | null; id?: string } | null; minutes: number | null };

export function TakerText({ taker }: { taker: WishRow["taker"] }): ReactNode {
  const t = useT();
  if (!taker) return null;
  if (taker.kind === "partnerUnit") return <TextLink to={`/partners/${taker.id}`}>{t("partners.taker", { name: taker.name ?? "" })}</TextLink>;
  if (taker.kind === "organization") return <>{t("volunteers.taker.organization", { name: taker.name ?? "" })}</>;
  return <>{taker.name ? t("volunteers.taker.volunteer", { name: taker.name }) : t("volunteers.taker.anonymous")}</>;
}

