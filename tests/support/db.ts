import crypto from "node:crypto";
import { db } from "../../app/lib/db.server.ts";
import { hashPassword } from "../../app/lib/password.server.ts";
import { PRIVACY_NOTICE_VERSION } from "../../app/domain/privacy-notice.ts";

export { db };

/** A unique suffix so that rows made by one test never collide with another's. */
export const uid = () => crypto.randomBytes(5).toString("hex");

/**
 * A foundation's receipt prefix no other test's foundation has: its letter and seven random base-36
 * characters (36^7 ≈ 7.8 × 10^10; six hex characters, 1.7 × 10^7, collided once among the
 * foundations a worker's database gathers in a run).
 */
export const receiptPrefix = (letter: string) => `${letter}${crypto.randomBytes(6).readUIntBE(0, 6).toString(36).toUpperCase().padStart(7, "0").slice(-7)}`;

let cachedHash: Promise<string> | undefined;
export const TEST_PASSWORD = "correct horse battery staple";

/**
 * Creates a verified user with TEST_PASSWORD who accepted the privacy notice now in force at
 * sign-up (as every account does); `noticeVersion: null` for one who has accepted none.
 */
export async function makeUser(overrides: { email?: string; name?: string; verified?: boolean; noticeVersion?: string | null } = {}) {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const noticeVersion = overrides.noticeVersion === undefined ? PRIVACY_NOTICE_VERSION : overrides.noticeVersion;
  const email = overrides.email ?? `u-${uid()}@example.com`;
  const user = await db().user.create({
    data: {
      email,
      name: overrides.name ?? "测试用户",
      passwordHash: await cachedHash,
      emailVerifiedAt: overrides.verified === false ? null : new Date(),
      ...(noticeVersion ? { consents: { create: { kind: "PRIVACY_NOTICE", noticeVersion, ip: "203.0.113.1", userAgent: "test" } } } : {}),
    },
  });
  // made with an email, so it has one (accounts made with a mobile number only may not)
  return { ...user, email };
}

/** Creates an area subtree root (subdistrict) with `n` communities under it. */
export async function makeAreaTree(n = 2) {
  const code = `t${uid()}`;
  const root = await db().area.create({
    data: { code, nameZh: `测试街道${code}`, nameEn: `Test ${code}`, level: "SUBDISTRICT", path: `/${code}/` },
  });
  const communities = [];
  for (let i = 0; i < n; i++) {
    const c = `${code}c${i}`;
    communities.push(
      await db().area.create({
        data: { code: c, nameZh: `测试社区${i}`, nameEn: `Test community ${i}`, level: "COMMUNITY", parentId: root.id, path: `${root.path}${c}/`, residents: 1000 * (i + 1) },
      }),
    );
  }
  return { root, communities };
}

/**
 * Empties the job queue of this worker's database. Test files in one worker share its database,
 * so the emails and jobs that earlier files queued (hundreds, from the project tests) would all be
 * run by a file's first `runDueJobs()`; files that run the queue start from an empty one.
 */
export async function clearJobQueue() {
  await db().$executeRaw`DELETE FROM graphile_worker._private_jobs`;
}
