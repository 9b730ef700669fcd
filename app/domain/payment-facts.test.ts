import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EMPTY_PAYMENT, effectsOf, foldFacts, mergeFact, netRefundedFen, receivedText, reversedFen, statusOf, vetFact, type PaymentFact, type PaymentState } from "./payment-facts";

describe("payment facts", () => {
  it("a card payment: completed and paid at once", () => {
    expect(statusOf(foldFacts([{ kind: "sessionCompleted", paid: true, amountFen: 20_000 }]))).toBe("SUCCEEDED");
  });

  it("an async payment (Alipay, WeChat Pay): processing, then succeeded or failed", () => {
    const completed = foldFacts([{ kind: "sessionCompleted", paid: false, amountFen: 20_000 }]);
    expect(statusOf(completed)).toBe("PROCESSING");
    expect(statusOf(mergeFact(completed, { kind: "paymentSucceeded", amountFen: 20_000 }))).toBe("SUCCEEDED");
    expect(statusOf(mergeFact(completed, { kind: "paymentFailed" }))).toBe("FAILED");
  });

  it("success arriving before the completed event is not undone by it", () => {
    const s = foldFacts([
      { kind: "paymentSucceeded", amountFen: 20_000 },
      { kind: "sessionCompleted", paid: false, amountFen: 20_000 },
    ]);
    expect(statusOf(s)).toBe("SUCCEEDED");
  });

  it("partial and full refunds (cumulative amounts), disputes hold", () => {
    const paid = foldFacts([{ kind: "sessionCompleted", paid: true, amountFen: 20_000 }]);
    expect(statusOf(mergeFact(paid, { kind: "refunded", refundedFen: 5_000 }))).toBe("PARTIALLY_REFUNDED");
    expect(statusOf(foldFacts([{ kind: "refunded", refundedFen: 5_000 }, { kind: "refunded", refundedFen: 20_000 }, { kind: "refunded", refundedFen: 5_000 }], paid))).toBe("REFUNDED");
    expect(statusOf(mergeFact(paid, { kind: "disputeOpened" }))).toBe("DISPUTED");
    expect(statusOf(foldFacts([{ kind: "disputeClosed", won: true }, { kind: "disputeOpened" }], paid))).toBe("SUCCEEDED");
    expect(statusOf(foldFacts([{ kind: "disputeOpened" }, { kind: "disputeClosed", won: false }], paid))).toBe("DISPUTED");
  });

  it("effects: the donation once when it becomes paid, refunds by their growth, a refund that overtook the payment applied with it", () => {
    const paid = foldFacts([{ kind: "sessionCompleted", paid: true, amountFen: 20_000 }]);
    expect(effectsOf(EMPTY_PAYMENT, paid)).toEqual({ postDonation: true, reversalFen: 0, restoredFen: 0 });
    expect(effectsOf(paid, paid)).toEqual({ postDonation: false, reversalFen: 0, restoredFen: 0 });
    const partly = mergeFact(paid, { kind: "refunded", refundedFen: 5_000 });
    expect(effectsOf(paid, partly)).toEqual({ postDonation: false, reversalFen: 5_000, restoredFen: 0 });
    const early = foldFacts([{ kind: "sessionCompleted", paid: false, amountFen: 20_000 }, { kind: "refunded", refundedFen: 20_000 }]);
    expect(effectsOf(EMPTY_PAYMENT, early)).toEqual({ postDonation: false, reversalFen: 0, restoredFen: 0 });
    expect(effectsOf(early, mergeFact(early, { kind: "paymentSucceeded", amountFen: 20_000 }))).toEqual({ postDonation: true, reversalFen: 20_000, restoredFen: 0 });
  });

  it("effects: a lost dispute reverses what refunds had not, once; a won one reverses nothing", () => {
    const paid = foldFacts([{ kind: "sessionCompleted", paid: true, amountFen: 20_000 }]);
    const partly = mergeFact(paid, { kind: "refunded", refundedFen: 5_000 });
    const opened = mergeFact(partly, { kind: "disputeOpened" });
    expect(effectsOf(partly, opened)).toEqual({ postDonation: false, reversalFen: 0, restoredFen: 0 });
    const lost = mergeFact(opened, { kind: "disputeClosed", won: false });
    expect(effectsOf(opened, lost)).toEqual({ postDonation: false, reversalFen: 15_000, restoredFen: 0 });
    expect(effectsOf(lost, mergeFact(lost, { kind: "refunded", refundedFen: 20_000 }))).toEqual({ postDonation: false, reversalFen: 0, restoredFen: 0 });
    expect(effectsOf(opened, mergeFact(opened, { kind: "disputeClosed", won: true }))).toEqual({ postDonation: false, reversalFen: 0, restoredFen: 0 });
    // a lost dispute known before the payment: the whole gift is reversed when it arrives
    const early = foldFacts([{ kind: "disputeOpened" }, { kind: "disputeClosed", won: false }]);
    expect(effectsOf(early, mergeFact(early, { kind: "paymentSucceeded", amountFen: 20_000 }))).toEqual({ postDonation: true, reversalFen: 20_000, restoredFen: 0 });
  });
});

