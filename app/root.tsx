import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteLoaderData,
} from "react-router";
import type { Route } from "./+types/root";
import "./app.css";
import { TextLink } from "~/components/ui";
import { undeliverableEmail } from "~/domain/wechat";
import { badgeText } from "~/domain/work";
import { DEFAULT_LOCALE, LocaleContext, makeT, useT, type Locale } from "~/lib/i18n";
import { useNonce } from "~/lib/nonce";
import { layoutData } from "~/services/accounts/layout.server";

export async function loader({ request, context }: Route.LoaderArgs) {
  return layoutData(request, context.requestId);
}

/** Icons and the web app manifest, served from public/. */
export const links: Route.LinksFunction = () => [
  { rel: "icon", href: "/favicon.ico", sizes: "32x32" },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "apple-touch-icon", href: "/apple-touch-icon.png" },
  { rel: "manifest", href: "/manifest.webmanifest" },
];

export const meta: Route.MetaFunction = ({ data }) => [
  { title: makeT((data?.locale as Locale) ?? DEFAULT_LOCALE)("app.name") },
];

type RootData = Awaited<ReturnType<typeof layoutData>>;

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<RootData>("root");
  const locale = data?.locale ?? DEFAULT_LOCALE;
  const nonce = useNonce();
  return (
    <html lang={locale} className={data?.largeText ? "large-text" : undefined}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#9f1239" />
        <Meta />
        <Links />
      </head>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <LocaleContext.Provider value={locale}>
          <Frame data={data}>{children}</Frame>
        </LocaleContext.Provider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

/** The header's links (and the admin pages' link for those who have them), in a row or, on phones, a column. */
function NavLinks({ nav, admin, column = false }: { nav: readonly { to: string; label: string }[]; admin: boolean; column?: boolean }) {
  const t = useT();
  const links = admin ? [...nav, { to: "/admin", label: t("nav.admin") }] : nav;
  return (
    <ul className={column ? "grid grid-cols-2 gap-x-4 gap-y-2 text-sm" : "flex flex-wrap gap-x-4 gap-y-1 text-sm"}>
      {links.map((n) => (
        <li key={n.to}>
          <Link to={n.to} className="text-slate-700 underline-offset-4 hover:underline">
            {n.label}
          </Link>
        </li>
      ))}
    </ul>
  );
}

function Frame({ data, children }: { data: RootData | undefined; children: React.ReactNode }) {
  const t = useT();
  const location = useLocation();
  const here = location.pathname + location.search;
  const viewer = data?.viewer;
  const locale = data?.locale ?? DEFAULT_LOCALE;
  const nav = [
    { to: "/", label: t("nav.home") },
    { to: "/rounds", label: t("nav.rounds") },
    { to: "/needs", label: t("nav.needs") },
    { to: "/projects", label: t("nav.projects") },
    // each role sees the links it uses: proposals for applicants and residents, gifts for everyone but officials
    ...(viewer?.files ? [{ to: "/proposals", label: t("nav.proposals") }] : []),
    ...(viewer?.isJudge ? [{ to: "/judging", label: t("review.queue.title") }] : []),
    ...(viewer?.isEvaluator ? [{ to: "/evaluations", label: t("nav.evaluations") }] : []),
    ...(viewer?.isOfficial
      ? [
          { to: "/admin/rounds", label: t("nav.adminRounds") },
          { to: "/admin/needs", label: t("nav.adminNeeds") },
          { to: "/admin/dashboard", label: t("nav.dashboard") },
          { to: "/admin/releases", label: t("releases.title") },
          { to: "/admin/audit", label: t("audit.nav") },
        ]
      : []),
    // creating foundations and booking appropriations: officials of a subdistrict or higher (canSetUpFunds)
    ...(viewer?.canAdmin ? [{ to: "/admin/foundations", label: t("nav.adminFunds") }] : []),
    ...(viewer?.managedFoundations.length ? [{ to: `/admin/foundations/${viewer.managedFoundations[0]}`, label: t("nav.foundationAdmin") }] : []),
    { to: "/areas", label: t("nav.areas") },
    { to: "/foundations", label: t("nav.foundations") },
    { to: "/transparency", label: t("nav.transparency") },
    { to: "/open-data", label: t("nav.openData") },
    ...(viewer && !viewer.isOfficial ? [{ to: "/me/donations", label: t("nav.myDonations") }] : []),
  ];
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:bg-white focus:p-2">
        {t("nav.skipToContent")}
      </a>
      {/* the notes above the page sit inside the header's landmark: nothing outside a landmark */}
      <header className="border-b border-slate-200 bg-white print:hidden">
        {data?.demoMode ? (
          <p role="note" className="bg-amber-100 px-4 py-1 text-center text-sm text-amber-900">
            {t("demo.banner")}
          </p>
        ) : null}
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
          <Link to="/" className="text-lg font-bold text-brand-700">
            {t("app.name")}
          </Link>
          {/* wide screens: the links in a row; phones: the same links behind a <details> menu (no JavaScript needed) */}
          <nav aria-label={t("nav.menu")} className="hidden sm:block">
            <NavLinks nav={nav} admin={!!viewer?.canAdmin} />
          </nav>
          <details className="order-3 w-full sm:hidden" data-testid="nav-phone">
            <summary className="cursor-pointer text-sm font-medium text-slate-700">{t("nav.menu")}</summary>
            <nav aria-label={t("nav.menu")} className="mt-2">
              <NavLinks nav={nav} admin={!!viewer?.canAdmin} column />
            </nav>
          </details>
          <div className="ml-auto flex flex-wrap items-center gap-3 text-sm">
            <Form method="post" action="/language" className="inline">
              <input type="hidden" name="locale" value={locale === "en" ? "zh-CN" : "en"} />
              <input type="hidden" name="redirectTo" value={here} />
              <button type="submit" className="rounded border border-slate-300 px-2 py-1" aria-label={t("lang.switchToLabel")} lang={locale === "en" ? "zh-CN" : "en"}>
                {t("lang.switchTo")}
              </button>
            </Form>
            {/* 大字版 (large text for older eyes): a toggle remembered in a cookie, a plain form post like the language */}
            <Form method="post" action="/display" className="inline">
              <input type="hidden" name="display" value={data?.largeText ? "standard" : "large"} />
              <input type="hidden" name="redirectTo" value={here} />
              <button type="submit" className="rounded border border-slate-300 px-2 py-1" aria-pressed={!!data?.largeText} data-testid="large-text-toggle">
                {t("display.largeText")}
              </button>
            </Form>
            {viewer ? (
              <>
                <span data-testid="viewer-role" className="rounded bg-slate-100 px-2 py-1 text-slate-700">
                  {viewer.name}
                  {viewer.roles[0] ? ` · ${t(`role.${viewer.roles[0].role}`)} · ${locale === "en" ? viewer.roles[0].areaEn : viewer.roles[0].areaZh}` : ` · ${t("role.RESIDENT")}`}
                </span>
                <Link to="/me" className="underline-offset-4 hover:underline" data-testid="nav-me">
                  {t("nav.me")}
                  {viewer.pending ? (
                    // the number is for the eye; screen readers hear "3 项待办 / 3 items waiting" as part of the link
                    <span className="ml-1 rounded-full bg-brand-700 px-1.5 text-xs text-white" data-testid="me-badge" title={t("work.badge", { count: viewer.pending })}>
                      <span aria-hidden="true">{badgeText(viewer.pending)}</span>
                      <span className="sr-only"> {t("work.badge", { count: viewer.pending })}</span>
                    </span>
                  ) : null}
                </Link>
                <Link to="/inbox" className="underline-offset-4 hover:underline">
                  {t("nav.inbox")}
                  {viewer.unread ? (
                    <span className="ml-1 rounded-full bg-brand-700 px-1.5 text-xs text-white" aria-label={`${viewer.unread}`}>
                      {viewer.unread}
                    </span>
                  ) : null}
                </Link>
                <Link to="/account" className="underline-offset-4 hover:underline">
                  {t("nav.account")}
                </Link>
                <Form method="post" action="/logout">
                  <button type="submit" className="underline-offset-4 hover:underline">
                    {t("nav.signOut")}
                  </button>
                </Form>
              </>
            ) : (
              <>
                <Link to={`/login?redirectTo=${encodeURIComponent(here)}`} className="font-medium text-brand-700">
                  {t("nav.signIn")}
                </Link>
                <Link to="/signup" className="underline-offset-4 hover:underline">
                  {t("nav.signUp")}
                </Link>
              </>
            )}
          </div>
        </div>
        {/* an account made through WeChat has no address to verify */}
        {viewer?.email && !viewer.emailVerified && !undeliverableEmail(viewer.email) && location.pathname !== "/verify" ? (
          <p role="note" className="bg-sky-50 px-4 py-2 text-center text-sm text-sky-900">
            {t("auth.verifyBanner.text")}{" "}
            <Link to="/verify" className="font-medium underline">
              {t("auth.verifyBanner.link")}
            </Link>
          </p>
        ) : null}
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6">
        {children}
      </main>
      <footer className="mx-auto max-w-6xl space-y-2 px-4 py-8 text-xs text-slate-600 print:hidden">
        <p>
          <Link to="/privacy" className="underline">
            {t("privacy.footer")}
          </Link>
        </p>
        {data?.localMail ? <p>{t("mail.localMode")}</p> : null}
      </footer>
    </>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const t = useT();
  const data = useRouteLoaderData<RootData>("root");
  let title = t("error.title");
  let body = t("error.body");
  let status = 500;
  if (isRouteErrorResponse(error)) {
    status = error.status;
    if (error.status === 404) {
      title = t("error.404.title");
      body = t("error.404.body");
    } else if (error.status === 403) {
      title = t("error.403.title");
      body = t("error.403.body");
    }
  }
  return (
    <section className="mx-auto max-w-xl rounded-lg bg-white p-6 shadow-sm" data-status={status}>
      <h1 className="text-2xl font-semibold">{title}</h1>
      <p className="mt-3 text-slate-700">{body}</p>
      {status >= 500 && data?.requestId ? (
        <p className="mt-3 font-mono text-sm text-slate-600">{t("error.reference", { id: data.requestId })}</p>
      ) : null}
      <p className="mt-6">
        <TextLink to="/">{t("error.backHome")}</TextLink>
      </p>
    </section>
  );
}
