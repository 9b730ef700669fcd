import { Link, useLocation } from "react-router";
import { EmptyState } from "~/components/ui";
import { publicDonorName } from "~/domain/donations";
import { formatFen } from "~/domain/money";
import { formatDateTime, formatNumber, useLocale, useT } from "~/lib/i18n";

/**
 * Pieces shared by the public foundation and campaign pages: the donor wall, its pager,
 * the Charity Law fundraising status and a label for ledger transaction kinds.
 */

export interface WallGiftView {
  ref: string;
  name: string | null;
  anonymous: boolean;
  netFen: number;
  matchedFen: number;
  paidAt: string;
  message: string | null;
  monthly: boolean;
  earmark: { kind: "round"; code: string; title: string } | { kind: "project"; referenceNo: string; title: string } | null;
}

/** Previous/next links on one query parameter (`param`), keeping every other one. */
export function ParamPagination({ page, pages, param, label }: { page: number; pages: number; param: string; label?: string }) {
  const t = useT();
  const location = useLocation();
  if (pages <= 1) return null;
  const href = (p: number) => {
    const params = new URLSearchParams(location.search);
    params.set(param, String(p));
    return `${location.pathname}?${params}`;
  };
  return (
    <nav aria-label={label ?? t("common.page", { page, pages })} className="mt-4 flex items-center justify-between text-sm">
      {page > 1 ? (
        <Link to={href(page - 1)} rel="prev" className="rounded border border-slate-300 px-3 py-1" preventScrollReset>
          {t("common.previous")}
        </Link>
      ) : (
        <span />
      )}
      <span>{t("common.page", { page, pages })}</span>
      {page < pages ? (
        <Link to={href(page + 1)} rel="next" className="rounded border border-slate-300 px-3 py-1" preventScrollReset>
          {t("common.next")}
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}

/** The donor wall: paid gifts, newest first, under their public name (爱心人士 when anonymous). */
export function DonorWall({ donors, param, headingId }: { donors: { items: WallGiftView[]; total: number; page: number; pages: number }; param: string; headingId: string }) {
  const t = useT();
  const locale = useLocale();
  return (
    <section aria-labelledby={headingId} className="space-y-3">
      <h2 id={headingId} className="text-xl font-semibold">
        {t("givingPublic.donors.title")}
        <span className="ml-2 text-sm font-normal text-slate-600">{t("givingPublic.donors.count", { count: formatNumber(locale, donors.total) })}</span>
      </h2>
      {donors.items.length === 0 ? (
        <EmptyState title={t("givingPublic.donors.empty")} />
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm" data-testid="donor-wall">
          {donors.items.map((d) => (
            <li key={d.ref} className="flex flex-wrap items-start justify-between gap-x-4 gap-y-1 px-4 py-3" data-testid="donor">
              <div className="min-w-0 space-y-1">
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
                        <Link to={`/projects/${encodeURIComponent(d.earmark.referenceNo)}`} className="text-brand-700 underline">
                          {t("givingPublic.donors.earmark", { target: `${d.earmark.referenceNo} ${d.earmark.title}` })}
                        </Link>
                      ) : (
                        <Link to={`/rounds/${encodeURIComponent(d.earmark.code)}`} className="text-brand-700 underline">
                          {t("givingPublic.donors.earmark", { target: d.earmark.title })}
                        </Link>
                      )}
                    </>
                  ) : null}
                  {" · "}
                  <Link to={`/transparency/gifts/${encodeURIComponent(d.ref)}`} className="text-brand-700 underline">
                    {t("givingPublic.donors.trace", { ref: d.ref })}
                  </Link>
                </p>
              </div>
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
            </li>
          ))}
        </ul>
      )}
      <ParamPagination page={donors.page} pages={donors.pages} param={param} label={t("givingPublic.donors.pages", { page: donors.page, pages: donors.pages })} />
    </section>
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

