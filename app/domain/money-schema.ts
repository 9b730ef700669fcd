import { z } from "zod";
import { DEFAULT_MAX_MONEY_FEN, moneyMessage, parseMoney } from "./money";

/**
 * A Zod field for typed money: the input is what the person typed, the output integer fen.
 * Errors are message keys (`money.*`), so the same schema validates in the browser and on the
 * server and the form shows the reason in the reader's language.
 */
export function moneyFen(options: { maxFen?: number; minFen?: number; optional?: false }): z.ZodType<number, string>;
export function moneyFen(options: { maxFen?: number; minFen?: number; optional: true }): z.ZodType<number | undefined, string | undefined>;
export function moneyFen(options: { maxFen?: number; minFen?: number; optional?: boolean } = {}): z.ZodType {
  const max = options.maxFen ?? DEFAULT_MAX_MONEY_FEN;
  const field = z.string().transform((raw, ctx) => {
    const parsed = parseMoney(raw, max);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: moneyMessage(parsed.problem) });
      return z.NEVER;
    }
    if (options.minFen !== undefined && parsed.fen < options.minFen) {
      ctx.addIssue({ code: "custom", message: "money.tooSmall" });
      return z.NEVER;
    }
    return parsed.fen;
  });
  return options.optional ? field.optional() : z.string({ error: "money.required" }).pipe(field);
}
