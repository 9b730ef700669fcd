/**
 * What we know about one payment (a Checkout Session / PaymentIntent), folded from Stripe events
 * that arrive at least once, in any order, for days. Each event is turned into a *fact*;
 * facts merge with a join that is commutative, associative and idempotent (flags only ever turn
 * on, cumulative amounts only ever grow), so every delivery order and every number of duplicates
 * converges to the same state. The ledger effects of an event are the difference between the state
 * before and after it — posted once each under their own idempotency keys.
 */

export type PaymentFact =
  /**
   * checkout.session.completed: paid now (card) or later (payment_status "unpaid": async methods).
   * `amountFen` is the session's amount_total, in the minor unit of `currency` (absent in facts
   * stored before the currency was read: those were CNY).
   */
  | { kind: "sessionCompleted"; paid: boolean; amountFen: number; currency?: string }
  /** checkout.session.async_payment_succeeded / invoice.paid (the invoice's amount_paid and currency) */
  | { kind: "paymentSucceeded"; amountFen: number; currency?: string }
  /** checkout.session.async_payment_failed */
  | { kind: "paymentFailed" }
  /**
   * charge.refunded: `refundedFen` is the charge's cumulative amount_refunded; `chargeFen` and
   * `currency` are the charge's own amount and currency (absent in facts stored before they were read)
   */
  | { kind: "refunded"; refundedFen: number; chargeFen?: number; currency?: string }
  /** charge.dispute.created / charge.dispute.closed */
  | { kind: "disputeOpened" }
  | { kind: "disputeClosed"; won: boolean }
  /**
   * Money arrived, or a charge was reported, in another amount or currency than the donation's
   * (see vetFact): held for the foundation's manager, never booked as the gift.
   */
  | { kind: "held"; received: Received };

/** An amount as the provider reported it: in the minor unit of its currency (fen for CNY, yen for JPY, cents for USD). */
export interface Received {
  amount: number;
  /** ISO 4217, lower case as Stripe spells it */
  currency: string;
}

/** The one currency the foundations take: every Checkout Session and subscription is made in CNY. */
export const DONATION_CURRENCY = "cny";

/**
 * Checks a fact that reports money against the donation it belongs to: a payment, or a charge,
 * in another currency, or for another amount, than the donation's `expectedFen` becomes a
 * `held` fact carrying what was received — so it is never booked as the gift. Facts that report
 * no money (an unpaid completion, a failure, disputes) and facts that agree pass unchanged.
 */
export function vetFact(expectedFen: number, f: PaymentFact): PaymentFact {
  const differs = (amount: number, currency: string | undefined) => (currency ?? DONATION_CURRENCY).toLowerCase() !== DONATION_CURRENCY || amount !== expectedFen;
  const received = (amount: number, currency: string | undefined): Received => ({ amount, currency: (currency ?? DONATION_CURRENCY).toLowerCase() });
  switch (f.kind) {
    case "sessionCompleted":
      return f.paid && differs(f.amountFen, f.currency) ? { kind: "held", received: received(f.amountFen, f.currency) } : f;
    case "paymentSucceeded":
      return differs(f.amountFen, f.currency) ? { kind: "held", received: received(f.amountFen, f.currency) } : f;
    case "refunded":
      return f.chargeFen !== undefined && differs(f.chargeFen, f.currency) ? { kind: "held", received: received(f.chargeFen, f.currency) } : f;
    default:
      return f;
  }
}

/** Currencies Stripe counts in whole units (no minor unit), and those with three decimals. */
const ZERO_DECIMAL = new Set(["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"]);
const THREE_DECIMAL = new Set(["bhd", "jod", "kwd", "omr", "tnd"]);

/** A received amount as people read it: "1.00 CNY", "100.00 USD", "10,000 JPY". */
export function receivedText(r: Received): string {
  const digits = ZERO_DECIMAL.has(r.currency) ? 0 : THREE_DECIMAL.has(r.currency) ? 3 : 2;
  const abs = Math.abs(r.amount);
  const unit = 10 ** digits;
  const whole = String(Math.floor(abs / unit)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const minor = digits ? `.${String(abs % unit).padStart(digits, "0")}` : "";
  return `${r.amount < 0 ? "-" : ""}${whole}${minor} ${r.currency.toUpperCase()}`;
}

/** Of two different received amounts, the one a hold keeps (any fixed order: the join must not depend on arrival). */
function laterHeld(a: Received | null, b: Received): Received {
  if (!a) return b;
  if (a.currency !== b.currency) return a.currency > b.currency ? a : b;
  return a.amount >= b.amount ? a : b;
}

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
  /**
   * What arrived when it did not agree with the donation (vetFact): the payment is held for the
   * foundation's manager. Only a payment notice that agrees makes the donation paid.
   */
  held: Received | null;
}

export const EMPTY_PAYMENT: PaymentState = { completed: false, paid: false, failed: false, amountFen: null, refundedFen: 0, dispute: "none", held: null };

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
    case "held": {
      const held = laterHeld(s.held ?? null, f.received);
      return s.completed && held === s.held ? s : { ...s, completed: true, held };
    }
  }
}

export const foldFacts = (facts: readonly PaymentFact[], from: PaymentState = EMPTY_PAYMENT) => facts.reduce(mergeFact, from);

export type DonationStatus = "PENDING" | "PROCESSING" | "SUCCEEDED" | "FAILED" | "PARTIALLY_REFUNDED" | "REFUNDED" | "DISPUTED" | "HELD";

/**
 * The status shown for a payment. Money that arrived wins over a failure notice (a payment that
 * succeeded cannot also have failed; Stripe would not send both, a forged or reordered pair must
 * not lose money). An open or lost dispute holds the donation. Money that arrived in another
 * amount or currency (and no notice that agrees) is HELD: not booked, shown to the manager.
 */
export function statusOf(s: PaymentState): DonationStatus {
  if (s.paid) {
    if (s.dispute === "open" || s.dispute === "lost") return "DISPUTED";
    if (s.amountFen !== null && s.refundedFen >= s.amountFen) return "REFUNDED";
    if (s.refundedFen > 0) return "PARTIALLY_REFUNDED";
    return "SUCCEEDED";
  }
  if (s.held) return "HELD";
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
