import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  auditHash,
  canonicalJson,
  ChainVerifier,
  GENESIS_HASH,
  verifyChain,
  type AuditContent,
  type ChainRecord,
} from "./audit-chain";

/** Rebuilds an object with its keys (at every level) in a shuffled order. */
function shuffleKeys(value: unknown, rand: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, rand));
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v, rand)]));
}

function content(i: number, overrides: Partial<AuditContent> = {}): AuditContent {
  return {
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    actorId: i % 2 ? `user-${i}` : null,
    action: "round.update",
    objectType: "Round",
    objectId: `round-${i % 3}`,
    before: { status: "DRAFT", n: i },
    after: { status: "OPEN", n: i + 1, tags: ["a", "b"] },
    requestId: null,
    ...overrides,
  };
}

/** A valid chain of n records, built the way audit() writes them. */
function chain(n: number): ChainRecord[] {
  const records: ChainRecord[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const c = content(i);
    const hash = auditHash(prev, c);
    records.push({ ...c, seq: String(i), prevHash: prev, hash });
    prev = hash;
  }
  return records;
}

describe("canonicalJson", () => {
  it("does not depend on key order, at any depth", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), (value, seed) => {
        let s = seed;
        const rand = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
        expect(canonicalJson(shuffleKeys(value, rand))).toBe(canonicalJson(value));
      }),
    );
  });

  it("is valid JSON that parses back to the same value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // JSON has no -0; everything else survives exactly
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it("sorts keys", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it("writes Dates as ISO-8601 strings, the same as the string itself", () => {
    const d = new Date("2026-03-04T05:06:07.089Z");
    expect(canonicalJson(d)).toBe('"2026-03-04T05:06:07.089Z"');
    expect(canonicalJson({ at: d })).toBe(canonicalJson({ at: d.toISOString() }));
  });

  it("writes bigints as decimal strings, beyond the range of a double", () => {
    expect(canonicalJson(12n)).toBe('"12"');
    expect(canonicalJson({ fen: 9_007_199_254_740_993n })).toBe('{"fen":"9007199254740993"}');
  });

  it("drops undefined object members and writes top-level undefined as null", () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson(undefined)).toBe("null");
  });
});

describe("auditHash", () => {
  it("hashes only the content fields, so a stored record re-hashes to its own hash", () => {
    const [r] = chain(1);
    expect(auditHash(r!.prevHash, r!)).toBe(r!.hash);
  });

  it("changes with any content field and with the previous hash", () => {
    const c = content(1);
    const h = auditHash(GENESIS_HASH, c);
    expect(auditHash("f".repeat(64), c)).not.toBe(h);
    expect(auditHash(GENESIS_HASH, { ...c, actorId: "someone-else" })).not.toBe(h);
    expect(auditHash(GENESIS_HASH, { ...c, after: { ...(c.after as object), n: 3 } })).not.toBe(h);
  });
});

describe("verifyChain", () => {
  it("accepts an intact chain and an empty one", () => {
    expect(verifyChain(chain(10))).toEqual([]);
    expect(verifyChain([])).toEqual([]);
  });

  it("detects an edited field in exactly that record", () => {
    const records = chain(6);
    records[3] = { ...records[3]!, after: { status: "CLOSED" } };
    expect(verifyChain(records)).toEqual([{ seq: "4", kind: "content-changed" }]);
  });

  it("detects an edited record whose hash was recomputed, at the next link", () => {
    const records = chain(6);
    const forged = { ...records[2]!, actorId: "intruder" };
    records[2] = { ...forged, hash: auditHash(forged.prevHash, forged) };
    expect(verifyChain(records)).toEqual([{ seq: "4", kind: "broken-link", expectedPrev: records[2]!.hash }]);
  });

  it("detects a removed middle record", () => {
    const records = chain(6);
    const removed = records.splice(2, 1)[0]!;
    expect(verifyChain(records)).toEqual([{ seq: "4", kind: "broken-link", expectedPrev: records[1]!.hash }]);
    expect(removed.seq).toBe("3");
  });

  it("detects a reordered pair", () => {
    const records = chain(6);
    [records[2], records[3]] = [records[3]!, records[2]!];
    const problems = verifyChain(records);
    expect(problems.map((p) => [p.seq, p.kind])).toEqual([
      ["4", "broken-link"],
      ["3", "broken-link"],
      ["5", "broken-link"],
    ]);
  });

  it("detects a removed first record", () => {
    const records = chain(3).slice(1);
    expect(verifyChain(records)).toEqual([{ seq: "2", kind: "broken-link", expectedPrev: GENESIS_HASH }]);
  });

  it("finds the same problems however the records are split into batches", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 7 }),
        fc.nat(),
        (n, batch, tamperAt) => {
          const records = chain(n);
          const i = tamperAt % n;
          records[i] = { ...records[i]!, objectId: "tampered" };
          const verifier = new ChainVerifier();
          for (let start = 0; start < n; start += batch) for (const r of records.slice(start, start + batch)) verifier.push(r);
          const result = verifier.finish();
          expect(result.problems).toEqual(verifyChain(records));
          expect(result.problems).toEqual([{ seq: String(i + 1), kind: "content-changed" }]);
          expect(result.records).toBe(n);
          expect(result.headHash).toBe(records[n - 1]!.hash);
          expect(result.headSeq).toBe(String(n));
        },
      ),
    );
  });
});

describe("ChainVerifier anchors (tail truncation)", () => {
  it("a truncated tail passes the chain check but not a published anchor", () => {
    const records = chain(8);
    const published = { seq: "8", hash: records[7]!.hash };
    const truncated = records.slice(0, 6);
    expect(verifyChain(truncated)).toEqual([]);
    const verifier = new ChainVerifier({ anchors: [published] });
    for (const r of truncated) verifier.push(r);
    expect(verifier.finish().problems).toEqual([{ seq: "8", kind: "anchor-missing", expectedHash: published.hash }]);
  });

  it("accepts a matching anchor and reports a record rewritten since it was published", () => {
    const records = chain(5);
    const ok = new ChainVerifier({ anchors: [{ seq: "3", hash: records[2]!.hash }] });
    records.forEach((r) => ok.push(r));
    expect(ok.finish().problems).toEqual([]);

    const bad = new ChainVerifier({ anchors: [{ seq: "3", hash: "a".repeat(64) }] });
    records.forEach((r) => bad.push(r));
    expect(bad.finish().problems).toEqual([{ seq: "3", kind: "anchor-mismatch", expectedHash: "a".repeat(64) }]);
  });

  it("an empty chain has the genesis hash as its head", () => {
    expect(new ChainVerifier().finish()).toEqual({ records: 0, headHash: GENESIS_HASH, headSeq: null, problems: [], problemsNotListed: 0 });
  });

  it("lists at most maxProblems and counts the rest", () => {
    const records = chain(10).map((r) => ({ ...r, action: "rewritten" }));
    const verifier = new ChainVerifier({ maxProblems: 4 });
    records.forEach((r) => verifier.push(r));
    const result = verifier.finish();
    expect(result.problems).toHaveLength(4);
    expect(result.problemsNotListed).toBe(6);
  });
});
