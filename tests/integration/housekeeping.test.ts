import { parseCronItems } from "graphile-worker";
import { beforeAll, describe, expect, it } from "vitest";
import { purgeExpired, RETENTION } from "~/services/jobs/housekeeping.server";
import { cronItems, HOUSEKEEPING_TASK, runDueJobs, taskList } from "~/services/jobs/registry.server";
import { clearJobQueue, db, makeUser, uid } from "../support/db";

beforeAll(clearJobQueue);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function fixtures(now: number) {
  const user = await makeUser();
  const session = (expiresAt: number) =>
    db().session.create({ data: { tokenHash: `h-${uid()}`, userId: user.id, expiresAt: new Date(expiresAt) } });
  const token = (expiresAt: number) =>
    db().emailToken.create({ data: { kind: "RESET_PASSWORD", tokenHash: `t-${uid()}`, userId: user.id, expiresAt: new Date(expiresAt) } });
  const state = (expiresAt: number) => db().wechatAuthState.create({ data: { nonceHash: `w-${uid()}`, expiresAt: new Date(expiresAt) } });
  const bucket = (windowStart: number) =>
    db().rateLimitBucket.create({ data: { key: `test:${uid()}`, count: 3, windowStart: new Date(windowStart) } });
  return {
    expiredSession: await session(now - HOUR),
    liveSession: await session(now + DAY),
    longExpiredToken: await token(now - RETENTION.emailTokenAfterExpiryMs - HOUR),
    recentlyExpiredToken: await token(now - DAY), // kept: its link still says "expired"
    liveToken: await token(now + HOUR),
    staleBucket: await bucket(now - RETENTION.rateLimitBucketMs - HOUR),
    currentBucket: await bucket(now - 10 * 60_000),
    oldWechatState: await state(now - RETENTION.wechatStateAfterExpiryMs - HOUR),
    liveWechatState: await state(now + 10 * 60_000),
  };
}

async function exists(f: Awaited<ReturnType<typeof fixtures>>) {
  return {
    expiredSession: !!(await db().session.findUnique({ where: { id: f.expiredSession.id } })),
    liveSession: !!(await db().session.findUnique({ where: { id: f.liveSession.id } })),
    longExpiredToken: !!(await db().emailToken.findUnique({ where: { id: f.longExpiredToken.id } })),
    recentlyExpiredToken: !!(await db().emailToken.findUnique({ where: { id: f.recentlyExpiredToken.id } })),
    liveToken: !!(await db().emailToken.findUnique({ where: { id: f.liveToken.id } })),
    staleBucket: !!(await db().rateLimitBucket.findUnique({ where: { key: f.staleBucket.key } })),
    currentBucket: !!(await db().rateLimitBucket.findUnique({ where: { key: f.currentBucket.key } })),
    oldWechatState: !!(await db().wechatAuthState.findUnique({ where: { id: f.oldWechatState.id } })),
    liveWechatState: !!(await db().wechatAuthState.findUnique({ where: { id: f.liveWechatState.id } })),
  };
}

const KEPT_ONLY = {
  expiredSession: false,
  liveSession: true,
  longExpiredToken: false,
  recentlyExpiredToken: true,
  liveToken: true,
  staleBucket: false,
  currentBucket: true,
  oldWechatState: false,
  liveWechatState: true,
};

describe("housekeeping", () => {
  it("purges expired sessions, long-expired email tokens and stale rate-limit buckets, nothing else", async () => {
    const now = Date.now();
    const f = await fixtures(now);
    const purged = await purgeExpired(new Date(now));
    expect(purged.sessions).toBeGreaterThanOrEqual(1);
    expect(purged.emailTokens).toBeGreaterThanOrEqual(1);
    expect(purged.rateLimitBuckets).toBeGreaterThanOrEqual(1);
    expect(purged.wechatStates).toBeGreaterThanOrEqual(1);
    expect(await exists(f)).toEqual(KEPT_ONLY);
    // idempotent
    expect(await purgeExpired(new Date(now))).toEqual({ sessions: 0, emailTokens: 0, rateLimitBuckets: 0, smsCodes: 0, wechatStates: 0 });
  });

  it("runs as the worker's housekeeping task, scheduled daily by the crontab", async () => {
    const items = parseCronItems(cronItems);
    const daily = items.find((i) => i.task === HOUSEKEEPING_TASK);
    expect(daily).toBeDefined();
    expect(taskList[HOUSEKEEPING_TASK]).toBeTypeOf("function");
    // 19:00 UTC = 03:00 in Asia/Shanghai, once a day
    const matches = (iso: string) => {
      const d = new Date(iso);
      return daily!.match({ min: d.getUTCMinutes(), hour: d.getUTCHours(), date: d.getUTCDate(), month: d.getUTCMonth() + 1, dow: d.getUTCDay() });
    };
    expect(matches("2026-03-01T19:00:00Z")).toBe(true);
    expect(matches("2026-03-01T19:01:00Z")).toBe(false);
    expect(matches("2026-03-01T03:00:00Z")).toBe(false);

    const f = await fixtures(Date.now());
    await db().$executeRaw`SELECT graphile_worker.add_job(${HOUSEKEEPING_TASK}::text, '{}'::json)`;
    await runDueJobs();
    expect(await exists(f)).toEqual(KEPT_ONLY);
  });
});
