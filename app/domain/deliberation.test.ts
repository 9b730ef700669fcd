import { describe, expect, it } from "vitest";
import {
  afterResolution,
  afterReview,
  castVoteProblem,
  closeVotingProblem,
  countsProblem,
  DEFAULT_RULES,
  deliberationProblem,
  mayPropose,
  mayRecord,
  mayRemark,
  mayVoteOnline,
  meets,
  onlineTally,
  onlineVotingState,
  openVotingProblem,
  needed,
  ProposeSchema,
  ResolutionSchema,
  ReviewSchema,
  rulesFormValues,
  RulesFormSchema,
  rulesOf,
  tally,
  type CommunityRoleHolder,
  type ResolutionRules,
} from "./deliberation";

const counts = (entitled: number, present: number, votesFor: number, votesAgainst = 0, abstentions = 0) => ({ entitled, present, votesFor, votesAgainst, abstentions });

describe("a matter's states", () => {
  it("a proposed matter is forwarded, sent back for revision or dropped by its review", () => {
    expect(afterReview("PROPOSED", "FORWARD")).toEqual({ status: "FORWARDED" });
    expect(afterReview("PROPOSED", "REVISE")).toEqual({ status: "PROPOSED" });
    expect(afterReview("PROPOSED", "DROP")).toEqual({ status: "DROPPED" });
  });

  it("only a proposed matter is reviewed", () => {
    for (const s of ["FORWARDED", "DROPPED", "PASSED", "FAILED"] as const) {
      expect(afterReview(s, "FORWARD")).toEqual({ problem: "deliberation.error.notProposed" });
    }
  });

  it("only a forwarded matter is resolved, and passes or fails", () => {
    expect(afterResolution("FORWARDED", true)).toEqual({ status: "PASSED" });
    expect(afterResolution("FORWARDED", false)).toEqual({ status: "FAILED" });
    for (const s of ["PROPOSED", "DROPPED", "PASSED", "FAILED"] as const) {
      expect(afterResolution(s, true)).toEqual({ problem: "deliberation.error.notForwarded" });
    }
  });
});

