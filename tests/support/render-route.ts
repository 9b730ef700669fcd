import { createElement, type ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { LocaleContext, type Locale } from "~/lib/i18n";

/** Server-renders a route component with the given loader (and action) data, as the app would. */
export function renderRoute(Component: ComponentType<never>, loaderData: unknown, actionData?: unknown, locale: Locale = "zh-CN") {
  const Stub = createRoutesStub([{ id: "page", path: "/p", Component: Component as ComponentType, loader: () => loaderData, action: () => actionData ?? null }]);
  const stub = createElement(Stub, { initialEntries: ["/p"], hydrationData: { loaderData: { page: loaderData }, actionData: actionData ? { page: actionData } : null } });
  return renderToString(createElement(LocaleContext.Provider, { value: locale }, stub));
}
