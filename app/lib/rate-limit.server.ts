import { type Client, db } from "./db.server";

export interface RateLimitResult {
  /** false once the window already holds `limit` hits */
  allowed: boolean;
  /** hits in the current window, this one included */
  count: number;
  /** seconds until the window ends (at least 1) */
  retryAfterSeconds: number;
}

/**
 * Counts one hit on `key` in a fixed window of `windowSeconds` and says whether it is within
 * `limit`. One atomic statement on RateLimitBucket, so every app instance shares the count and
 * concurrent hits never both slip under the limit. Times are UTC, as Prisma stores them.
 */
export async function hit(key: string, limit: number, windowSeconds: number, client: Client = db()): Promise<RateLimitResult> {
  const rows = await client.$queryRaw<{ count: number; retry: number }[]>`
    INSERT INTO "RateLimitBucket" AS b ("key", "count", "windowStart")
    VALUES (${key}, 1, now() AT TIME ZONE 'UTC')
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE
        WHEN b."windowStart" <= (now() AT TIME ZONE 'UTC') - make_interval(secs => ${windowSeconds}::int) THEN 1
        ELSE b."count" + 1
      END,
      "windowStart" = CASE
        WHEN b."windowStart" <= (now() AT TIME ZONE 'UTC') - make_interval(secs => ${windowSeconds}::int) THEN now() AT TIME ZONE 'UTC'
        ELSE b."windowStart"
      END
    RETURNING
      b."count"::int AS "count",
      GREATEST(1, CEIL(EXTRACT(EPOCH FROM (b."windowStart" + make_interval(secs => ${windowSeconds}::int) - (now() AT TIME ZONE 'UTC')))))::int AS "retry"`;
  const row = rows[0]!;
  return { allowed: row.count <= limit, count: row.count, retryAfterSeconds: row.retry };
}

/** Forgets every hit on `key` (e.g. the account's failures after a successful sign-in). */
export async function reset(key: string, client: Client = db()): Promise<void> {
  await client.rateLimitBucket.deleteMany({ where: { key } });
}

/**
 * Gives back one hit taken by `hit` for an attempt that turned out to be legitimate, so that a
 * limit counts only failures while still being reserved atomically before the attempt runs.
 */
export async function refund(key: string, client: Client = db()): Promise<void> {
  await client.$executeRaw`UPDATE "RateLimitBucket" SET "count" = GREATEST(0, "count" - 1) WHERE "key" = ${key}`;
}

/** Every limit the app applies, in one place so the numbers can be read and tuned together. */
export const LIMITS = {
  /** failed sign-ins for one account (existing or not) from one client address */
  signInAccountIp: { limit: 5, windowSeconds: 15 * 60 },
  /** failed sign-ins for one account from all addresses together: slows a guesser who changes address */
  signInAccount: { limit: 20, windowSeconds: 15 * 60 },
  /**
   * failed sign-ins from one client address across accounts: much higher, since a whole
   * subdistrict office or community centre may sit behind one address
   */
  signInIp: { limit: 200, windowSeconds: 15 * 60 },
  /** wrong current passwords when a signed-in person changes their password */
  changePassword: { limit: 5, windowSeconds: 15 * 60 },
  /** reset-password mails per email address */
  passwordResetEmail: { limit: 3, windowSeconds: 60 * 60 },
  /** verification mails per account */
  verificationEmail: { limit: 5, windowSeconds: 60 * 60 },
  /** SMS codes per number (besides one a minute): five codes of five tries bound the guesses */
  smsCodePhone: { limit: 5, windowSeconds: 60 * 60 },
  /** SMS codes from one client address across numbers (a community centre helps many residents) */
  smsCodeIp: { limit: 30, windowSeconds: 60 * 60 },
} as const;
