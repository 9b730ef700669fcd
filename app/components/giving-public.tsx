import { EmptyState, ListRow, NumberedPager, RowList, Section, TextLink } from "~/components/ui";
import type { NumberedLinks } from "~/domain/keyset";
import { publicDonorName } from "~/domain/donations";
import { formatFen } from "~/domain/money";
import { formatDateTime, formatNumber, useLocale, useT } from "~/lib/i18n";
import type { WallGift } from "~/services/giving/foundation-pages.server";

/**
 * Pieces shared by the public foundation and campaign pages: the donor wall (its gifts as the
 * service gives them), the Charity Law fundraising status and a label for ledger transaction kinds.
 */

/**
 * The donor wall: paid gifts, newest first, under their public name (爱心人士 when anonymous),
 * with numbered pages: the page number goes in the query parameter `param`, the keyset cursor of
 * previous / next in `cursorParam`.
 */
export function DonorWall({
  donors,
  param,
  cursorParam,
  headingId,
}: {
  donors: { items: WallGift[]; total: number; pager: NumberedLinks };
  param: string;
  cursorParam: string;
  headingId: string;
}) {
  const t = useT();
  const locale = useLocale();
  return (
    <Section id={headingId} title={t("givingPublic.donors.title")} sub={t("givingPublic.donors.count", { count: formatNumber(locale, donors.total) })} subGap="margin">
      <RowList testId="donor-wall" empty={donors.items.length === 0 && <EmptyState title={t("givingPublic.donors.empty")} />}>
        {donors.items.map((d) => (
          <ListRow key={d.ref} className="flex flex-wrap items-start justify-between gap-x-4 gap-y-1 px-4 py-3" mainClassName="min-w-0 space-y-1" testId="donor" aside={<DonorAmount gift={d} />}>
            <p className="font-medium">
              <span data-testid="donor-name">{publicDonorName({ anonymous: d.anonymous, displayName: d.name }, locale)}</span>
              {d.monthly ? <span className="ml-2 rounded bg-sky-100 px-1.5 py-0.5 text-xs text-sky-900">{t("givingPublic.donors.monthly")}</span> : null}
            </p>
            {d.message ? <p className="break-words text-sm text-slate-700">“{d.message}”</p> : null}
            <p className="text-xs text-slate-600">
              <time dateTime={d.paidAt}>{formatDateTime(locale, d.paidAt, false)}</time>
              {d.earmark ? (
                <>
                  {" · "}
                  {d.earmark.kind === "project" ? (
                    <TextLink to={`/projects/${encodeURIComponent(d.earmark.referenceNo)}`}>{t("givingPublic.donors.earmark", { target: `${d.earmark.referenceNo} ${d.earmark.title}` })}</TextLink>
                  ) : (
                    <TextLink to={`/rounds/${encodeURIComponent(d.earmark.code)}`}>{t("givingPublic.donors.earmark", { target: d.earmark.title })}</TextLink>
                  )}
                </>
              ) : null}
              {" · "}
              <TextLink to={`/transparency/gifts/${encodeURIComponent(d.ref)}`}>{t("givingPublic.donors.trace", { ref: d.ref })}</TextLink>
            </p>
          </ListRow>
        ))}
      </RowList>
      <NumberedPager pager={donors.pager} param={param} cursorParam={cursorParam} label={t("givingPublic.donors.pager")} preventScrollReset />
    </Section>
  );
}

/** A gift's figure on the donor wall: what it brought after refunds, and what a matching campaign added. */
function DonorAmount({ gift: d }: { gift: WallGift }) {
  const t = useT();
  return (
    <div className="text-right">
      <p className="font-semibold tabular-nums" data-testid="donor-amount">
        {formatFen(d.netFen)}
      </p>
      {d.matchedFen > 0 ? (
        <p className="text-sm text-emerald-800 tabular-nums" data-testid="donor-matched">
          {t("givingPublic.donors.matched", { amount: formatFen(d.matchedFen) })}
        </p>
      ) : null}
    </div>
  );
}

/** Charity Law: public fundraising under a filing number held by a fundraising entity, or directed (定向) only. */
export function FundraisingStatus({ status }: { status: { kind: "public"; filingNo: string; entity: string } | { kind: "directed" } }) {
  const t = useT();
  if (status.kind === "public") {
    return (
      <div data-testid="fundraising-status" data-kind="public" className="space-y-1 text-sm">
        <p>
          <span className="text-slate-600">{t("givingPublic.filing.number")}</span> <span className="font-medium">{status.filingNo}</span>
        </p>
        <p>
          <span className="text-slate-600">{t("givingPublic.filing.entity")}</span> <span className="font-medium">{status.entity}</span>
        </p>
        <p className="text-slate-600">{t("givingPublic.filing.publicHint")}</p>
      </div>
    );
  }
  return (
    <div data-testid="fundraising-status" data-kind="directed" className="space-y-1 text-sm">
      <p>
        <span className="rounded bg-amber-100 px-2 py-0.5 font-medium text-amber-900">{t("givingPublic.directed")}</span>
      </p>
      <p className="text-slate-700">{t("givingPublic.directedHint")}</p>
    </div>
  );
}

/** The label of a ledger transaction kind (falls back to the older `ledger.kind.*` keys, then the kind itself). */
export function useKindLabel() {
  const t = useT();
  return (kind: string) => {
    for (const key of [`givingPublic.kind.${kind}`, `ledger.kind.${kind}`]) {
      const label = t(key);
      if (label !== key) return label;
    }
    return kind;
  };
}

