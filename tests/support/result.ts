import { expect } from "vitest";

/** A failed Result exactly as a service answers it (app/lib/result.ts). */
export const problem = (status: number, formErrors: string[], fieldErrors: Record<string, string[]> = {}, detail?: unknown) => ({
  ok: false,
  problem: { status, formErrors, fieldErrors, ...(detail === undefined ? {} : { detail }) },
});

/** Any failed Result whose message keys about the whole form are `keys` (status and details not checked). */
export const formProblem = (...keys: string[]) => ({ ok: false, problem: expect.objectContaining({ formErrors: keys }) });
