import { db } from "~/lib/db.server";

const DAY = 86_400_000;

/**
 * How long rows are kept after they stop mattering.
 * - sessions: an expired session never signs anyone in again; dropped at once;
 * - email tokens: kept a week after expiry so that an old link still gets "this link has
 *   expired" rather than "unknown link";
 * - WeChat authorisation states: used or expired, a state is refused whether its row is there or
 *   not (the signature carries its expiry); dropped a day after expiry;
 * - rate-limit buckets: a bucket whose window started two days ago has closed, as long as
 *   no limit uses a window longer than a day (raise this if one ever does).
 */
export const RETENTION = {
  emailTokenAfterExpiryMs: 7 * DAY,
  rateLimitBucketMs: 2 * DAY,
  wechatStateAfterExpiryMs: DAY,
  /** SMS codes live five minutes; kept two days after, so a late try still hears "expired" */
  smsCodeAfterExpiryMs: 2 * DAY,
} as const;

export interface PurgeResult {
  sessions: number;
  emailTokens: number;
  rateLimitBuckets: number;
  smsCodes: number;
  wechatStates: number;
}

/** Deletes expired sessions, email tokens, SMS codes and WeChat authorisation states, and stale rate-limit buckets. Run daily by the worker. */
export async function purgeExpired(now: Date = new Date()): Promise<PurgeResult> {
  const [sessions, emailTokens, rateLimitBuckets, smsCodes, wechatStates] = await db().$transaction([
    db().session.deleteMany({ where: { expiresAt: { lt: now } } }),
    db().emailToken.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - RETENTION.emailTokenAfterExpiryMs) } } }),
    db().rateLimitBucket.deleteMany({ where: { windowStart: { lt: new Date(now.getTime() - RETENTION.rateLimitBucketMs) } } }),
    db().smsCode.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - RETENTION.smsCodeAfterExpiryMs) } } }),
    db().wechatAuthState.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - RETENTION.wechatStateAfterExpiryMs) } } }),
  ]);
  return { sessions: sessions.count, emailTokens: emailTokens.count, rateLimitBuckets: rateLimitBuckets.count, smsCodes: smsCodes.count, wechatStates: wechatStates.count };
}