describe("quorum and majority", () => {
  it("more than half is strict: exactly half is not enough", () => {
    expect(meets(5, 10, DEFAULT_RULES.quorum)).toBe(false);
    expect(meets(6, 10, DEFAULT_RULES.quorum)).toBe(true);
    expect(meets(3, 7, DEFAULT_RULES.quorum)).toBe(false);
    expect(meets(4, 7, DEFAULT_RULES.quorum)).toBe(true);
    expect(needed(10, DEFAULT_RULES.quorum)).toBe(6);
    expect(needed(7, DEFAULT_RULES.quorum)).toBe(4);
  });

  it("at least two thirds includes the exact share", () => {
    const t = { num: 2, den: 3, strict: false };
    expect(meets(20, 30, t)).toBe(true);
    expect(meets(19, 30, t)).toBe(false);
    expect(needed(30, t)).toBe(20);
    expect(needed(31, t)).toBe(21);
  });

  it("a meeting without a quorum passes nothing, however it voted", () => {
    expect(tally(counts(40, 20, 20))).toMatchObject({ quorate: false, passed: false, quorumNeeded: 21 });
    expect(tally(counts(40, 21, 11))).toMatchObject({ quorate: true, passed: true, majorityNeeded: 11 });
  });

  it("the majority is of those present: exactly half for does not pass", () => {
    expect(tally(counts(40, 30, 15, 15)).passed).toBe(false);
    expect(tally(counts(40, 30, 16, 14)).passed).toBe(true);
  });

  it("abstentions count as not in favour when the majority is of those present", () => {
    // 14 for, 6 against, 10 abstain: a majority of the votes cast, not of the 30 present
    expect(tally(counts(40, 30, 14, 6, 10)).passed).toBe(false);
    const ofVotesCast: ResolutionRules = { ...DEFAULT_RULES, majorityOf: "VOTES_CAST" };
    expect(tally(counts(40, 30, 14, 6, 10), ofVotesCast).passed).toBe(true);
    expect(tally(counts(40, 30, 10, 10, 10), ofVotesCast).passed).toBe(false);
  });

  it("a configured two-thirds majority refuses what a simple majority passes", () => {
    const twoThirds: ResolutionRules = { ...DEFAULT_RULES, majority: { num: 2, den: 3, strict: false } };
    expect(tally(counts(30, 30, 19, 11), twoThirds).passed).toBe(false);
    expect(tally(counts(30, 30, 20, 10), twoThirds).passed).toBe(true);
    expect(tally(counts(30, 30, 19, 11)).passed).toBe(true);
  });

  it("impossible counts are refused", () => {
    expect(countsProblem(counts(0, 0, 0))?.field).toBe("entitled");
    expect(countsProblem(counts(10, 11, 0))?.field).toBe("present");
    expect(countsProblem(counts(10, 8, 5, 3, 1))?.field).toBe("votesFor");
    expect(countsProblem(counts(10, 8, 5, 2, 1))).toBeNull();
  });

  it("stored rules below half, or malformed, fall back to the defaults", () => {
    expect(rulesOf(null)).toEqual(DEFAULT_RULES);
    expect(rulesOf({ quorum: { num: 1, den: 3, strict: false }, majority: DEFAULT_RULES.majority, majorityOf: "PRESENT" })).toEqual(DEFAULT_RULES);
    const twoThirds = { quorum: { num: 2, den: 3, strict: false }, majority: DEFAULT_RULES.majority, majorityOf: "VOTES_CAST" };
    expect(rulesOf(twoThirds)).toEqual(twoThirds);
  });

  it("stored rules that let a tie decide (at least half) fall back to the defaults", () => {
    expect(rulesOf({ quorum: DEFAULT_RULES.quorum, majority: { num: 1, den: 2, strict: false }, majorityOf: "PRESENT" })).toEqual(DEFAULT_RULES);
  });

  it("the rules form takes stricter rules, refuses a fraction over one or below more than half, and reads back what it shows", () => {
    const form = (over: Record<string, string>) => RulesFormSchema.safeParse({ ...rulesFormValues(DEFAULT_RULES), ...over });
    expect(form({}).data).toEqual(DEFAULT_RULES);
    expect(form({ quorumNum: "2", quorumDen: "3", quorumComparison: "AT_LEAST", majorityOf: "VOTES_CAST" }).data).toEqual({
      quorum: { num: 2, den: 3, strict: false },
      majority: DEFAULT_RULES.majority,
      majorityOf: "VOTES_CAST",
    });
    const issue = (over: Record<string, string>) => form(over).error?.issues.map((i) => [i.path.join("."), i.message]);
    expect(issue({ majorityComparison: "AT_LEAST" })).toEqual([["majorityNum", "deliberation.error.belowHalf"]]);
    expect(issue({ quorumNum: "2", quorumDen: "5" })).toEqual([["quorumNum", "deliberation.error.belowHalf"]]);
    expect(issue({ quorumNum: "4", quorumDen: "3" })).toEqual([["quorumNum", "deliberation.error.fractionOverOne"]]);
    expect(issue({ quorumDen: "0" })).toEqual([["quorumDen", "deliberation.error.fraction"]]);
    expect(issue({ majorityDen: "21" })).toEqual([["majorityDen", "deliberation.error.fraction"]]);
  });

  it("the resolution form refuses more votes than people present", () => {
    const r = ResolutionSchema.safeParse({ body: "REPRESENTATIVES_MEETING", meetingOn: "2026-12-01", place: "社区会议室", entitled: "40", present: "30", votesFor: "20", votesAgainst: "8", abstentions: "3", text: "同意实施该项目并公开实施过程。" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ path: ["votesFor"], message: "deliberation.error.votesOverPresent" });
  });
});

describe("who takes each step", () => {
  const community = "/pinghu/danghu/songfeng/";
  const person = (over: Partial<CommunityRoleHolder>): CommunityRoleHolder => ({ id: "u", grants: [], communityRoles: [], ...over });

  it("an official of the community or above proposes and records", () => {
    const official = person({ grants: [{ role: "OFFICIAL", areaPath: "/pinghu/danghu/", areaLevel: "SUBDISTRICT" }] });
    expect(mayPropose(official, community)).toBe(true);
    expect(mayRecord(official, community)).toBe(true);
    expect(mayRemark(official, community)).toBe(false);
  });

  it("the branch secretary proposes; a committee member records but does not propose", () => {
    const secretary = person({ communityRoles: [{ role: "SECRETARY", areaPath: community }] });
    const member = person({ communityRoles: [{ role: "COMMITTEE_MEMBER", areaPath: community }] });
    expect(mayPropose(secretary, community)).toBe(true);
    expect(mayPropose(member, community)).toBe(false);
    expect(mayRecord(member, community)).toBe(true);
  });

  it("a role of one community gives nothing in another; supervisors only remark", () => {
    const secretary = person({ communityRoles: [{ role: "SECRETARY", areaPath: "/pinghu/danghu/other/" }] });
    expect(mayPropose(secretary, community)).toBe(false);
    const supervisor = person({ communityRoles: [{ role: "SUPERVISOR", areaPath: community }] });
    expect(mayRemark(supervisor, community)).toBe(true);
    expect(mayRecord(supervisor, community)).toBe(false);
    expect(mayPropose(supervisor, community)).toBe(false);
  });
});

