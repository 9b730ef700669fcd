import type { Submission as ConformSubmission } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data } from "react-router";
import type { z } from "zod";
import type { Problem } from "./result";

/**
 * The one form idiom of every action, on the server side:
 *
 *   const submission = parseWithZod(await request.formData(), { schema: Intents });
 *   if (submission.status !== "success") return invalidSubmission(submission);
 *   switch (submission.value.intent) { case "x": … problemReply(submission, r.problem) … }
 *
 * `Intents` is a Zod discriminated union on `intent`, one object schema per intent (one Conform
 * form in the page). Every answer carries the intent and Conform's reply, which keeps what was
 * typed and places each error next to its field; the page takes its form's reply with
 * `replyFor(actionData, "x")`.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Submission = ConformSubmission<any, string[], any>;

/** What every action answers on failure: which form, and Conform's reply for it. */
export interface FormAnswer<I extends string = string> {
  intent: I;
  result: ReturnType<Submission["reply"]>;
}

const intentOf = (submission: Submission): string => {
  const raw = submission.payload.intent;
  return typeof raw === "string" ? raw : "";
};

/** Fields never sent back to the browser in a reply (passwords): the form comes back with them empty. */
export interface ReplyOptions {
  hideFields?: string[];
}

/** The submission did not pass its schema: 400, with the errors by field and what was typed. */
export function invalidSubmission<Extra extends object = object>(submission: Submission, extra?: Extra, options: ReplyOptions = {}) {
  return data({ ...(extra as Extra), intent: intentOf(submission), result: submission.reply(options) }, { status: 400 });
}

/** A use-case's problem as the response to the form that asked: status, errors by field, what was typed. */
export function problemReply<D, Extra extends object = object>(submission: Submission, problem: Problem<D>, extra?: Extra, options: ReplyOptions = {}) {
  return data(
    {
      ...(extra as Extra),
      intent: intentOf(submission),
      result: submission.reply({ ...options, formErrors: problem.formErrors, fieldErrors: problem.fieldErrors }),
      detail: (problem.detail ?? null) as D | null,
    },
    { status: problem.status },
  );
}

/** Parses a submission with a schema of intents (or one form's schema). */
export function parseForm<S extends z.ZodType>(formData: FormData, schema: S) {
  return parseWithZod(formData, { schema });
}