describe("payments in another amount or currency", () => {
  it("vetFact: a paid session, a payment or a charge that disagrees with the donation becomes a hold with what was received", () => {
    expect(vetFact(10_000, { kind: "sessionCompleted", paid: true, amountFen: 10_000, currency: "cny" })).toEqual({ kind: "sessionCompleted", paid: true, amountFen: 10_000, currency: "cny" });
    expect(vetFact(10_000, { kind: "sessionCompleted", paid: true, amountFen: 10_000, currency: "usd" })).toEqual({ kind: "held", received: { amount: 10_000, currency: "usd" } });
    expect(vetFact(10_000, { kind: "sessionCompleted", paid: true, amountFen: 10_000, currency: "JPY" })).toEqual({ kind: "held", received: { amount: 10_000, currency: "jpy" } });
    expect(vetFact(10_000, { kind: "paymentSucceeded", amountFen: 100, currency: "cny" })).toEqual({ kind: "held", received: { amount: 100, currency: "cny" } });
    expect(vetFact(10_000, { kind: "refunded", refundedFen: 100, chargeFen: 100, currency: "cny" })).toEqual({ kind: "held", received: { amount: 100, currency: "cny" } });
    expect(vetFact(10_000, { kind: "refunded", refundedFen: 100, chargeFen: 10_000, currency: "cny" })).toEqual({ kind: "refunded", refundedFen: 100, chargeFen: 10_000, currency: "cny" });
    // no money reported: unchanged (an unpaid completion, a failure, disputes); facts stored before the currency was read were CNY
    expect(vetFact(10_000, { kind: "sessionCompleted", paid: false, amountFen: 1, currency: "usd" })).toEqual({ kind: "sessionCompleted", paid: false, amountFen: 1, currency: "usd" });
    expect(vetFact(10_000, { kind: "paymentSucceeded", amountFen: 10_000 })).toEqual({ kind: "paymentSucceeded", amountFen: 10_000 });
    expect(vetFact(10_000, { kind: "refunded", refundedFen: 10_000 })).toEqual({ kind: "refunded", refundedFen: 10_000 });
    expect(vetFact(10_000, { kind: "disputeOpened" })).toEqual({ kind: "disputeOpened" });
  });

  it("a held payment is HELD and books nothing; refunds and disputes of it book nothing either", () => {
    const held = foldFacts([{ kind: "held", received: { amount: 100, currency: "cny" } }]);
    expect(statusOf(held)).toBe("HELD");
    expect(held.held).toEqual({ amount: 100, currency: "cny" });
    expect(effectsOf(EMPTY_PAYMENT, held)).toEqual({ postDonation: false, reversalFen: 0, restoredFen: 0 });
    const after = foldFacts([{ kind: "refunded", refundedFen: 100 }, { kind: "disputeOpened" }, { kind: "disputeClosed", won: false }], held);
    expect(statusOf(after)).toBe("HELD");
    expect(effectsOf(held, after)).toEqual({ postDonation: false, reversalFen: 0, restoredFen: 0 });
    // a second delivery of the same hold changes nothing
    expect(mergeFact(held, { kind: "held", received: { amount: 100, currency: "cny" } })).toBe(held);
  });

  it("receivedText spells the amount in its currency's unit", () => {
    expect(receivedText({ amount: 100, currency: "cny" })).toBe("1.00 CNY");
    expect(receivedText({ amount: 1_234_567, currency: "usd" })).toBe("12,345.67 USD");
    expect(receivedText({ amount: 10_000, currency: "jpy" })).toBe("10,000 JPY");
    expect(receivedText({ amount: 1_500, currency: "kwd" })).toBe("1.500 KWD");
  });
});

