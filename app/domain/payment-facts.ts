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
  | { kind: "refunded"; refundedFen: number; chargeFen?: number; currency?: string; at?: number }
  /**
   * refund.failed (or refund.updated / charge.refund.updated reporting status "failed"): the
   * provider could not give `fen` back (refund `refundId`), and lowered the charge's
   * amount_refunded by it at `at` (epoch ms of the event). Facts of one refund are the same fact.
   */
  | { kind: "refundFailed"; refundId: string; fen: number; at: number }
  /**
   * charge.dispute.created / .updated / .funds_withdrawn / .closed; `notice` is what the managers
   * are told of it (kept with the fact while it is parked, so that the gift that claims it tells them)
   */
  | { kind: "disputeOpened"; notice?: DisputeNotice }
  | { kind: "disputeClosed"; won: boolean; notice?: DisputeNotice }
  /**
   * Money arrived, or a charge was reported, in another amount or currency than the donation's
   * (see vetFact): held for the foundation's manager, never booked as the gift.
   */
  | { kind: "held"; received: Received };

/** A dispute as its managers are told of it: the provider's id, the amount, the bank's reason, the deadline for evidence (epoch seconds). */
export interface DisputeNotice {
  id: string;
  amountFen: number;
  reason: string | null;
  dueBy: number | null;
}

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
   * The charges' refund notices ([epoch ms, amount_refunded]) and the refunds that failed (id →
   * [fen, epoch ms]), kept only so that a refund that failed can be told from one made after it
   * (see netRefundedFen). Absent in states stored before refunds could fail.
   */
  refundNotices?: [number, number][];
  failedRefunds?: Record<string, [number, number]>;
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
    case "refunded": {
      const next = { ...s, refundedFen: Math.max(s.refundedFen, f.refundedFen) };
      if (f.at === undefined || (s.refundNotices ?? []).some(([at, fen]) => at === f.at && fen === f.refundedFen)) return next;
      next.refundNotices = [...(s.refundNotices ?? []), [f.at, f.refundedFen] as [number, number]].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      return next;
    }
    case "refundFailed": {
      // several events report one failure, each at its own time: the earliest stands (a join)
      const known = s.failedRefunds?.[f.refundId];
      if (known && known[1] <= f.at) return s;
      return { ...s, failedRefunds: { ...s.failedRefunds, [f.refundId]: [known?.[0] ?? f.fen, f.at] } };
    }
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
    const refunded = netRefundedFen(s);
    if (s.amountFen !== null && refunded >= s.amountFen) return "REFUNDED";
    if (refunded > 0) return "PARTIALLY_REFUNDED";
    return "SUCCEEDED";
  }
  if (s.held) return "HELD";
  if (s.failed) return "FAILED";
  return s.completed ? "PROCESSING" : "PENDING";
}

/** Fen of the refunds that failed (each once). */
export const failedRefundFen = (s: PaymentState) => Object.values(s.failedRefunds ?? {}).reduce((sum, [fen]) => sum + fen, 0);

/**
 * Fen the refunds gave back, net of the refunds that failed. The provider lowers a charge's
 * amount_refunded when a refund fails, so amount_refunded alone cannot tell a failed refund
 * followed by a new one from a repeated notice of the first. Each notice is therefore counted
 * with the failures before it (they had already been taken off it): the refunds ever made are the
 * largest notice plus the failures before it, and those that failed are taken off that — the
 * same whatever order the facts arrive in. With no failure it is the largest amount_refunded.
 */
export function netRefundedFen(s: PaymentState): number {
  const failed = Object.values(s.failedRefunds ?? {});
  if (!failed.length) return s.refundedFen;
  const failedBefore = (at: number) => failed.reduce((sum, [fen, failedAt]) => (failedAt < at ? sum + fen : sum), 0);
  const made = Math.max(s.refundedFen, ...(s.refundNotices ?? []).map(([at, fen]) => fen + failedBefore(at)));
  return Math.max(0, made - failedRefundFen(s));
}

export interface LedgerEffects {
  /** the donation itself is to be posted (clearing → foundation or earmark), once */
  postDonation: boolean;
  /** fen newly gone back by this event (refunds, or the rest after a lost dispute): one reversing transaction, 0 when none */
  reversalFen: number;
  /** fen that came back from a reversal already booked, because the refund failed: booked back once, 0 when none */
  restoredFen: number;
}

/**
 * Fen of a paid donation that has gone back: refunds, or all of it when a dispute was lost (the
 * bank took the money back). Never more than the amount; 0 while unpaid. Monotone in the join except when a refund fails (its money is back: effectsOf books it back once).
 */
export function reversedFen(s: PaymentState): number {
  if (!s.paid) return 0;
  const amount = s.amountFen ?? 0;
  if (s.dispute === "lost") return amount;
  return Math.min(netRefundedFen(s), amount);
}

/**
 * What an event changes in the ledger (the webhook books exactly this): the donation when it
 * first becomes paid, and the growth of `reversedFen` — refunds and lost disputes, counted only
 * once the donation is paid (a refund notice that overtakes the payment notice is applied when
 * the payment arrives).
 */
export function effectsOf(before: PaymentState, after: PaymentState): LedgerEffects {
  const change = reversedFen(after) - reversedFen(before);
  return { postDonation: !before.paid && after.paid, reversalFen: Math.max(0, change), restoredFen: Math.max(0, -change) };
}

/** Stripe's refund failure reasons the platform has words for (giving.notice.refundFailure.*); any other reads as "unknown". */
const REFUND_FAILURE_REASONS = new Set(["lost_or_stolen_card", "expired_or_canceled_card", "charge_for_pending_refund_disputed", "insufficient_funds", "declined", "merchant_request", "unknown"]);

/** The message key of a refund's failure reason. */
export const refundFailureKey = (reason: string | null | undefined) => `giving.notice.refundFailure.${reason && REFUND_FAILURE_REASONS.has(reason) ? reason : "unknown"}`;
