import { Outlet } from "react-router";
import type { Route } from "./+types/admin.rounds.$code.layout";
import { ReviewNav } from "~/components/review-nav";
import { useT } from "~/lib/i18n";
import { requireViewer } from "~/lib/session.server";
import { roundForOfficial } from "~/services/review/access.server";

/**
 * The frame of a round's admin pages (settings, screening, judges, scores, results, objections):
 * the round's code, title and phase, and the navigation between those pages, loaded and drawn
 * once. Its loader refuses anyone who is not an official of the round's area (403; 404 for an
 * unknown round) — but a parent's loader does not guard its children (they load in parallel and
 * each can be fetched on its own), so every page below still authorizes itself too.
 */
export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const round = await roundForOfficial(viewer, params.code);
  return { round: { code: round.code, title: round.title, phase: round.phase } };
}

export default function RoundAdminLayout({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const { round } = loaderData;
  return (
    <div className="space-y-6">
      <header className="space-y-2 border-b border-slate-200 pb-3" data-testid="round-admin-header">
        <p className="text-sm text-slate-600">
          <span className="font-mono">{round.code}</span> · <span className="font-medium text-slate-900">{round.title}</span> · {t(`rounds.phase.${round.phase}`)}
        </p>
        <ReviewNav code={round.code} />
      </header>
      <Outlet />
    </div>
  );
}