const fact: fc.Arbitrary<PaymentFact> = fc.oneof(
  fc.record({ kind: fc.constant("sessionCompleted" as const), paid: fc.boolean(), amountFen: fc.constant(20_000) }),
  fc.record({ kind: fc.constant("paymentSucceeded" as const), amountFen: fc.constant(20_000) }),
  fc.constant({ kind: "paymentFailed" as const }),
  fc.record({ kind: fc.constant("refunded" as const), refundedFen: fc.integer({ min: 0, max: 20_000 }) }),
  fc.record({ kind: fc.constant("refunded" as const), refundedFen: fc.integer({ min: 0, max: 20_000 }), at: fc.integer({ min: 1, max: 9 }) }),
  // one refund, one amount: re_a of 5,000, re_b of 10,000, each reported failed at any time
  fc.record({ refundId: fc.constantFrom("re_a", "re_b"), at: fc.integer({ min: 1, max: 9 }) }).map(({ refundId, at }) => ({ kind: "refundFailed" as const, refundId, fen: refundId === "re_a" ? 5_000 : 10_000, at })),
  fc.constant({ kind: "disputeOpened" as const }),
  fc.record({ kind: fc.constant("disputeClosed" as const), won: fc.boolean() }),
  fc.record({ kind: fc.constant("held" as const), received: fc.record({ amount: fc.constantFrom(100, 20_000), currency: fc.constantFrom("cny", "usd", "jpy") }) }),
);

describe("any order, any number of deliveries", () => {
  it("every permutation with duplicates of the same facts converges to the same state", () => {
    fc.assert(
      fc.property(fc.array(fact, { minLength: 1, maxLength: 12 }), fc.array(fc.nat(), { maxLength: 30 }), fc.integer(), (facts, dupes, seed) => {
        const delivered = [...facts, ...dupes.map((d) => facts[d % facts.length]!)];
        // a deterministic shuffle
        let x = seed | 0;
        const shuffled = delivered
          .map((f) => ({ f, k: ((x = (Math.imul(x, 1_103_515_245) + 12_345) | 0), x) }))
          .sort((a, b) => a.k - b.k)
          .map((e) => e.f);
        const a = foldFacts(facts);
        const b = foldFacts(shuffled);
        // disputes: won/lost both closed — the join keeps the worse outcome, the same either way
        expect(b).toEqual(a);
      }),
    );
  });

  it("the effects of a delivery sequence add up to the final state: one donation, reversals (refunds and lost disputes) summing to the reversed amount, never beyond the gift", () => {
    fc.assert(
      fc.property(fc.array(fact, { minLength: 1, maxLength: 20 }), (sequence) => {
        let state: PaymentState = EMPTY_PAYMENT;
        let donations = 0;
        let reversed = 0;
        for (const f of sequence) {
          const next = mergeFact(state, f);
          const e = effectsOf(state, next);
          if (e.postDonation) donations++;
          expect(e.reversalFen).toBeGreaterThanOrEqual(0);
          expect(e.restoredFen).toBeGreaterThanOrEqual(0);
          // a refund that failed books back what its reversal took: never both in one step
          expect(e.reversalFen === 0 || e.restoredFen === 0).toBe(true);
          reversed += e.reversalFen - e.restoredFen;
          state = next;
        }
        expect(donations).toBe(state.paid ? 1 : 0);
        expect(reversed).toBe(reversedFen(state));
        expect(reversed).toBe(!state.paid ? 0 : state.dispute === "lost" ? 20_000 : Math.min(netRefundedFen(state), 20_000));
      }),
    );
  });
});

