import type { ReactNode } from "react";
import { Form, Link, useLocation } from "react-router";
import { CURSOR_PARAM, PAGE_PARAM, pageWindow, type KeysetLinks, type NumberedLinks } from "~/domain/keyset";
import { useT } from "~/lib/i18n";

export function EmptyState({ title, children }: { title?: string; children?: ReactNode }) {
  const t = useT();
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600" data-testid="empty-state">
      <p className="font-medium">{title ?? t("common.empty")}</p>
      {children ? <div className="mt-2 text-sm">{children}</div> : null}
    </div>
  );
}

/**
 * Numbered pages of a list paged by number (`pageOf`: a short list read with OFFSET): previous,
 * the first and last few page numbers and the current page's neighbours, next — the same links as
 * `NumberedPager`, each keeping every other query parameter. `param` names the page number (for a
 * page with more than one list), `label` the navigation, `text` an optional line beside the
 * numbers, `hash` where the browser lands.
 */
export function Pagination({
  page,
  pages,
  param = PAGE_PARAM,
  label,
  text,
  hash,
  className = "mt-4 flex flex-wrap items-center justify-center gap-1 text-sm",
  preventScrollReset,
}: {
  page: number;
  pages: number;
  param?: string;
  label?: string;
  text?: string;
  hash?: string;
  className?: string;
  preventScrollReset?: boolean;
}) {
  const location = useLocation();
  if (pages <= 1) return null;
  const href = (p: number) => {
    const params = new URLSearchParams(location.search);
    if (p > 1) params.set(param, String(p));
    else params.delete(param);
    const qs = params.toString();
    return `${location.pathname}${qs ? `?${qs}` : ""}${hash ? `#${hash}` : ""}`;
  };
  return (
    <PageLinks
      page={page}
      pages={pages}
      href={href}
      prev={page > 1 ? href(page - 1) : null}
      next={page < pages ? href(page + 1) : null}
      label={label}
      text={text}
      className={className}
      preventScrollReset={preventScrollReset}
    />
  );
}

/**
 * The markup of numbered pages, for `Pagination` and `NumberedPager`: a navigation named `label`
 * (else "pages"), previous, the page numbers of `pageWindow` with gaps, next. The current page is
 * marked with `aria-current="page"` and a hidden "current page" prefix; every number is a plain
 * link named "page N", so it works without JavaScript.
 */
function PageLinks({
  page,
  pages,
  href,
  prev,
  next,
  label,
  text,
  className,
  preventScrollReset,
}: {
  page: number;
  pages: number;
  /** the address of page `p` by its number */
  href: (p: number) => string;
  /** the addresses of the previous and next pages (null at either end) */
  prev: string | null;
  next: string | null;
  label?: string;
  text?: string;
  className: string;
  preventScrollReset?: boolean;
}) {
  const t = useT();
  const link = "inline-block min-w-9 rounded border border-slate-300 bg-white px-2 py-1 text-center hover:bg-slate-50";
  return (
    <nav aria-label={label ?? t("common.pages")} className={className}>
      {prev ? (
        <Link to={prev} rel="prev" className={link} data-testid="pager-prev" preventScrollReset={preventScrollReset}>
          ‹ {t("common.previous")}
        </Link>
      ) : null}
      <ol className="flex flex-wrap items-center gap-1">
        {pageWindow(page, pages).map((p, i) =>
          p === "gap" ? (
            <li key={`gap-${i}`} aria-hidden="true" className="px-1 text-slate-500">
              …
            </li>
          ) : (
            <li key={p}>
              {p === page ? (
                <span aria-current="page" className="inline-block min-w-9 rounded bg-slate-800 px-2 py-1 text-center font-medium text-white">
                  <span className="sr-only">{t("pagination.current")} </span>
                  {p}
                </span>
              ) : (
                <Link
                  to={href(p)}
                  className={link}
                  aria-label={t("pagination.page", { page: p })}
                  data-testid={p === pages ? "pager-last" : p === 1 ? "pager-first" : undefined}
                  preventScrollReset={preventScrollReset}
                >
                  {p}
                </Link>
              )}
            </li>
          ),
        )}
      </ol>
      {text ? <span className="px-1 text-slate-600">{text}</span> : null}
      {next ? (
        <Link to={next} rel="next" className={link} data-testid="pager-next" preventScrollReset={preventScrollReset}>
          {t("common.next")} ›
        </Link>
      ) : null}
    </nav>
  );
}

/**
 * The links of a keyset-paged list (`~/domain/keyset`): first, previous, next and last, each an
 * ordinary link carrying the page's cursor and every other query parameter (so they work without
 * JavaScript and keep the filters). `param` names the cursor (for a page with more than one
 * list), `text` is the line between them (e.g. the total), `preventScrollReset` keeps the reader
 * where they are when the page changes in the browser.
 */
