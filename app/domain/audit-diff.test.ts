import { describe, expect, it } from "vitest";
import { auditDiff, diffLineText, flattenJson, maskAuditValue } from "./audit-diff";
import { maskEmail } from "./pii";

describe("auditDiff", () => {
  it("lists changed, added and removed keys in key order and leaves equal keys out", () => {
    expect(auditDiff({ phase: "DRAFT", pool: 100, kept: "x", gone: true }, { phase: "OPEN", pool: 100, kept: "x", added: 3 })).toEqual([
      { key: "added", change: "added", after: { text: "3" } },
      { key: "gone", change: "removed", before: { text: "true" } },
      { key: "phase", change: "changed", before: { text: "DRAFT" }, after: { text: "OPEN" } },
    ]);
  });

  it("treats a missing before or after as nothing: a creation is all additions, a deletion all removals", () => {
    expect(auditDiff(null, { code: "JN7" })).toEqual([{ key: "code", change: "added", after: { text: "JN7" } }]);
    expect(auditDiff({ code: "JN7" }, undefined)).toEqual([{ key: "code", change: "removed", before: { text: "JN7" } }]);
    expect(auditDiff(null, null)).toEqual([]);
  });

  it("compares nested objects key by key, with dotted paths", () => {
    expect(auditDiff({ budget: { total: 5, lines: [{ item: "场地" }] } }, { budget: { total: 6, lines: [{ item: "场地" }] } })).toEqual([
      { key: "budget.total", change: "changed", before: { text: "5" }, after: { text: "6" } },
    ]);
    expect(flattenJson({ a: { b: [1, { c: 2 }] }, e: {} })).toEqual(new Map<string, unknown>([["a.b.0", 1], ["a.b.1.c", 2], ["e", {}]]));
    expect(flattenJson("plain")).toEqual(new Map([["", "plain"]]));
  });

  it("masks names, phone numbers and e-mail addresses, and never shows secrets or ciphertext", () => {
    const lines = auditDiff(
      { name: "张三丰", email: "wang.fang@example.com", phone: "13812345678", nameEnc: "v1:aaaa:bbbb:cccc" },
      { name: "李四", email: "li.si@example.com", phone: "13900001111", nameEnc: "v1:dddd:eeee:ffff", tokenHash: "abc", note: "请联系 wang.fang@example.com", sealed: "v1:QUJD:REVG:R0hJ" },
    );
    const byKey = Object.fromEntries(lines.map((l) => [l.key, l]));
    expect(byKey.name).toMatchObject({ before: { text: "张**" }, after: { text: "李*" } });
    expect(byKey.email).toMatchObject({ before: { text: "wa***@example.com" }, after: { text: "li***@example.com" } });
    expect(byKey.phone).toMatchObject({ before: { text: "138****5678" }, after: { text: "139****1111" } });
    expect(byKey.nameEnc).toMatchObject({ before: { hidden: "secret" }, after: { hidden: "secret" } });
    expect(byKey.tokenHash).toMatchObject({ after: { hidden: "secret" } });
    expect(byKey.note).toMatchObject({ after: { text: "请联系 wa***@example.com" } });
    expect(byKey.sealed).toMatchObject({ after: { hidden: "encrypted" } });
    expect(JSON.stringify(lines)).not.toMatch(/张三丰|wang\.fang@|13812345678|v1:/);
  });

  it("masks names inside lists and leaves the names of places and an erasure's pseudonym readable", () => {
    expect(maskAuditValue("members.2.name", "王小明")).toEqual({ text: "王**" });
    expect(maskAuditValue("judgeName", "赵六")).toEqual({ text: "赵*" });
    expect(maskAuditValue("nameZh", "当湖街道")).toEqual({ text: "当湖街道" });
    expect(maskAuditValue("name", "已注销用户-ABC123")).toEqual({ text: "已注销用户-ABC123" });
    expect(maskAuditValue("email", "x@y.cn")).toEqual({ text: maskEmail("x@y.cn") });
  });

  it("renders a line as text for the CSV", () => {
    const hidden = (why: string) => `[${why}]`;
    const [changed, added, removed] = [...auditDiff({ a: 1, c: 3 }, { a: 2, b: "v1:QQ:QQ:QQ" })];
    expect(diffLineText(changed!, hidden)).toBe("a: 1 → 2");
    expect(diffLineText(added!, hidden)).toBe("b: + [encrypted]");
    expect(diffLineText(removed!, hidden)).toBe("c: − 3");
  });
});
