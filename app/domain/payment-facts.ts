/**
 * What we know about one payment (a Checkout Session / PaymentIntent), folded from Stripe events
 * that arrive at least once, in any order, for days. Each event is turned into a *fact*;
 * facts merge with a join that is commutative, associative and idempotent (flags only ever turn
 * on, cumulative amounts only ever grow), so every delivery order and every number of duplicates
 * converges to the same state. The ledger effects of an event are the difference between the state
 * before and after it — posted once each under their own idempotency keys.
 */

export type PaymentFact =
  /** checkout.session.completed: paid now (card) or later (payment_status "unpaid": async methods) */
  | { kind: "sessionCompleted"; paid: boolean; amountFen: number }
  /** checkout.session.async_payment_succeeded / invoice.paid */
  | { kind: "paymentSucceeded"; amountFen: number }
  /** checkout.session.async_payment_failed */
  | { kind: "paymentFailed" }
  /** charge.refunded: `refundedFen` is the charge's cumulative amount_refunded */
  | { kind: "refunded"; refundedFen: number }
  /** charge.dispute.created / charge.dispute.closed */
  | { kind: "disputeOpened" }
  | { kind: "disputeClosed"; won: boolean };

export type DisputeState = "none" | "open" | "won" | "lost";
const DISPUTE_ORDER: Record<DisputeState, number> = { none: 0, open: 1, won: 2, lost: 2 };

export interface PaymentState {
  completed: boolean;
  paid: boolean;
  failed: boolean;
  /** the amount the payment is for, once any event told it */
  amountFen: number | null;
  refundedFen: number;
  dispute: DisputeState;
}

export const EMPTY_PAYMENT: PaymentState = { completed: false, paid: false, failed: false, amountFen: null, refundedFen: 0, dispute: "none" };

/** Folds one fact into the state (the join). */
export function mergeFact(s: PaymentState, f: PaymentFact): PaymentState {
  switch (f.kind) {
    case "sessionCompleted":
      return { ...s, completed: true, paid: s.paid || f.paid, amountFen: s.amountFen ?? f.amountFen };
    case "paymentSucceeded":
      return { ...s, completed: true, paid: true, amountFen: s.amountFen ?? f.amountFen };
    case "paymentFailed":
      return { ...s, completed: true, failed: true };
    case "refunded":
      return { ...s, refundedFen: Math.max(s.refundedFen, f.refundedFen) };
    case "disputeOpened":
      return DISPUTE_ORDER[s.dispute] >= DISPUTE_ORDER.open ? s : { ...s, dispute: "open" };
    case "disputeClosed": {
      const closed: DisputeState = f.won ? "won" : "lost";
      // a lost dispute stays lost (the money is gone) whatever else arrives
      if (s.dispute === "lost" || (s.dispute === "won" && closed === "won")) return s;
      return { ...s, dispute: s.dispute === "won" ? "lost" : closed };
    }
  }
}

export const foldFacts = (facts: readonly PaymentFact[], from: PaymentState = EMPTY_PAYMENT) => facts.reduce(mergeFact, from);

export type DonationStatus = "PENDING" | "PROCESSING" | "SUCCEEDED" | "FAILED" | "PARTIALLY_REFUNDED" | "REFUNDED" | "DISPUTED";

/**
 * The status shown for a payment. Money that arrived wins over a failure notice (a payment that
 * succeeded cannot also have failed; Stripe would not send both, a forged or reordered pair must
 * not lose money). An open or lost dispute holds the donation.
 */
export function statusOf(s: PaymentState): DonationStatus {
  if (s.paid) {
    if (s.dispute === "open" || s.dispute === "lost") return "DISPUTED";
    if (s.amountFen !== null && s.refundedFen >= s.amountFen) return "REFUNDED";
    if (s.refundedFen > 0) return "PARTIALLY_REFUNDED";
    return "SUCCEEDED";
  }
  if (s.failed) return "FAILED";
  return s.completed ? "PROCESSING" : "PENDING";
}

export interface LedgerEffects {
  /** the donation itself is to be posted (clearing → foundation or earmark), once */
  postDonation: boolean;
  /** fen newly gone back by this event (refunds, or the rest after a lost dispute): one reversing transaction, 0 when none */
  reversalFen: number;
}

/**
 * Fen of a paid donation that has gone back: refunds, or all of it when a dispute was lost (the
 * bank took the money back). Never more than the amount; 0 while unpaid. Monotone in the join.
 */
export function reversedFen(s: PaymentState): number {
  if (!s.paid) return 0;
  const amount = s.amountFen ?? 0;
  if (s.dispute === "lost") return amount;
  return Math.min(s.refundedFen, amount);
}

/**
 * What an event changes in the ledger (the webhook books exactly this): the donation when it
 * first becomes paid, and the growth of `reversedFen` — refunds and lost disputes, counted only
 * once the donation is paid (a refund notice that overtakes the payment notice is applied when
 * the payment arrives).
 */
export function effectsOf(before: PaymentState, after: PaymentState): LedgerEffects {
  return { postDonation: !before.paid && after.paid, reversalFen: Math.max(0, reversedFen(after) - reversedFen(before)) };
}
