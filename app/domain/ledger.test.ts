import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { accountCodes, accountName, accountNameIn, ledgerProblems, MAX_FEN, memoIn, transfer, type EntryInput } from "./ledger";

const code = fc.constantFrom("a", "b", "c", "d", "e", "f").map((s) => `test:${s}`);
const amount = fc.integer({ min: 1, max: MAX_FEN });

/** A movement between two different accounts. */
const movement = fc
  .tuple(code, code, amount)
  .filter(([from, to]) => from !== to)
  .map(([from, to, fen]) => ({ from, to, fen }));

/** A valid transaction: several accounts, amounts summing to zero, none zero. */
const balancedEntries = fc
  .uniqueArray(code, { minLength: 2, maxLength: 6 })
  .chain((codes) =>
    fc.array(fc.integer({ min: 1, max: 1_000_000 }).chain((n) => fc.constantFrom(n, -n)), {
      minLength: codes.length - 1,
      maxLength: codes.length - 1,
    }).map((amounts) => ({ codes, amounts })),
  )
  .filter(({ amounts }) => amounts.reduce((s, a) => s + a, 0) !== 0)
  .map(({ codes, amounts }): EntryInput[] => {
    const last = -amounts.reduce((s, a) => s + a, 0);
    return codes.map((accountCode, i) => ({ accountCode, amountFen: i < amounts.length ? amounts[i]! : last }));
  });

const sum = (entries: readonly EntryInput[]) => entries.reduce((s, e) => s + BigInt(e.amountFen), 0n);

/** Nets entries per account, dropping accounts that net to zero. */
function net(entries: readonly EntryInput[]): EntryInput[] {
  const byCode = new Map<string, number>();
  for (const e of entries) byCode.set(e.accountCode, (byCode.get(e.accountCode) ?? 0) + e.amountFen);
  return [...byCode].filter(([, v]) => v !== 0).map(([accountCode, amountFen]) => ({ accountCode, amountFen }));
}

describe("transfer", () => {
  it("any list of transfers yields entries that each balance and sum to zero together", () => {
    fc.assert(
      fc.property(fc.array(movement, { maxLength: 40 }), (moves) => {
        const all: EntryInput[] = [];
        for (const m of moves) {
          const entries = transfer(m.from, m.to, m.fen);
          expect(ledgerProblems(entries)).toEqual([]);
          expect(sum(entries)).toBe(0n);
          all.push(...entries);
        }
        expect(sum(all)).toBe(0n);
        // the net effect of all of them is itself a postable transaction (or nothing at all)
        const netted = net(all);
        expect(netted.length === 0 || netted.length >= 2).toBe(true);
        if (netted.length) expect(ledgerProblems(netted).filter((p) => p !== "out-of-range")).toEqual([]);
      }),
    );
  });

  it("moves money from the first account to the second", () => {
    expect(transfer("x", "y", 250)).toEqual([
      { accountCode: "x", amountFen: -250 },
      { accountCode: "y", amountFen: 250 },
    ]);
  });
});

describe("ledgerProblems", () => {
  it("accepts every balanced set of distinct, non-zero integer entries", () => {
    fc.assert(
      fc.property(balancedEntries, (entries) => {
        expect(ledgerProblems(entries)).toEqual([]);
      }),
    );
  });

  it("catches every imbalance", () => {
    fc.assert(
      fc.property(balancedEntries, fc.nat(), fc.integer({ min: -1_000_000, max: 1_000_000 }).filter((d) => d !== 0), (entries, i, delta) => {
        const k = i % entries.length;
        const changed = entries.map((e, j) => (j === k ? { ...e, amountFen: e.amountFen + delta } : e));
        expect(ledgerProblems(changed)).toContain("unbalanced");
      }),
    );
  });

  it("catches a zero amount, even when the rest still balances", () => {
    fc.assert(
      fc.property(balancedEntries, fc.constantFrom("z1", "z2"), (entries, extra) => {
        const withZero = [...entries, { accountCode: extra, amountFen: 0 }];
        expect(ledgerProblems(withZero)).toEqual(["zero-amount"]);
      }),
    );
    expect(ledgerProblems(transfer("a", "b", 0))).toEqual(["zero-amount"]);
  });

  it("catches every non-integer amount", () => {
    const notInteger = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
      fc.constantFrom(Number.NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 60), 0.1 + 0.2),
    );
    fc.assert(
      fc.property(balancedEntries, fc.nat(), notInteger, (entries, i, bad) => {
        const k = i % entries.length;
        const changed = entries.map((e, j) => (j === k ? { ...e, amountFen: bad } : e));
        expect(ledgerProblems(changed)).toContain("not-integer");
      }),
    );
  });

  it("catches a duplicate account", () => {
    fc.assert(
      fc.property(balancedEntries, fc.nat(), (entries, i) => {
        const dup = entries[i % entries.length]!;
        // the duplicate keeps the transaction balanced, so the duplicate is the only fault
        const changed = [...entries, { ...dup, amountFen: 7 }, { accountCode: "other", amountFen: -7 }];
        expect(ledgerProblems(changed)).toEqual(["duplicate-account"]);
      }),
    );
    expect(ledgerProblems(transfer("same", "same", 10))).toEqual(["duplicate-account"]);
  });

  it("needs at least two entries", () => {
    expect(ledgerProblems([])).toEqual(["too-few-entries"]);
    fc.assert(
      fc.property(code, amount, (c, fen) => {
        expect(ledgerProblems([{ accountCode: c, amountFen: fen }])).toEqual(expect.arrayContaining(["too-few-entries", "unbalanced"]));
      }),
    );
  });

  it("refuses amounts beyond MAX_FEN", () => {
    expect(ledgerProblems(transfer("a", "b", MAX_FEN))).toEqual([]);
    expect(ledgerProblems(transfer("a", "b", MAX_FEN + 1))).toEqual(["out-of-range"]);
  });
});

