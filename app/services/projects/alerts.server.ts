import { alertPath, projectAlerts, type Alert, type AlertKind, type AlertMilestone } from "~/domain/alerts";
import { shanghaiDay } from "~/domain/working-days";
import type { Prisma } from "~/generated/prisma/client";
import { db, type Tx } from "~/lib/db.server";
import { appUrl } from "~/lib/env.server";
import { logger } from "~/lib/logger.server";
import { notify } from "~/lib/notify.server";
import { queueUserEmail } from "~/lib/outbox.server";
import { granteeUsers, projectOfficials } from "./access.server";

/**
 * The daily monitoring job (graphile-worker task `project_alerts`, cron in services/jobs/registry.server.ts):
 * applies domain/alerts.ts to every ACTIVE project, opens the alerts whose condition appeared,
 * resolves those whose condition ended (and every open alert of a project that is no longer
 * ACTIVE), then sends each official of the projects' areas one digest email of the NEW alerts in
 * their language and puts a note in the grantee members' inbox.
 *
 * Idempotent and safe with several instances: one open alert per (projectId, key) is a partial
 * unique index (inserts skip duplicates), and the digest claims alerts by setting `emailedAt`
 * in the same transaction as the emails it queues, so an alert is announced exactly once.
 * Data is read with a handful of set-based queries (no query per project).
 */

export const PROJECT_ALERTS_TASK = "project_alerts";

const log = logger.child({ component: "alerts" });
const CHUNK = 1_000;
/** the digest lists this many alerts and says how many more there are */
export const DIGEST_MAX_ITEMS = 50;

interface ActiveProject {
  id: string;
  countersignedAt: Date | null;
  lastSubmittedAt: Date | null;
}

/** The alerts every ACTIVE project should have now, by project id. */
async function desiredAlerts(now: Date): Promise<Map<string, Alert[]>> {
  const today = shanghaiDay(now);
  const projects = await db().$queryRaw<ActiveProject[]>`
    SELECT p.id, p."countersignedAt",
           (SELECT max(r."submittedAt") FROM "MilestoneReport" r WHERE r."projectId" = p.id) AS "lastSubmittedAt"
      FROM "Project" p WHERE p.status = 'ACTIVE'`;
  const milestones = await db().$queryRaw<(Omit<AlertMilestone, "dueOn"> & { projectId: string; dueOn: Date | null })[]>`
    SELECT m.id, m."projectId", m.position, m.title, m."dueOn", m.status::text AS status,
           EXISTS (SELECT 1 FROM "MilestoneReport" r WHERE r."milestoneId" = m.id AND r.status = 'SUBMITTED') AS "awaitingDecision"
      FROM "ProjectMilestone" m JOIN "Project" p ON p.id = m."projectId"
     WHERE p.status = 'ACTIVE'`;
  const lines = await db().$queryRaw<{ id: string; projectId: string; position: number; item: string; budgetFen: number; spentFen: bigint }[]>`
    SELECT b.id, b."projectId", b.position, b.item, b."budgetFen",
           coalesce((SELECT sum(e."amountFen") FROM "Expense" e WHERE e."budgetLineId" = b.id AND e.status IN ('APPROVED', 'SUBMITTED')), 0)::bigint AS "spentFen"
      FROM "ProjectBudgetLine" b JOIN "Project" p ON p.id = b."projectId"
     WHERE p.status = 'ACTIVE'`;
  const offBudget = await db().$queryRaw<{ projectId: string; amountFen: bigint; count: number }[]>`
    SELECT e."projectId", sum(e."amountFen")::bigint AS "amountFen", count(*)::int AS count
      FROM "Expense" e JOIN "Project" p ON p.id = e."projectId"
     WHERE p.status = 'ACTIVE' AND e."budgetLineId" IS NULL AND e.status IN ('APPROVED', 'SUBMITTED')
     GROUP BY e."projectId"`;

  const group = <T extends { projectId: string }>(rows: T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) m.set(r.projectId, [...(m.get(r.projectId) ?? []), r]);
    return m;
  };
  const milestonesOf = group(milestones);
  const linesOf = group(lines);
  const offOf = new Map(offBudget.map((o) => [o.projectId, o]));
  const result = new Map<string, Alert[]>();
  for (const p of projects) {
    const off = offOf.get(p.id);
    result.set(
      p.id,
      projectAlerts({
        status: "ACTIVE",
        today,
        countersignedOn: p.countersignedAt ? shanghaiDay(p.countersignedAt) : null,
        lastSubmittedOn: p.lastSubmittedAt ? shanghaiDay(p.lastSubmittedAt) : null,
        milestones: (milestonesOf.get(p.id) ?? []).map((m) => ({ ...m, dueOn: m.dueOn ? shanghaiDay(m.dueOn) : null })),
        budgetLines: (linesOf.get(p.id) ?? []).map((l) => ({ ...l, spentFen: Number(l.spentFen) })),
        offBudget: { amountFen: Number(off?.amountFen ?? 0), count: off?.count ?? 0 },
      }),
    );
  }
  return result;
}

