import type { NeedStatus } from "~/domain/needs";
import { DEFAULT_CATEGORIES, DEFAULT_RUBRIC, DEFAULT_TRANCHE_SCHEDULE } from "~/domain/rounds";
import { shanghaiDay } from "~/lib/time";
import { db, uid } from "./db";

/**
 * Residents' needs and the rounds that take them as topics, shared by the integration tests of
 * needs, their conversation, deliberation and the community pages.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** The Shanghai calendar day `days` from today (negative: before), as a form posts it. */
export const dayFromToday = (days: number) => shanghaiDay(new Date(Date.now() + days * DAY_MS));

/** A need of `areaId` (a community), open unless said otherwise, posted by no one unless said. */
export async function makeNeed(areaId: string, overrides: { authorId?: string; title?: string; description?: string; status?: NeedStatus; category?: string; voteCount?: number } = {}) {
  return db().need.create({
    data: {
      areaId,
      authorId: overrides.authorId ?? null,
      title: overrides.title ?? `需求${uid()}`,
      description: overrides.description ?? "这是一条用于测试的居民需求描述。",
      category: overrides.category ?? "PUBLIC_SERVICE",
      status: overrides.status ?? "OPEN",
      ...(overrides.voteCount === undefined ? {} : { voteCount: overrides.voteCount }),
    },
  });
}

/**
 * A round of `areaId` with a foundation of its own, in `phase` (collecting needs unless said), its
 * dates counted from today. `requiresDeliberation` left out takes the column's default (on, as
 * for every new round); tests of publishing that are not about deliberation say false.
 */
export async function makeTopicRound(
  areaId: string,
  options: { phase?: "DRAFT" | "NEEDS" | "PROPOSALS" | "SCREENING" | "CLOSED"; requiresDeliberation?: boolean; codePrefix?: string; title?: string } = {},
) {
  const code = `${options.codePrefix ?? "T"}${uid().toUpperCase()}`;
  const foundation = await db().foundation.create({
    data: { slug: `f-${uid()}`, nameZh: "测试基金", nameEn: "Test fund", descriptionZh: "测试", descriptionEn: "Test", areaId },
  });
  const start = Date.now();
  const d = (days: number) => new Date(start + days * DAY_MS);
  return db().round.create({
    data: {
      code,
      areaId,
      foundationId: foundation.id,
      title: options.title ?? `测试创投${code}`,
      description: "测试",
      phase: options.phase ?? "NEEDS",
      ...(options.requiresDeliberation === undefined ? {} : { requiresDeliberation: options.requiresDeliberation }),
      categories: DEFAULT_CATEGORIES as never,
      rubric: DEFAULT_RUBRIC as never,
      trancheSchedule: DEFAULT_TRANCHE_SCHEDULE as never,
      needsStartsAt: d(-1),
      proposalsStartsAt: d(10),
      proposalsDeadline: d(20),
      screeningStartsAt: d(21),
      reviewStartsAt: d(30),
      noticeStartsAt: d(40),
      implementationStartsAt: d(50),
      implementationEndsAt: d(200),
      closesAt: d(220),
    },
  });
}
