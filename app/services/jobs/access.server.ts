import { z } from "zod";
import { logger } from "~/lib/logger.server";

/**
 * What may make a background task act. Jobs run with no signed-in person: a task acts as the
 * platform itself, on the objects its payload names, and only on a payload it understands. A
 * job row is written by the platform's own transactions, but the queue is a table: a payload of
 * the wrong shape (a hand-inserted row, a job from an older version) is refused and logged, never
 * guessed at — the job completes without acting, so it is not retried forever.
 */

export const DonationPayload = z.object({ donationId: z.string().min(1) });
export const RefundPayload = z.object({
  donationId: z.string().min(1),
  reversedFen: z.number().int().positive(),
  amountFen: z.number().int().positive(),
});

/** The organization rankings to compute (services/areas/ranking.server.ts RankingRefresh). */
export const RankingPayload = z.union([z.object({ period: z.enum(["closed", "current"]) }), z.object({ areaId: z.string().min(1) })]);

const log = logger.child({ component: "jobs" });

/** The payload as `schema` reads it, or null (logged) when it does not fit. */
export function acceptedPayload<S extends z.ZodType>(task: string, schema: S, payload: unknown): z.output<S> | null {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  log.error({ task, issues: parsed.error.issues.map((i) => i.path.join(".") || "(payload)") }, "job payload refused: it names nothing this task acts on");
  return null;
}
