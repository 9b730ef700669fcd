/**
 * The one way a use-case says it could not do what was asked. A problem carries message keys
 * (translated by the locale catalogues where they are shown), the fields they belong to, and the
 * HTTP status a route answers with; some carry details the page needs (a newer version, the
 * name of who saved in between). Routes turn it into a response with `problemReply`.
 */

export type FieldErrors = Record<string, string[]>;

/**
 * 400: the input is wrong · 403: not allowed · 404: no such thing · 409: the state does not allow it (now)
 * · 429: too many attempts (a rate limit refused it; try again later)
 */
export type ProblemStatus = 400 | 403 | 404 | 409 | 429;

export interface Problem<D = undefined> {
  status: ProblemStatus;
  /** message keys about the whole form */
  formErrors: string[];
  /** message keys by field name (Conform's names: "lines[0].amount") */
  fieldErrors: FieldErrors;
  detail?: D;
}

export type Ok<T extends object = object> = { ok: true } & T;
export type Failed<D = undefined> = { ok: false; problem: Problem<D> };
export type Result<T extends object = object, D = undefined> = Ok<T> | Failed<D>;

export function ok(): Ok;
export function ok<T extends object>(value: T): Ok<T>;
export function ok<T extends object>(value?: T): Ok<T> {
  return { ok: true, ...(value as T) };
}

/** A failure with message keys about the whole form (and optionally fields and details). */
export function fail<D = undefined>(
  status: ProblemStatus,
  formErrors: string | readonly string[] = [],
  more: { fieldErrors?: FieldErrors; detail?: D } = {},
): Failed<D> {
  const keys = typeof formErrors === "string" ? [formErrors] : [...new Set(formErrors)];
  return { ok: false, problem: { status, formErrors: keys, fieldErrors: more.fieldErrors ?? {}, ...(more.detail === undefined ? {} : { detail: more.detail }) } };
}

/** 400 with errors next to their fields. */
export function invalid(fieldErrors: FieldErrors, formErrors: readonly string[] = []): Failed {
  return fail(400, formErrors, { fieldErrors });
}

/** Zod's issues as field errors, keyed the way Conform names fields ("a.b", "lines[2].amount"). */
export function toFieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const name = issue.path.reduce<string>(
      (acc, seg) => (typeof seg === "number" ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)),
      "",
    );
    const list = (out[name] ??= []);
    if (!list.includes(issue.message)) list.push(issue.message);
  }
  return out;
}

/** A failed Zod parse as a 400: issues on fields go next to them, the others (path []) to the form. */
export function fromIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Failed {
  const { "": formErrors = [], ...fieldErrors } = toFieldErrors(issues);
  return invalid(fieldErrors, formErrors);
}

/**
 * Thrown inside a transaction to roll back everything it wrote and answer with the failure it
 * carries. The use-case catches it with `refusedOr` around the transaction.
 */
export class Refusal extends Error {
  constructor(public readonly failure: Failed) {
    super("refused");
  }
}

/** The failure a `Refusal` carries; any other error goes on up. */
export function refusedOr(error: unknown): Failed {
  if (error instanceof Refusal) return error.failure;
  throw error;
}
