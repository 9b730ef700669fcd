// @vitest-environment jsdom
import { cleanup, render, screen } from "@testing-library/react";
import { createRoutesStub, data, Outlet } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { ErrorBoundary, links } from "./root";
import { LocaleContext, type Locale } from "~/lib/i18n";

/** The root error boundary as the app renders it, with the root loader's data (request id, language). */
function stub(childLoader: () => unknown, locale: Locale = "zh-CN") {
  const Stub = createRoutesStub([
    {
      id: "root",
      path: "/",
      loader: () => ({ requestId: "req-7f3a", locale, viewer: null, demoMode: false, localMail: false }),
      Component: () => <Outlet />,
      ErrorBoundary,
      children: [{ path: "page", loader: childLoader, Component: () => <p>never</p> }],
    },
  ]);
  // in the app, root.tsx's Layout provides the language around the boundary
  render(
    <LocaleContext.Provider value={locale}>
      <Stub initialEntries={["/page"]} />
    </LocaleContext.Provider>,
  );
}

afterEach(cleanup);

describe("error pages", () => {
  it("an unexpected error shows a friendly page with the request's reference id", async () => {
    stub(() => {
      throw new Error("database exploded");
    });
    expect(await screen.findByRole("heading", { name: "出错了" })).toBeTruthy();
    expect(screen.getByText("参考编号：req-7f3a")).toBeTruthy();
    // nothing of the internal error reaches the page
    expect(document.body.textContent).not.toContain("database exploded");
  });

  it("403 and 404 have their own pages, in English too, without a reference id", async () => {
    stub(() => {
      throw data(null, { status: 403 });
    }, "en");
    expect(await screen.findByRole("heading", { name: "Not allowed" })).toBeTruthy();
    expect(document.body.textContent).not.toContain("req-7f3a");
  });
});

describe("icons and manifest", () => {
  it("link only to files that public/ ships, and the manifest's icons exist too", () => {
    const pub = path.resolve(import.meta.dirname, "../public");
    const hrefs = links().map((l) => ("href" in l ? String(l.href) : ""));
    expect(hrefs).toContain("/manifest.webmanifest");
    for (const href of hrefs) expect(fs.existsSync(path.join(pub, href)), href).toBe(true);
    const manifest = JSON.parse(fs.readFileSync(path.join(pub, "manifest.webmanifest"), "utf8")) as { icons: { src: string }[]; lang: string };
    expect(manifest.lang).toBe("zh-CN");
    for (const icon of manifest.icons) expect(fs.existsSync(path.join(pub, icon.src)), icon.src).toBe(true);
  });
});
