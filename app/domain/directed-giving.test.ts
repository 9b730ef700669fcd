import { describe, expect, it } from "vitest";
import {
  CODE_ALPHABET,
  CODE_LENGTH,
  endOfShanghaiDay,
  formatCode,
  InvitationFormSchema,
  invitationState,
  mayRaisePublicly,
  newCode,
  normaliseCode,
  solicitation,
} from "./directed-giving";

const now = new Date("2026-06-01T04:00:00Z");
const directed = { id: "f1", fundraisingFilingNo: null, fundraisingEntity: null };
const filed = { id: "f2", fundraisingFilingNo: "5333-2026-0001", fundraisingEntity: "平湖市慈善总会" };
const inv = (over: Partial<{ foundationId: string; expiresAt: Date | null; maxUses: number | null; uses: number; revokedAt: Date | null }> = {}) => ({
  foundationId: "f1",
  expiresAt: null,
  maxUses: null,
  uses: 0,
  revokedAt: null,
  ...over,
});

describe("who may be solicited", () => {
  it("a fund with a filing (and its entity) asks everyone, with or without an invitation", () => {
    expect(mayRaisePublicly(filed)).toBe(true);
    expect(solicitation(filed, null, now)).toEqual({ ok: true, invitation: "none" });
    expect(solicitation(filed, inv({ foundationId: "f2", revokedAt: now }), now)).toEqual({ ok: true, invitation: "none" });
  });

  it("a filing number without its fundraising entity is not a filing", () => {
    expect(mayRaisePublicly({ fundraisingFilingNo: "5333", fundraisingEntity: null })).toBe(false);
  });

  it("a fund without a filing asks only a holder of a valid invitation of that same fund", () => {
    expect(solicitation(directed, null, now)).toEqual({ ok: false, reason: "noInvitation" });
    expect(solicitation(directed, inv({ foundationId: "f2" }), now)).toEqual({ ok: false, reason: "otherFund" });
    expect(solicitation(directed, inv(), now)).toEqual({ ok: true, invitation: "used" });
  });

  it("refuses a revoked, an expired and a used-up invitation", () => {
    expect(solicitation(directed, inv({ revokedAt: new Date(now.getTime() - 1) }), now)).toEqual({ ok: false, reason: "revoked" });
    expect(solicitation(directed, inv({ expiresAt: now }), now)).toEqual({ ok: false, reason: "expired" });
    expect(solicitation(directed, inv({ maxUses: 3, uses: 3 }), now)).toEqual({ ok: false, reason: "usedUp" });
  });
});

describe("invitation validity", () => {
  it("is good until its expiry instant (exclusive) and while uses stay under the limit", () => {
    expect(invitationState(inv({ expiresAt: new Date(now.getTime() + 1) }), now)).toBe("valid");
    expect(invitationState(inv({ expiresAt: new Date(now.getTime() - 1) }), now)).toBe("expired");
    expect(invitationState(inv({ maxUses: 3, uses: 2 }), now)).toBe("valid");
    expect(invitationState(inv({ maxUses: 1, uses: 5 }), now)).toBe("usedUp");
  });

  it("says revoked before expired or used up", () => {
    expect(invitationState(inv({ revokedAt: now, expiresAt: new Date(0), maxUses: 1, uses: 1 }), now)).toBe("revoked");
    expect(invitationState(inv({ expiresAt: new Date(0), maxUses: 1, uses: 1 }), now)).toBe("expired");
  });

  it("ends a last day at the next midnight in Shanghai, and refuses days that do not exist", () => {
    expect(endOfShanghaiDay("2026-06-01")?.toISOString()).toBe("2026-06-01T16:00:00.000Z");
    expect(endOfShanghaiDay("2026-02-31")).toBeNull();
    expect(endOfShanghaiDay("tomorrow")).toBeNull();
  });
});

describe("codes", () => {
  it("are drawn from the unambiguous alphabet, shown in groups of four", () => {
    let i = 0;
    const code = newCode((n) => i++ % n);
    expect(code).toHaveLength(CODE_LENGTH);
    expect(code.startsWith(CODE_ALPHABET.slice(0, CODE_LENGTH))).toBe(true);
    expect(formatCode("K7QM2XPD9RTF")).toBe("K7QM-2XPD-9RTF");
  });

  it("forgive case, spaces, dashes and full-width characters, and refuse anything else", () => {
    expect(normaliseCode(" k7qm-2xpd 9rtf ")).toBe("K7QM2XPD9RTF");
    expect(normaliseCode("Ｋ７ＱＭ－２ＸＰＤ－９ＲＴＦ")).toBe("K7QM2XPD9RTF");
    expect(normaliseCode("K7QM2XPD9RT0")).toBeNull();
    expect(normaliseCode("K7QM2XPD9RT")).toBeNull();
    expect(normaliseCode("")).toBeNull();
    expect(normaliseCode(null)).toBeNull();
  });
});

describe("the manager's form", () => {
  it("needs the group in both languages; expiry and use limit are optional", () => {
    expect(InvitationFormSchema.safeParse({ audienceZh: "东湖社区居民", audienceEn: "Residents of Donghu" }).success).toBe(true);
    const bad = InvitationFormSchema.safeParse({ audienceZh: "", audienceEn: "x", maxUses: "0", expiresOn: "soon" });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => `${i.path.join(".")}:${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining(["audienceZh:directed.error.audience", "audienceEn:directed.error.audience", "maxUses:directed.error.maxUses", "expiresOn:directed.error.expiry"]),
    );
  });
});