export function KeysetPager({
  pager,
  param = CURSOR_PARAM,
  label,
  text,
  hash,
  className = "mt-4 flex flex-wrap items-center justify-between gap-2 text-sm",
  preventScrollReset,
}: {
  pager: KeysetLinks;
  param?: string;
  label?: string;
  text?: string;
  hash?: string;
  className?: string;
  preventScrollReset?: boolean;
}) {
  const t = useT();
  const location = useLocation();
  if (pager.first && !pager.next) return null;
  const href = (cursor: string | null) => {
    const params = new URLSearchParams(location.search);
    if (cursor) params.set(param, cursor);
    else params.delete(param);
    params.delete("page");
    const qs = params.toString();
    return `${location.pathname}${qs ? `?${qs}` : ""}${hash ? `#${hash}` : ""}`;
  };
  const link = "rounded border border-slate-300 px-3 py-1";
  return (
    <nav aria-label={label ?? t("common.pages")} className={className}>
      <span className="flex gap-2">
        {pager.first ? null : (
          <Link to={href(null)} className={link} data-testid="pager-first" preventScrollReset={preventScrollReset}>
            {t("common.first")}
          </Link>
        )}
        {pager.prev ? (
          <Link to={href(pager.prev)} rel="prev" className={link} data-testid="pager-prev" preventScrollReset={preventScrollReset}>
            {t("common.previous")}
          </Link>
        ) : null}
      </span>
      {text ? <span>{text}</span> : null}
      <span className="flex gap-2">
        {pager.next ? (
          <Link to={href(pager.next)} rel="next" className={link} data-testid="pager-next" preventScrollReset={preventScrollReset}>
            {t("common.next")}
          </Link>
        ) : null}
        {pager.last ? (
          <Link to={href(pager.last)} className={link} data-testid="pager-last" preventScrollReset={preventScrollReset}>
            {t("common.last")}
          </Link>
        ) : null}
      </span>
    </nav>
  );
}

/**
 * Numbered pages of a long list (`numberedPage` in `~/domain/keyset`): previous, the first and last
 * few page numbers and the current page's neighbours (1 2 3 … 10 11 12), next. Plain links that
 * keep every other query parameter, so they work without JavaScript; previous and next also carry
 * the keyset cursor of their page, so stepping through the list costs what the first page does.
 * The current page is marked with `aria-current="page"`. `param` / `cursorParam` name the
 * parameters for a page with more than one list.
 */
export function NumberedPager({
  pager,
  param = PAGE_PARAM,
  cursorParam = CURSOR_PARAM,
  label,
  hash,
  className = "mt-4 flex flex-wrap items-center justify-center gap-1 text-sm",
  preventScrollReset,
}: {
  pager: NumberedLinks;
  param?: string;
  cursorParam?: string;
  label?: string;
  hash?: string;
  className?: string;
  preventScrollReset?: boolean;
}) {
  const location = useLocation();
  if (pager.pages <= 1) return null;
  const href = (page: number, cursor: string | null = null) => {
    const params = new URLSearchParams(location.search);
    if (page > 1) params.set(param, String(page));
    else params.delete(param);
    if (cursor) params.set(cursorParam, cursor);
    else params.delete(cursorParam);
    const qs = params.toString();
    return `${location.pathname}${qs ? `?${qs}` : ""}${hash ? `#${hash}` : ""}`;
  };
  return (
    <PageLinks
      page={pager.page}
      pages={pager.pages}
      href={(p) => href(p)}
      prev={pager.prev ? href(pager.page - 1, pager.prev) : null}
      next={pager.next ? href(pager.page + 1, pager.next) : null}
      label={label}
      className={className}
      preventScrollReset={preventScrollReset}
    />
  );
}

/** "Per page: 20 · 50 · 100" links that keep the other query parameters and restart at page 1. */
export function PerPage({ per, sizes }: { per: number; sizes: readonly number[] }) {
  const t = useT();
  const location = useLocation();
  const href = (n: number) => {
    const params = new URLSearchParams(location.search);
    params.set("per", String(n));
    params.delete(PAGE_PARAM);
    params.delete(CURSOR_PARAM);
    return `${location.pathname}?${params}`;
  };
  return (
    <p className="flex items-center gap-2 text-sm text-slate-600">
      <span>{t("common.perPage")}</span>
      {sizes.map((n) =>
        n === per ? (
          <span key={n} aria-current="true" className="rounded bg-slate-800 px-2 py-0.5 text-white">
            {n}
          </span>
        ) : (
          <Link key={n} to={href(n)} className="rounded border border-slate-300 px-2 py-0.5">
            {n}
          </Link>
        ),
      )}
    </p>
  );
}

/**
 * A destructive action behind a confirmation step that works without JavaScript: the first
 * button only opens the question; the second submits.
 */
export function ConfirmAction({
  label,
  question,
  confirmLabel,
  intent,
  hidden = {},
  action,
}: {
  label: string;
  question: string;
  confirmLabel?: string;
  intent: string;
  hidden?: Record<string, string>;
  action?: string;
}) {
  const t = useT();
  return (
    <details className="inline-block">
      <summary className="cursor-pointer rounded border border-red-300 px-3 py-1 text-sm text-red-800">{label}</summary>
      <Form method="post" action={action} className="mt-2 rounded border border-red-200 bg-red-50 p-3 text-sm">
        <p>{question}</p>
        {Object.entries(hidden).map(([k, v]) => (
          <input key={k} type="hidden" name={k} value={v} />
        ))}
        <button type="submit" name="intent" value={intent} className="mt-2 rounded bg-red-800 px-3 py-1 text-white">
          {confirmLabel ?? t("common.confirm")}
        </button>
      </Form>
    </details>
  );
}

export function PageTitle({ children, sub }: { children: ReactNode; sub?: ReactNode }) {
  return (
    <div className="mb-6">
      <h1 className="text-2xl font-semibold">{children}</h1>
      {sub ? <p className="mt-1 text-slate-600">{sub}</p> : null}
    </div>
  );
}

export { Badge } from "./badge";
export { DataTable, cell, ScrollArea, TableHead, type Column } from "./data-table";
export { Done, Notice, Problems } from "./feedback";
export { Fact } from "./facts";
export { BackLink, ButtonLink, TextLink, TitleLink } from "./links";
export { ListRow, RowList } from "./lists";
export { Section } from "./section";
export { Stat } from "./stat";
export { ExportLinks, exportHref } from "./export-links";