describe("publishing a topic", () => {
  it("a round requiring deliberation takes only needs of a passed matter", () => {
    expect(deliberationProblem({ requiresDeliberation: true }, [])).toBe("needs.error.notDeliberated");
    expect(deliberationProblem({ requiresDeliberation: true }, ["FORWARDED", "FAILED"])).toBe("needs.error.notDeliberated");
    expect(deliberationProblem({ requiresDeliberation: true }, ["FAILED", "PASSED"])).toBeNull();
    expect(deliberationProblem({ requiresDeliberation: false }, [])).toBeNull();
  });
});

describe("the proposal form", () => {
  it("reads need numbers separated by commas or spaces, each once", () => {
    const r = ProposeSchema.parse({ title: "加装电梯议题", needs: "12, 3，12 7", rationale: "居民呼声最高的三项需求，合并议定。" });
    expect(r.needs).toEqual([3, 7, 12]);
  });

  it("refuses a need number that is not a number", () => {
    const r = ProposeSchema.safeParse({ title: "加装电梯议题", needs: "12, x", rationale: "居民呼声最高的三项需求，合并议定。" });
    expect(r.success).toBe(false);
  });
});

describe("the review form", () => {
  it("reads office holders' names from lines or commas, and reads a list already read the same way", () => {
    const base = { body: "RESIDENTS_COMMITTEE", meetingOn: "2026-11-02", place: "社区会议室", attendeesEntitled: "9", attendeesPresent: "7", minutes: "会议讨论了该议题，同意提交决议。", outcome: "FORWARD", reasons: "需求迫切。" };
    const once = ReviewSchema.parse({ ...base, officeHolders: "张三，李四\n王五" });
    expect(once.officeHolders).toEqual(["张三", "李四", "王五"]);
    expect(ReviewSchema.parse({ ...base, officeHolders: once.officeHolders }).officeHolders).toEqual(["张三", "李四", "王五"]);
    expect(ReviewSchema.parse({ ...base, officeHolders: undefined }).officeHolders).toEqual([]);
  });
});

describe("online voting by residents' representatives", () => {
  const community = "/pinghu/danghu/a/";
  const holder = (role: "RESIDENT_REPRESENTATIVE" | "COMMITTEE_MEMBER", areaPath = community): CommunityRoleHolder => ({ id: "u", grants: [], communityRoles: [{ role, areaPath }] });

  it("opens once on a forwarded matter, takes votes while open and the matter waits, closes once", () => {
    expect(onlineVotingState({ onlineVotingOpenedAt: null, onlineVotingClosedAt: null })).toBe("NONE");
    expect(onlineVotingState({ onlineVotingOpenedAt: new Date(), onlineVotingClosedAt: null })).toBe("OPEN");
    expect(onlineVotingState({ onlineVotingOpenedAt: new Date(), onlineVotingClosedAt: new Date() })).toBe("CLOSED");
    expect(openVotingProblem("FORWARDED", "NONE")).toBeNull();
    expect(openVotingProblem("PROPOSED", "NONE")).toBe("deliberation.error.notForwarded");
    expect(openVotingProblem("FORWARDED", "CLOSED")).toBe("deliberation.error.votingOpened");
    expect(castVoteProblem("FORWARDED", "OPEN")).toBeNull();
    expect(castVoteProblem("PASSED", "OPEN")).toBe("deliberation.error.votingNotOpen");
    expect(castVoteProblem("FORWARDED", "CLOSED")).toBe("deliberation.error.votingNotOpen");
    expect(closeVotingProblem("OPEN")).toBeNull();
    expect(closeVotingProblem("NONE")).toBe("deliberation.error.votingNotOpen");
  });

  it("only the community's representatives vote, and the tally counts each choice", () => {
    expect(mayVoteOnline(holder("RESIDENT_REPRESENTATIVE"), community)).toBe(true);
    expect(mayVoteOnline(holder("COMMITTEE_MEMBER"), community)).toBe(false);
    expect(mayVoteOnline(holder("RESIDENT_REPRESENTATIVE", "/pinghu/danghu/b/"), community)).toBe(false);
    expect(onlineTally([{ choice: "FOR" }, { choice: "FOR" }, { choice: "ABSTAIN" }])).toEqual({ votesFor: 2, votesAgainst: 0, abstentions: 1, voted: 3 });
  });
});
