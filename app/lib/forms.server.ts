import type { Submission as ConformSubmission } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data } from "react-router";
import type { z } from "zod";
import { plainText } from "~/domain/text";
import { env } from "./env.server";
import { MultipartError, multipartBoundary, readMultipart } from "./multipart.server";
import type { Problem } from "./result";

/**
 * The one form idiom of every action, on the server side:
 *
 *   const submission = parseForm(await readForm(request), Intents);
 *   if (submission.status !== "success") return invalidSubmission(submission);
 *   switch (submission.value.intent) { case "x": … problemReply(submission, r.problem) … }
 *
 * `Intents` is a Zod discriminated union on `intent`, one object schema per intent (one Conform
 * form in the page). Every answer carries the intent and Conform's reply, which keeps what was
 * typed and places each error next to its field; the page takes its form's reply with
 * `replyFor(actionData, "x")`.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Submission = ConformSubmission<any, string[], any>;

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

/** Bounds of one form submission: far above any real form, far below what would hurt the server. */
export const FORM_LIMITS = {
  fields: 1_000,
  nameLength: 200,
  /** the largest index in a list field's name ("lines[199].amount") */
  listIndex: 999,
  /** all text values together, in characters (files are bounded by UPLOAD_MAX_BYTES and the body limit) */
  textLength: 1_000_000,
  /** the header lines of one part of a multipart form */
  partHeaderBytes: 16 * 1024,
} as const;

/** Why a submitted form is refused before it is parsed; null when it is within bounds. */
export function formProblem(formData: FormData): string | null {
  let fields = 0;
  let text = 0;
  for (const [name, value] of formData) {
    if (++fields > FORM_LIMITS.fields) return "too many fields";
    if (name.length > FORM_LIMITS.nameLength) return "field name too long";
    if (name.includes("\u0000")) return "NUL in a field name";
    for (const m of name.matchAll(/\[(\d+)\]/g)) if (m[1]!.length > 4 || Number(m[1]) > FORM_LIMITS.listIndex) return "list index out of bounds";
    if (typeof value === "string") {
      text += value.length;
      if (text > FORM_LIMITS.textLength) return "text too long";
      if (value.includes("\u0000")) return "NUL in a field";
    }
  }
  return null;
}

/**
 * The request's form, read within bounds: a body that is not a well-formed form, or one beyond
 * FORM_LIMITS, is answered 400 at once — never parsed into a huge structure, never echoed back.
 * A multipart form is read as it streams in (lib/multipart.server.ts): no file is held beyond
 * UPLOAD_MAX_BYTES; a larger one arrives as an OversizedFile (its size, none of its bytes), which
 * every upload's size check refuses next to its field while the rest of the form is kept.
 */
export async function readForm(request: Request): Promise<FormData> {
  let formData: FormData;
  const boundary = multipartBoundary(request.headers.get("content-type"));
  try {
    if (boundary) {
      const e = env();
      const read = await readMultipart(request.body, boundary, {
        maxFileBytes: e.UPLOAD_MAX_BYTES,
        maxBodyBytes: e.REQUEST_MAX_BYTES,
        maxParts: FORM_LIMITS.fields,
        // UTF-8 takes at most 3 bytes per UTF-16 code unit
        maxTextBytes: FORM_LIMITS.textLength * 3,
        maxHeaderBytes: FORM_LIMITS.partHeaderBytes,
      });
      formData = read.form;
    } else {
      formData = await request.formData();
    }
  } catch (error) {
    if (error instanceof MultipartError && error.status === 413) throw data("请求内容过大 / Request too large", { status: 413 });
    if (error instanceof MultipartError) throw data(`表单格式错误 / Malformed form: ${error.message}`, { status: 400 });
    throw data("表单格式错误 / Malformed form", { status: 400 });
  }
  const problem = formProblem(formData);
  if (problem) throw data(`表单超出限制 / Form out of bounds: ${problem}`, { status: 400 });
  return plainForm(formData);
}

/** The form with every text value made plain (no bidi controls or zero-width characters, NFC); files as they are. */
export function plainForm(formData: FormData): FormData {
  const out = new FormData();
  for (const [name, value] of formData) out.append(name, typeof value === "string" ? plainText(value) : value);
  return out;
}

/** Parses a submission with a schema of intents (or one form's schema). */
export function parseForm<S extends z.ZodType>(formData: FormData, schema: S) {
  return parseWithZod(formData, { schema });
}
