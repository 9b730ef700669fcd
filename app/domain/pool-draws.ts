/**
 * Who may fund a round's pool from which fund, and the two-person approval of a draw on a higher
 * area's fund. Pure rules over area paths (see permissions.ts).
 *
 * A pool may only be drawn from a fund that the official's own area holds (or an area above
 * theirs). A community official who runs a round of their community may instead REQUEST a draw
 * on a fund held by an area above theirs (the subdistrict's fund): nothing moves in the ledger
 * until an official of the fund's area — not the person who asked — approves it, as a tranche
 * release needs a second official.
 *
 * While a draw waits, the round stays a draft: it cannot open (needs, proposals) on money the
 * fund's area has not agreed to. Awards are only ever allocated from the pool as committed, so a
 * waiting draw could not be spent anyway; keeping the round unopened also means no resident or
 * organisation works toward a pool that a rejection then takes away, and the pool cannot change
 * under a competition already running.
 */
import { z } from "zod";
import { isOfficialFor, isWithin, type GrantHolder } from "./permissions";
import type { Phase } from "./rounds";

export type DrawStatus = "PENDING" | "APPROVED" | "REJECTED" | "WITHDRAWN";
export const DRAW_STATUSES: readonly DrawStatus[] = ["PENDING", "APPROVED", "REJECTED", "WITHDRAWN"];

/**
 * How `actor` may fund a round of the area at `roundAreaPath` from a fund held by the area at
 * `fundAreaPath`: "direct" — an official of the fund's area (or above, or an administrator)
 * commits the money at once; "request" — an official of the round's area below the fund's area
 * may only ask for it; "none" — anyone else, or a fund that does not cover the round's area.
 */
export type DrawAuthority = "direct" | "request" | "none";

export function drawAuthority(actor: Pick<GrantHolder, "grants">, at: { roundAreaPath: string; fundAreaPath: string }): DrawAuthority {
  if (!isWithin(at.roundAreaPath, at.fundAreaPath)) return "none";
  if (isOfficialFor(actor, at.fundAreaPath)) return "direct";
  if (isOfficialFor(actor, at.roundAreaPath)) return "request";
  return "none";
}

/**
 * The same for a pool drawn straight from a budget line (预算科目) of the fund's area: there is no
 * balance to bound it (the appropriation is outside the books until it is drawn), so it is never
 * drawn at once — even an official of the fund's area only requests it, and another official of
 * that area approves (drawDecisionProblem). Who may ask is who could draw on the fund.
 */
export function budgetLineAuthority(actor: Pick<GrantHolder, "grants">, at: { roundAreaPath: string; fundAreaPath: string }): DrawAuthority {
  return drawAuthority(actor, at) === "none" ? "none" : "request";
}

export type DrawRequestProblem = "rounds.foundation.notYours" | "rounds.draw.notDraft" | "rounds.draw.alreadyPending";

/**
 * Why a request to change a round's pool by `deltaFen` (from a fund the requester may only ask
 * for) cannot be made; null when it can. Only an increase is requested (handing the fund's money
 * back is also its officials' decision), only while the round is a draft, one at a time.
 */
export function drawRequestProblem(round: { phase: Phase; deltaFen: number; pending: boolean }): DrawRequestProblem | null {
  if (round.deltaFen < 0) return "rounds.foundation.notYours";
  if (round.phase !== "DRAFT") return "rounds.draw.notDraft";
  if (round.pending) return "rounds.draw.alreadyPending";
  return null;
}

export type DrawDecisionProblem = "rounds.draw.notYours" | "rounds.draw.sameOfficial" | "rounds.draw.decided";

/** The HTTP status a decision problem is answered with: not allowed (403) or already decided (409). */
export const decisionStatus = (p: DrawDecisionProblem): 403 | 409 => (p === "rounds.draw.decided" ? 409 : 403);

/**
 * Why `actor` may not approve or reject a draw; null when they may. The decider is an official
 * of the area that holds the fund (or above it) and not the person who asked (four eyes), and the
 * draw is still waiting.
 */
export function drawDecisionProblem(
  actor: GrantHolder,
  draw: { fundAreaPath: string; requestedById: string; status: DrawStatus | (string & {}) },
): DrawDecisionProblem | null {
  if (!isOfficialFor(actor, draw.fundAreaPath)) return "rounds.draw.notYours";
  if (actor.id === draw.requestedById) return "rounds.draw.sameOfficial";
  if (draw.status !== "PENDING") return "rounds.draw.decided";
  return null;
}

export type DrawWithdrawProblem = "rounds.draw.notRequester" | "rounds.draw.decided";

/** Why `actor` may not withdraw a draw; null when they may: only the person who asked, while it waits. */
export function drawWithdrawProblem(actor: Pick<GrantHolder, "id">, draw: { requestedById: string; status: DrawStatus | (string & {}) }): DrawWithdrawProblem | null {
  if (actor.id !== draw.requestedById) return "rounds.draw.notRequester";
  if (draw.status !== "PENDING") return "rounds.draw.decided";
  return null;
}

/** A round whose pool draw waits for approval cannot leave its draft: null when it may move on. */
export function drawPendingMoveProblem(from: Phase, pending: boolean): "rounds.phase.drawPending" | null {
  return from === "DRAFT" && pending ? "rounds.phase.drawPending" : null;
}

const drawId = z.string({ error: "rounds.draw.unknown" }).trim().min(1, "rounds.draw.unknown").max(64, "rounds.draw.unknown");
/** Why a draw was rejected: said to the person who asked, so it must be said. */
const reason = z.string({ error: "rounds.draw.reason.required" }).trim().min(2, "rounds.draw.reason.required").max(500, "validation.tooLong");
/** An approval may carry a note; blank is none. */
const note = z.string().trim().max(500, "validation.tooLong").optional();

export const ApproveDrawSchema = z.object({ intent: z.literal("approveDraw"), drawId, reason: note });
export const RejectDrawSchema = z.object({ intent: z.literal("rejectDraw"), drawId, reason });
export const WithdrawDrawSchema = z.object({ intent: z.literal("withdrawDraw"), drawId });
