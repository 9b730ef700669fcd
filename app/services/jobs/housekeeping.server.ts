import { db } from "~/lib/db.server";

const DAY = 86_400_000;

/**
 * How long rows are kept after they stop mattering.
 * - sessions: an expired session never signs anyone in again; dropped at once;
 * - email tokens: kept a week after expiry so that an old link still gets "this link has
 *   expired" rather than "unknown link";
 * - rate-limit buckets: a bucket whose window started two days ago has closed, as long as
 *   no limit uses a window longer than a day (raise this if one ever does).
 */
export const RETENTION = {
  emailTokenAfterExpiryMs: 7 * DAY,
  rateLimitBucketMs: 2 * DAY,
  /** SMS codes live five minutes; kept two days after, so a late try still hears "expired" */
  smsCodeAfterExpiryMs: 2 * DAY,
} as const;

export interface PurgeResult {
  sessions: number;
  emailTokens: number;
  rateLimitBuckets: number;
  smsCodes: number;
}

/** Deletes expired sessions, email tokens and SMS codes and stale rate-limit buckets. Run daily by the worker. */
export async function purgeExpired(now: Date = new Date()): Promise<PurgeResult> {
  const [sessions, emailTokens, rateLimitBuckets, smsCodes] = await db().$transaction([
    db().session.deleteMany({ where: { expiresAt: { lt: now } } }),
    db().emailToken.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - RETENTION.emailTokenAfterExpiryMs) } } }),
    db().rateLimitBucket.deleteMany({ where: { windowStart: { lt: new Date(now.getTime() - RETENTION.rateLimitBucketMs) } } }),
    db().smsCode.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - RETENTION.smsCodeAfterExpiryMs) } } }),
  ]);
  return { sessions: sessions.count, emailTokens: emailTokens.count, rateLimitBuckets: rateLimitBuckets.count, smsCodes: smsCodes.count };
}