export interface RefreshResult {
  opened: number;
  resolved: number;
  emails: number;
  notified: number;
}

/** Runs the daily check at `now`; see the module comment. */
export async function refreshAlerts(now = new Date()): Promise<RefreshResult> {
  const desired = await desiredAlerts(now);
  const open = await db().projectAlert.findMany({ where: { resolvedAt: null }, select: { id: true, projectId: true, key: true } });
  const openKeys = new Set(open.map((a) => `${a.projectId}\u0000${a.key}`));
  const wanted = new Set<string>();
  const toCreate: Prisma.ProjectAlertCreateManyInput[] = [];
  for (const [projectId, alerts] of desired) {
    for (const a of alerts) {
      const k = `${projectId}\u0000${a.key}`;
      wanted.add(k);
      if (!openKeys.has(k)) toCreate.push({ projectId, kind: a.kind, key: a.key, subjectId: a.subjectId, params: a.params, openedAt: now });
    }
  }
  const toResolve = open.filter((a) => !wanted.has(`${a.projectId}\u0000${a.key}`)).map((a) => a.id);

  let resolved = 0;
  for (let i = 0; i < toResolve.length; i += CHUNK) {
    const r = await db().projectAlert.updateMany({ where: { id: { in: toResolve.slice(i, i + CHUNK) }, resolvedAt: null }, data: { resolvedAt: now } });
    resolved += r.count;
  }
  let opened = 0;
  for (let i = 0; i < toCreate.length; i += CHUNK) {
    // another instance may have opened the same alert meanwhile: the partial unique index refuses it
    const r = await db().projectAlert.createMany({ data: toCreate.slice(i, i + CHUNK), skipDuplicates: true });
    opened += r.count;
  }
  const { emails, notified } = await announceNewAlerts(now);
  log.info({ opened, resolved, emails, notified }, "project alerts refreshed");
  return { opened, resolved, emails, notified };
}

interface ClaimedAlert {
  id: string;
  projectId: string;
  kind: AlertKind;
  params: Record<string, string | number>;
  referenceNo: string;
  title: string;
  areaPath: string;
  organizationId: string;
}

/** Emails and inbox notes for the open alerts not announced yet, claimed in one transaction. */
async function announceNewAlerts(now: Date): Promise<{ emails: number; notified: number }> {
  return db().$transaction(
    async (tx) => {
      const claimed = await tx.$queryRaw<ClaimedAlert[]>`
        WITH c AS (
          UPDATE "ProjectAlert" SET "emailedAt" = ${now}
           WHERE "emailedAt" IS NULL AND "resolvedAt" IS NULL
          RETURNING id, "projectId", kind::text AS kind, params
        )
        SELECT c.*, p."referenceNo", p.title, p."areaPath", p."organizationId"
          FROM c JOIN "Project" p ON p.id = c."projectId"
         ORDER BY p."referenceNo", c.kind, c.id`;
      if (!claimed.length) return { emails: 0, notified: 0 };
      return digest(tx, claimed);
    },
    { timeout: 120_000 },
  );
}

async function digest(tx: Tx, alerts: ClaimedAlert[]) {
  const officialsByPath = new Map<string, Awaited<ReturnType<typeof projectOfficials>>>();
  const perOfficial = new Map<string, { user: Awaited<ReturnType<typeof projectOfficials>>[number]; items: ClaimedAlert[] }>();
  const byProject = new Map<string, ClaimedAlert[]>();
  for (const a of alerts) {
    byProject.set(a.projectId, [...(byProject.get(a.projectId) ?? []), a]);
    let officials = officialsByPath.get(a.areaPath);
    if (!officials) {
      officials = await projectOfficials(tx, a.areaPath);
      officialsByPath.set(a.areaPath, officials);
    }
    for (const user of officials) {
      const entry = perOfficial.get(user.id) ?? { user, items: [] };
      entry.items.push(a);
      perOfficial.set(user.id, entry);
    }
  }
  let emails = 0;
  for (const { user, items } of perOfficial.values()) {
    await queueUserEmail(tx, user, "project-alerts", {
      count: items.length,
      items: items.slice(0, DIGEST_MAX_ITEMS).map((a) => ({ referenceNo: a.referenceNo, title: a.title, kind: a.kind, params: a.params })),
      link: `${appUrl()}/admin/dashboard`,
    });
    emails++;
  }
  let notified = 0;
  for (const items of byProject.values()) {
    const first = items[0]!;
    for (const user of await granteeUsers(tx, first.organizationId)) {
      await notify(tx, {
        userId: user.id,
        kind: "alerts.new",
        params: { referenceNo: first.referenceNo, title: first.title, count: items.length },
        link: alertPath(first.referenceNo, first.kind),
      });
      notified++;
    }
  }
  return { emails, notified };
}
