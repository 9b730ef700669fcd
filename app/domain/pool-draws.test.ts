import { describe, expect, it } from "vitest";
import type { GrantHolder, ScopedGrant } from "./permissions";
import {
  ApproveDrawSchema,
  decisionStatus,
  drawAuthority,
  drawDecisionProblem,
  drawPendingMoveProblem,
  drawRequestProblem,
  drawWithdrawProblem,
  RejectDrawSchema,
} from "./pool-draws";

const SUBDISTRICT = "/pinghu/danghu/";
const SONGFENG = "/pinghu/danghu/songfeng/";
const FENGHUANG = "/pinghu/danghu/fenghuang/";
const OTHER_SUBDISTRICT = "/pinghu/zhongdai/";

const official = (id: string, areaPath: string, areaLevel: ScopedGrant["areaLevel"]): GrantHolder => ({
  id,
  grants: [{ role: "OFFICIAL", areaPath, areaLevel }],
});
const subdistrict = official("sub", SUBDISTRICT, "SUBDISTRICT");
const subdistrict2 = official("sub2", SUBDISTRICT, "SUBDISTRICT");
const district = official("district", "/pinghu/", "DISTRICT");
const songfeng = official("songfeng", SONGFENG, "COMMUNITY");
const fenghuang = official("fenghuang", FENGHUANG, "COMMUNITY");
const elsewhere = official("elsewhere", OTHER_SUBDISTRICT, "SUBDISTRICT");
const admin: GrantHolder = { id: "admin", grants: [{ role: "ADMIN", areaPath: "/pinghu/", areaLevel: "DISTRICT" }] };
const judge: GrantHolder = { id: "judge", grants: [{ role: "JUDGE", areaPath: SUBDISTRICT, areaLevel: "SUBDISTRICT" }] };

describe("who may fund a round from a fund", () => {
  const atSongfeng = { roundAreaPath: SONGFENG, fundAreaPath: SUBDISTRICT };

  it("an official of the fund's area, or above, or an administrator draws directly", () => {
    expect(drawAuthority(subdistrict, atSongfeng)).toBe("direct");
    expect(drawAuthority(district, atSongfeng)).toBe("direct");
    expect(drawAuthority(admin, atSongfeng)).toBe("direct");
    // a community official drawing on their own community's fund
    expect(drawAuthority(songfeng, { roundAreaPath: SONGFENG, fundAreaPath: SONGFENG })).toBe("direct");
  });

  it("a community official may only request a draw on the subdistrict's fund", () => {
    expect(drawAuthority(songfeng, atSongfeng)).toBe("request");
  });

  it("nobody else, and no fund that does not cover the round's area", () => {
    expect(drawAuthority(fenghuang, atSongfeng)).toBe("none");
    expect(drawAuthority(elsewhere, atSongfeng)).toBe("none");
    expect(drawAuthority(judge, atSongfeng)).toBe("none");
    expect(drawAuthority({ grants: [] }, atSongfeng)).toBe("none");
    // a community's fund does not fund a round of the subdistrict, nor of another community
    expect(drawAuthority(subdistrict, { roundAreaPath: SUBDISTRICT, fundAreaPath: SONGFENG })).toBe("none");
    expect(drawAuthority(songfeng, { roundAreaPath: FENGHUANG, fundAreaPath: SONGFENG })).toBe("none");
  });
});

describe("requesting a draw", () => {
  it("asks for more money for a draft round, one request at a time", () => {
    expect(drawRequestProblem({ phase: "DRAFT", deltaFen: 1_000_000, pending: false })).toBeNull();
    expect(drawRequestProblem({ phase: "DRAFT", deltaFen: 1_000_000, pending: true })).toBe("rounds.draw.alreadyPending");
  });

  it("never once the round is open, and never to hand the fund's money back", () => {
    expect(drawRequestProblem({ phase: "NEEDS", deltaFen: 1_000_000, pending: false })).toBe("rounds.draw.notDraft");
    expect(drawRequestProblem({ phase: "PROPOSALS", deltaFen: 1, pending: false })).toBe("rounds.draw.notDraft");
    expect(drawRequestProblem({ phase: "DRAFT", deltaFen: -1, pending: false })).toBe("rounds.foundation.notYours");
  });
});

