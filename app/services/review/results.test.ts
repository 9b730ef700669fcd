import { describe, expect, it } from "vitest";
import { DEFAULT_CATEGORIES } from "~/domain/categories";
import { DEFAULT_RUBRIC } from "~/domain/rounds";
import { computeResults, type loadResultInputs } from "./results.server";

type Inputs = Awaited<ReturnType<typeof loadResultInputs>>;

const round = {
  id: "r",
  rubric: DEFAULT_RUBRIC as never,
  categories: DEFAULT_CATEGORIES as never,
  weightReview: 100,
  weightRoadshow: 0,
  weightPublicVote: 0,
  zScore: false,
  disagreementRange: 30,
  poolFen: 2_000_000n,
  minAwardFen: 500_000,
  maxAwardFen: 1_500_000,
  minScore: 60,
  communityCapFen: null,
  categoryCapFen: null as bigint | null,
};

const proposal = (id: string, category: string, requestedFen: number, minute: number) => ({
  id,
  referenceNo: `T-${id}`,
  title: id,
  submittedAt: new Date(Date.UTC(2026, 0, 1, 0, minute)),
  requestedFen,
  communityId: "c1",
  category,
  organizationId: `o-${id}`,
  organization: { name: `org ${id}` },
  community: { code: "c1", nameZh: "社区", nameEn: "Community" },
});

/** Every criterion at `share` of its maximum (halves kept). */
const sheet = (proposalId: string, judgeId: string, share: number) => ({
  proposalId,
  judgeId,
  scores: Object.fromEntries(DEFAULT_RUBRIC.map((c) => [c.key, Math.round(c.maxPoints * share * 2) / 2])),
});

function inputs(over: Partial<Inputs> = {}): Inputs {
  return {
    proposals: [proposal("a", "PUBLIC_SERVICE", 1_200_000, 1), proposal("b", "PUBLIC_SERVICE", 1_000_000, 2), proposal("c", "CULTURE_SPORTS", 800_000, 3)],
    sheets: ["j1", "j2", "j3"].flatMap((j) => [sheet("a", j, 0.9), sheet("b", j, 0.8)]),
    roadshow: new Map(),
    votes: new Map(),
    overrides: [],
    ...over,
  };
}

describe("computeResults (stored inputs → ranking → allocation)", () => {
  it("ranks by the mean of the judges, funds while the pool lasts, and treats an unscored proposal as below the minimum", () => {
    const r = computeResults(round, inputs());
    expect(r.ranking.ok).toBe(true);
    const lines = r.allocation!.ok ? r.allocation!.lines : [];
    expect(lines.map((l) => [l.id, l.outcome, l.awardFen])).toEqual([
      ["a", "FUNDED", 1_200_000],
      ["b", "PARTIAL", 800_000],
      ["c", "BELOW_MINIMUM", 0],
    ]);
  });

  it("applies the round's one category cap to every category of the round", () => {
    const r = computeResults({ ...round, poolFen: 5_000_000n, categoryCapFen: 1_500_000n }, inputs());
    const lines = r.allocation!.ok ? r.allocation!.lines : [];
    // a takes 1.2M of PUBLIC_SERVICE's 1.5M cap; b (1.0M) no longer fits in full, the 0.3M left is under the minimum award
    expect(lines.find((l) => l.id === "b")).toMatchObject({ outcome: "WAITLIST", awardFen: 0 });
    expect(lines.find((l) => l.id === "b")!.reasonCodes).toContain("categoryCap");
  });

  it("passes the officials' overrides with their reasons", () => {
    const r = computeResults(
      round,
      inputs({ overrides: [{ id: "o1", proposalId: "a", kind: "exclude", reason: "重复申报", createdAt: new Date(), createdById: "u" }] }),
    );
    const lines = r.allocation!.ok ? r.allocation!.lines : [];
    expect(lines.find((l) => l.id === "a")).toMatchObject({ outcome: "EXCLUDED", awardFen: 0 });
    expect(lines.find((l) => l.id === "b")).toMatchObject({ outcome: "FUNDED", awardFen: 1_000_000 });
  });
});
