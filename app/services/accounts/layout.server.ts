import { db } from "~/lib/db.server";
import { appUrl, env } from "~/lib/env.server";
import { resolveLargeText, resolveLocale } from "~/lib/locale.server";
import { getViewer } from "~/lib/session.server";
import { hasAdminPages } from "./access.server";
import { pendingTotal } from "./work.server";

/** What the page frame shows: language, who is signed in and as what, unread messages, modes. */
export async function layoutData(request: Request, requestId: string) {
  const viewer = await getViewer(request);
  const locale = resolveLocale(request, viewer);
  // anonymous visitors cost nothing here; a signed-in one one statement per role kind they hold, the
  // unread messages counted with the personal one (work.server.ts)
  const pending = viewer ? await pendingTotal(viewer) : { total: 0, judgeSeats: 0, evaluations: 0, unread: 0 };
  const managedIds = viewer ? [...new Set(viewer.grants.filter((g) => g.role === "FOUNDATION_MANAGER" && g.foundationId).map((g) => g.foundationId!))] : [];
  const managed = managedIds.length
    ? await db().foundation.findMany({ where: { id: { in: managedIds } }, select: { slug: true }, orderBy: { slug: "asc" } })
    : [];
  const e = env();
  return {
    locale,
    /** 大字版 (large text) is on: a class on <html> */
    largeText: resolveLargeText(request, viewer),
    requestId,
    /** the public address (APP_URL): share cards' absolute links */
    appUrl: appUrl(),
    demoMode: e.DEMO_MODE,
    localMail: !e.SMTP_CONFIGURED,
    viewer: viewer && {
      name: viewer.name,
      email: viewer.email,
      emailVerified: viewer.emailVerified,
      roles: [
        ...viewer.grants.map((g) => ({ role: g.role, areaZh: g.areaNameZh, areaEn: g.areaNameEn })),
        ...(viewer.organizations.length ? [{ role: "APPLICANT" as const, areaZh: viewer.organizations[0]!.name, areaEn: viewer.organizations[0]!.name }] : []),
      ],
      isOfficial: viewer.grants.some((g) => g.role === "ADMIN" || g.role === "OFFICIAL"),
      /** applicants (members of an organization) and people with no staff role (who may become one) file proposals */
      files: viewer.organizations.length > 0 || viewer.grants.length === 0,
      canAdmin: hasAdminPages(viewer),
      isJudge: pending.judgeSeats > 0,
      isEvaluator: pending.evaluations > 0,
      /** everything waiting for the viewer in every role (the badge on "我的 / Me") */
      pending: pending.total,
      /** the foundations this viewer manages (first one linked from the menu) */
      managedFoundations: managed.map((f) => f.slug),
      unread: pending.unread,
    },
  };
}