describe("deciding a draw", () => {
  const pending = { fundAreaPath: SUBDISTRICT, requestedById: songfeng.id, status: "PENDING" };

  it("an official of the fund's area (or above) who did not ask approves or rejects", () => {
    expect(drawDecisionProblem(subdistrict, pending)).toBeNull();
    expect(drawDecisionProblem(district, pending)).toBeNull();
    expect(drawDecisionProblem(admin, pending)).toBeNull();
  });

  it("the person who asked cannot decide, even holding the fund's area too (four eyes)", () => {
    expect(drawDecisionProblem(songfeng, pending)).toBe("rounds.draw.notYours");
    const promoted: GrantHolder = { id: songfeng.id, grants: [...songfeng.grants, ...subdistrict.grants] };
    expect(drawDecisionProblem(promoted, pending)).toBe("rounds.draw.sameOfficial");
    expect(drawDecisionProblem(subdistrict, { ...pending, requestedById: subdistrict.id })).toBe("rounds.draw.sameOfficial");
    expect(drawDecisionProblem(subdistrict2, { ...pending, requestedById: subdistrict.id })).toBeNull();
  });

  it("officials of other areas, and of the round's own community, cannot decide", () => {
    expect(drawDecisionProblem(fenghuang, pending)).toBe("rounds.draw.notYours");
    expect(drawDecisionProblem(elsewhere, pending)).toBe("rounds.draw.notYours");
    expect(drawDecisionProblem(official("songfeng2", SONGFENG, "COMMUNITY"), pending)).toBe("rounds.draw.notYours");
    expect(drawDecisionProblem(judge, pending)).toBe("rounds.draw.notYours");
  });

  it("a decided draw is decided", () => {
    for (const status of ["APPROVED", "REJECTED", "WITHDRAWN"]) expect(drawDecisionProblem(subdistrict, { ...pending, status })).toBe("rounds.draw.decided");
    expect(decisionStatus("rounds.draw.decided")).toBe(409);
    expect(decisionStatus("rounds.draw.notYours")).toBe(403);
    expect(decisionStatus("rounds.draw.sameOfficial")).toBe(403);
  });

  it("only the person who asked withdraws, while it waits", () => {
    expect(drawWithdrawProblem(songfeng, pending)).toBeNull();
    expect(drawWithdrawProblem(subdistrict, pending)).toBe("rounds.draw.notRequester");
    expect(drawWithdrawProblem(songfeng, { ...pending, status: "REJECTED" })).toBe("rounds.draw.decided");
  });

  it("a rejection says why; an approval may carry a note", () => {
    expect(RejectDrawSchema.safeParse({ intent: "rejectDraw", drawId: "d1", reason: "  " }).error?.issues[0]?.message).toBe("rounds.draw.reason.required");
    expect(RejectDrawSchema.safeParse({ intent: "rejectDraw", drawId: "d1" }).error?.issues[0]?.message).toBe("rounds.draw.reason.required");
    expect(RejectDrawSchema.parse({ intent: "rejectDraw", drawId: "d1", reason: " 本年度基金已安排 " }).reason).toBe("本年度基金已安排");
    expect(ApproveDrawSchema.parse({ intent: "approveDraw", drawId: "d1" }).reason).toBeUndefined();
  });
});

describe("a waiting draw keeps the round a draft", () => {
  it("refuses the move out of DRAFT only", () => {
    expect(drawPendingMoveProblem("DRAFT", true)).toBe("rounds.phase.drawPending");
    expect(drawPendingMoveProblem("DRAFT", false)).toBeNull();
    expect(drawPendingMoveProblem("NEEDS", true)).toBeNull();
  });
});
