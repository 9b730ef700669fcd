import { z } from "zod";

/** The two steps of the officials' report page: generate a draft (to read before publishing), publish (confirmed). */
export const ReportIntents = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("generate") }),
  z.object({ intent: z.literal("publish"), confirm: z.literal("on", { error: "report.confirmRequired" }) }),
]);
