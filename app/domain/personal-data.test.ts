import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { messages } from "~/locales";
import { auditHash, GENESIS_HASH, redactionVouchers, ChainVerifier, type AuditContent } from "./audit-chain";
import {
  catalogued,
  erasedEmail,
  erasureBlockers,
  looksPersonal,
  NOT_PERSONAL,
  PERSONAL_DATA,
  pseudonymCode,
  pseudonymName,
  referenceColumns,
  replaceInJson,
  RETENTION,
  RETENTION_ROWS,
  subjectTables,
} from "./personal-data";
import { privacyMarkdown } from "./privacy-doc";

describe("catalogue of personal data", () => {
  it("docs/privacy.md is generated from the catalogue (run `npm run privacy:doc` after changing it)", () => {
    expect(fs.readFileSync("docs/privacy.md", "utf8")).toBe(privacyMarkdown());
  });

  it("the retention table is the canonical one, row for row, and the page's English is the same text", () => {
    expect(RETENTION_ROWS.map((r) => r.key)).toEqual(["account", "signIn", "phone", "wechat", "consent", "gifts", "participation", "proposals", "uploads", "audit", "mail", "exports"]);
    expect(RETENTION.gifts.keptFor).toBe("30 years (Measures on the Management of Accounting Archives: accounting vouchers)");
    const m = messages as Record<string, { zh: string; en: string }>;
    for (const r of RETENTION_ROWS) {
      expect(m[`privacy.retention.${r.key}.data`]?.en).toBe(r.data);
      expect(m[`privacy.retention.${r.key}.keptFor`]?.en).toBe(r.keptFor);
      expect(m[`privacy.retention.${r.key}.onDeletion`]?.en).toBe(r.onDeletion);
    }
  });

  it("files the mobile number, SMS codes and WeChat identifiers under their own retention rows", () => {
    const retentionOf = (table: string, column: string) => PERSONAL_DATA.find((t) => t.table === table)?.columns.find((c) => c.column === column)?.retention;
    for (const column of ["phoneEnc", "phoneHmac", "phoneVerifiedAt"]) expect(retentionOf("User", column)).toBe("phone");
    expect(retentionOf("SmsCode", "phoneHmac")).toBe("phone");
    for (const column of ["openId", "unionId", "userId"]) expect(retentionOf("WechatIdentity", column)).toBe("wechat");
    expect(retentionOf("WechatAuthState", "userId")).toBe("wechat");
  });

  it("names each column once, never both personal and not personal", () => {
    const all = PERSONAL_DATA.flatMap((t) => t.columns.map((c) => `${t.table}.${c.column}`));
    expect(new Set(all).size).toBe(all.length);
    for (const key of Object.keys(NOT_PERSONAL)) expect(catalogued().has(key)).toBe(false);
  });

  it("subject columns are columns of their table; reference columns are the account ids of tables that are not the person's own", () => {
    for (const t of subjectTables()) {
      const cols = new Set([...t.columns.map((c) => c.column), "id"]);
      for (const c of [...t.subject.byUser, ...(t.subject.byEmail ?? [])]) expect(cols.has(c)).toBe(true);
    }
    const refs = referenceColumns().map((r) => `${r.table}.${r.column}`);
    expect(refs).toContain("ScreeningDecision.decidedById");
    expect(refs).toContain("Invitation.invitedById");
    expect(refs).not.toContain("Need.authorId");
  });

  it("takes names, contacts and account references for personal, not other words", () => {
    for (const c of ["name", "donorName", "email", "toAddress", "ip", "userAgent", "message", "decidedById", "userId", "actorId", "phoneEnc"]) expect(looksPersonal(c)).toBe(true);
    for (const c of ["description", "recipe", "amountFen", "status", "shipping"]) expect(looksPersonal(c)).toBe(false);
  });
});

describe("pseudonyms and scrubbing", () => {
  it("six Crockford characters from a digest, stable, no ambiguous letters", () => {
    const code = pseudonymCode(new Uint8Array([0xff, 0x00, 0x12, 0x34, 0x56, 0x78, 0x9a]));
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{6}$/);
    expect(pseudonymCode(new Uint8Array([0xff, 0x00, 0x12, 0x34, 0x56, 0x78, 0x9a]))).toBe(code);
    expect(pseudonymName("7K2M9Q")).toBe("已注销用户-7K2M9Q");
    expect(erasedEmail("7K2M9Q", "u1")).toBe("erased-7k2m9q-u1@erased.invalid");
  });

  it("replaces a name and an address in every string of a JSON value, keys kept", () => {
    const v = { name: "王小明", to: ["wxm@example.com", "x"], nested: { note: "王小明 asked", n: 3 } };
    expect(replaceInJson(v, ["wxm@example.com", "王小明"], "P")).toEqual({ name: "P", to: ["P", "x"], nested: { note: "P asked", n: 3 } });
  });
});

describe("what blocks deletion", () => {
  const none = { activeRoles: [], activeMonthlyGifts: [], giftsInProgress: 0, soleManagerOf: [] };
  it("nothing for a plain resident", () => expect(erasureBlockers(none)).toEqual([]));
  it("a staff role, a monthly gift, a gift being paid, an organisation left without a manager", () => {
    expect(
      erasureBlockers({ activeRoles: ["OFFICIAL", "JUDGE", "OFFICIAL"], activeMonthlyGifts: [{ token: "t" }], giftsInProgress: 1, soleManagerOf: [{ id: "o", name: "松枫邻里" }] }),
    ).toEqual([
      { kind: "staffRole", roles: ["JUDGE", "OFFICIAL"] },
      { kind: "monthlyGift", token: "t" },
      { kind: "giftInProgress" },
      { kind: "soleManager", organizationId: "o", organizationName: "松枫邻里" },
    ]);
  });
});

describe("audit chain with a redacted record", () => {
  const content = (i: number, after: unknown): AuditContent => ({ at: `2026-01-0${i}T00:00:00.000Z`, actorId: "a", action: "x", objectType: "T", objectId: String(i), before: null, after, requestId: null });
  it("a rewritten record holds only when a later record vouches for exactly its new content", () => {
    const h1 = auditHash(GENESIS_HASH, content(1, { email: "p@example.com" }));
    const redacted = { ...content(1, { email: "P" }), seq: "1", prevHash: GENESIS_HASH, hash: h1 };
    const residual = auditHash(GENESIS_HASH, redacted);
    const voucherContent = { ...content(2, { seq: "1", residualHash: residual }), action: "audit.redacted" };
    const voucher = { ...voucherContent, seq: "2", prevHash: h1, hash: auditHash(h1, voucherContent) };

    const plain = new ChainVerifier();
    plain.push(redacted);
    expect(plain.finish().problems).toEqual([{ seq: "1", kind: "content-changed" }]);

    const vouched = new ChainVerifier({ redactions: redactionVouchers([voucher]) });
    vouched.push(redacted);
    vouched.push(voucher);
    expect(vouched.finish().problems).toEqual([]);

    // changed again after the redaction: no longer what the voucher says
    const tampered = new ChainVerifier({ redactions: redactionVouchers([voucher]) });
    tampered.push({ ...redacted, after: { email: "Q" } });
    expect(tampered.finish().problems).toEqual([{ seq: "1", kind: "content-changed" }]);

    // a voucher only counts for a record before it
    expect(redactionVouchers([{ ...voucher, seq: "1" }]).size).toBe(0);
  });
});
