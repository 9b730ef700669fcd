import { data } from "react-router";
import { problemReply, type Submission } from "~/lib/forms.server";
import type { Result } from "~/lib/result";
import { retryMinutesOf, type RateLimited } from "./auth.server";
import type { CodeSent } from "./phone.server";

/**
 * The answer to a form that asked for an SMS code (the sign-in, the number change, the deletion):
 * `base` with the code's step — the number masked, and the code itself in local SMS demo mode — and
 * `onSent` added; or the refusal, with the minutes to wait when a rate limit refused.
 */
export function sendCodeReply<I extends string, B extends object, S extends object>(submission: Submission, intent: I, r: Result<CodeSent, RateLimited | undefined>, base: B, onSent: S) {
  if (!r.ok) return problemReply(submission, r.problem, { ...base, retryAfterMinutes: retryMinutesOf(r.problem) });
  return data({ ...base, ...onSent, intent, result: submission.reply(), sent: { masked: r.masked, localCode: r.localCode } });
}