describe("reversedFen and the reversals effectsOf books", () => {
  const paid = foldFacts([{ kind: "sessionCompleted", paid: true, amountFen: 20_000 }]);
  it("counts refunds of a paid donation only, and all of it after a lost dispute", () => {
    expect(reversedFen(foldFacts([{ kind: "refunded", refundedFen: 5_000 }]))).toBe(0);
    expect(reversedFen(mergeFact(paid, { kind: "refunded", refundedFen: 5_000 }))).toBe(5_000);
    const lost = foldFacts([{ kind: "disputeOpened" }, { kind: "disputeClosed", won: false }], paid);
    expect(reversedFen(lost)).toBe(20_000);
    expect(reversedFen(foldFacts([{ kind: "disputeOpened" }, { kind: "disputeClosed", won: true }], paid))).toBe(0);
  });
  it("the reversals of a sequence of events add up to the final reversed amount, in any order", () => {
    const facts: PaymentFact[] = [
      { kind: "sessionCompleted", paid: false, amountFen: 20_000 },
      { kind: "paymentSucceeded", amountFen: 20_000 },
      { kind: "refunded", refundedFen: 3_000 },
      { kind: "refunded", refundedFen: 8_000 },
      { kind: "disputeOpened" },
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray(facts, { minLength: facts.length, maxLength: facts.length }), fc.array(fc.nat(4), { maxLength: 4 }), (order, dupes) => {
        const seq = [...order, ...dupes.map((i) => facts[i]!)];
        let state = EMPTY_PAYMENT;
        let total = 0;
        for (const f of seq) {
          const next = mergeFact(state, f);
          total += effectsOf(state, next).reversalFen;
          state = next;
        }
        expect(total).toBe(8_000);
        expect(total).toBe(reversedFen(state));
      }),
    );
  });
  it("with a lost dispute among them, the reversals add up to the whole gift, in any order", () => {
    const facts: PaymentFact[] = [
      { kind: "sessionCompleted", paid: true, amountFen: 20_000 },
      { kind: "refunded", refundedFen: 3_000 },
      { kind: "disputeOpened" },
      { kind: "disputeClosed", won: false },
      { kind: "refunded", refundedFen: 8_000 },
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray(facts, { minLength: facts.length, maxLength: facts.length }), fc.array(fc.nat(4), { maxLength: 4 }), (order, dupes) => {
        let state = EMPTY_PAYMENT;
        let total = 0;
        for (const f of [...order, ...dupes.map((i) => facts[i]!)]) {
          const next = mergeFact(state, f);
          total += effectsOf(state, next).reversalFen;
          state = next;
        }
        expect(total).toBe(20_000);
      }),
    );
  });
});

describe("refunds that fail", () => {
  const paid = foldFacts([{ kind: "sessionCompleted", paid: true, amountFen: 20_000 }]);
  // refund A (10,000) made at 1, failed at 2 (the charge's amount_refunded falls back to 0); refund B (10,000) made at 3
  const madeA: PaymentFact = { kind: "refunded", refundedFen: 10_000, at: 1 };
  const failedA: PaymentFact = { kind: "refundFailed", refundId: "re_a", fen: 10_000, at: 2 };
  const madeB: PaymentFact = { kind: "refunded", refundedFen: 10_000, at: 3 };

  it("a failure takes its refund off, and a new refund after it counts, though the charge reports the same amount_refunded", () => {
    expect(reversedFen(foldFacts([madeA], paid))).toBe(10_000);
    expect(reversedFen(foldFacts([madeA, failedA], paid))).toBe(0);
    expect(statusOf(foldFacts([madeA, failedA], paid))).toBe("SUCCEEDED");
    expect(reversedFen(foldFacts([madeA, failedA, madeB], paid))).toBe(10_000);
    expect(statusOf(foldFacts([madeA, failedA, madeB], paid))).toBe("PARTIALLY_REFUNDED");
  });

  it("effects: the reversal booked, then booked back once when it fails (every report of the failure), then the new refund", () => {
    const a = foldFacts([madeA], paid);
    const failed = mergeFact(a, failedA);
    expect(effectsOf(a, failed)).toEqual({ postDonation: false, reversalFen: 0, restoredFen: 10_000 });
    // the same failure reported again (refund.updated, charge.refund.updated, a second later): nothing
    expect(effectsOf(failed, mergeFact(failed, { ...failedA, at: 3 } as PaymentFact))).toEqual({ postDonation: false, reversalFen: 0, restoredFen: 0 });
    expect(effectsOf(failed, mergeFact(failed, madeB))).toEqual({ postDonation: false, reversalFen: 10_000, restoredFen: 0 });
  });

  it("in any order and number of deliveries, the same state and the same net reversal", () => {
    const facts = [madeA, failedA, { ...failedA, at: 4 } as PaymentFact, madeB];
    fc.assert(
      fc.property(fc.shuffledSubarray(facts, { minLength: facts.length, maxLength: facts.length }), fc.array(fc.nat(3), { maxLength: 4 }), (order, dupes) => {
        let state = paid;
        let net = 0;
        for (const f of [...order, ...dupes.map((i) => facts[i]!)]) {
          const next = mergeFact(state, f);
          const e = effectsOf(state, next);
          net += e.reversalFen - e.restoredFen;
          state = next;
        }
        expect(state).toEqual(foldFacts(facts, paid));
        expect(net).toBe(10_000);
      }),
    );
  });
});