describe("accountCodes", () => {
  it("gives each kind of account its own namespace", () => {
    const codes = [
      accountCodes.foundationAvailable("x"),
      accountCodes.roundPool("x"),
      accountCodes.awardCommitted("x"),
      accountCodes.granteePaid("x"),
      accountCodes.matchingPool("x"),
      accountCodes.externalClearing("x"),
      accountCodes.externalAppropriation("x"),
    ];
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe("memoIn: a bilingual memo in the page's language", () => {
  it("takes the Chinese part on a Chinese page and the English part on an English page", () => {
    expect(memoIn("捐赠 G-7K2M9Q4T / Gift G-7K2M9Q4T", "zh-CN")).toBe("捐赠 G-7K2M9Q4T");
    expect(memoIn("捐赠 G-7K2M9Q4T / Gift G-7K2M9Q4T", "en")).toBe("Gift G-7K2M9Q4T");
    expect(memoIn("配捐资金注入 spring-2027 / Matching pool funded", "zh-CN")).toBe("配捐资金注入 spring-2027");
  });

  it("falls back to the whole memo when it has no separator, or one side is empty", () => {
    expect(memoIn("追加拨款", "en")).toBe("追加拨款");
    expect(memoIn("追加拨款", "zh-CN")).toBe("追加拨款");
    expect(memoIn("Appropriation 2026", "zh-CN")).toBe("Appropriation 2026");
    expect(memoIn("a/b", "en")).toBe("a/b");
    expect(memoIn("只有中文 / ", "en")).toBe("只有中文 /");
    expect(memoIn(" / only English", "zh-CN")).toBe("/ only English");
  });

  it("splits at the first separator only", () => {
    expect(memoIn("甲 / A / B", "en")).toBe("A / B");
  });

  it("keeps references that lead the Chinese part in the English part", () => {
    expect(memoIn("JN6-0003 结余退回 / unspent money returned", "en")).toBe("JN6-0003 unspent money returned");
    expect(memoIn("R1 JN6-0003 资助确定 / award final", "en")).toBe("R1 JN6-0003 award final");
    expect(memoIn("捐赠 G-1 / Gift G-1", "en")).toBe("Gift G-1");
  });
});

describe("accountName: readable names of account codes", () => {
  const id = "e6f2a1b3-0000-4000-8000-000000000001";
  it("names every kind of account code in both languages, never showing its ids", () => {
    const codes = [
      accountCodes.foundationAvailable(id),
      accountCodes.roundPool(id),
      accountCodes.awardCommitted(id),
      accountCodes.granteePaid(id),
      accountCodes.matchingPool(id),
      accountCodes.externalClearing("stripe"),
      accountCodes.externalAppropriation(`campaign:${id}`),
      accountCodes.earmark(id, { projectId: id }),
      accountCodes.earmark(id, { roundId: id }),
      accountCodes.externalSponsor(id),
    ];
    const names = codes.map(accountName);
    for (const n of names) {
      expect(n.zh).not.toContain(id.slice(0, 8));
      expect(n.en).not.toContain(id.slice(0, 8));
      expect(n.zh).not.toBe("其他账户");
      expect(n.en).not.toMatch(/:/);
    }
    expect(new Set(names.map((n) => n.zh)).size).toBe(codes.length);
    expect(accountName(accountCodes.earmark(id, { projectId: id }))).toEqual({ zh: "项目定向资金", en: "Funds earmarked for a project" });
    expect(accountNameIn(accountCodes.matchingPool(id), "en")).toBe("Matching pool");
    expect(accountNameIn(accountCodes.matchingPool(id), "zh-CN")).toBe("配捐资金池");
  });

  it("calls a code of no known shape another account", () => {
    expect(accountName("test:a")).toEqual({ zh: "其他账户", en: "Other account" });
    expect(accountName("")).toEqual({ zh: "其他账户", en: "Other account" });
    expect(accountName(`foundation:${id}:available:extra`).zh).toBe("其他账户");
  });
});
