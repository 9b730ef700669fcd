import { describe, expect, it } from "vitest";
import { DEFAULT_ELIGIBILITY, eligibilityOf, eligibilityProblems, type EligibilityRules, type OrganizationStanding } from "./eligibility";
import { ORGANIZATION_KINDS } from "./organizations";
import publicMessages from "~/locales/public.json" with { type: "json" };

const ROUND = "/pinghu/danghu/";
const team: OrganizationStanding = { kind: "RESIDENT_TEAM", areaPath: "/pinghu/danghu/songfeng/", openProjects: 0, troubledProjects: [] };
const rules = (r: Partial<EligibilityRules>): EligibilityRules => ({ ...DEFAULT_ELIGIBILITY, ...r });
const rulesOf = (r: Partial<EligibilityRules>, org: Partial<OrganizationStanding> = {}) => eligibilityProblems(rules(r), { ...team, ...org }, ROUND).map((p) => p.rule);

describe("eligibility", () => {
  it("the defaults accept any organization, wherever it is and whatever it holds", () => {
    expect(eligibilityProblems(DEFAULT_ELIGIBILITY, { kind: "SOCIAL_ORGANIZATION", areaPath: "/elsewhere/", openProjects: 9, troubledProjects: ["JN1-0001"] }, ROUND)).toEqual([]);
  });

  it("kinds: only the ticked kinds may apply; the message names the allowed kinds and the organization's own in both languages", () => {
    expect(rulesOf({ kinds: ["RESIDENT_TEAM"] })).toEqual([]);
    const [p] = eligibilityProblems(rules({ kinds: ["SOCIAL_ORGANIZATION", "COMMUNITY_ORGANIZATION"] }), team, ROUND);
    expect(p).toEqual({
      rule: "kind",
      key: "eligibility.kind",
      params: { allowedZh: "社会组织、社区社会组织", allowedEn: "Social organization, Community organization", kindZh: "居民团队", kindEn: "Resident team" },
    });
  });

  it("area: the organization's registered area must lie within the round's area", () => {
    expect(rulesOf({ inRoundArea: true })).toEqual([]);
    expect(rulesOf({ inRoundArea: true }, { areaPath: ROUND })).toEqual([]);
    expect(rulesOf({ inRoundArea: true }, { areaPath: "/pinghu/zhapu/x/" })).toEqual(["area"]);
    // a sibling whose code starts like the round's is not inside it
    expect(rulesOf({ inRoundArea: true }, { areaPath: "/pinghu/danghu2/" })).toEqual(["area"]);
  });

  it("unfinished projects: holding fewer than the maximum passes, holding the maximum does not (the new one would pass it)", () => {
    expect(rulesOf({ maxOpenProjects: 2 }, { openProjects: 1 })).toEqual([]);
    const [p] = eligibilityProblems(rules({ maxOpenProjects: 2 }), { ...team, openProjects: 2 }, ROUND);
    expect(p).toEqual({ rule: "openProjects", key: "eligibility.openProjects", params: { max: 2, open: 2 } });
  });

  it("troubled projects: an overdue or failed project refuses, naming it", () => {
    expect(rulesOf({ refuseTroubled: true })).toEqual([]);
    expect(eligibilityProblems(rules({ refuseTroubled: true }), { ...team, troubledProjects: ["JN5-0003", "JN6-0001"] }, ROUND)).toEqual([
      { rule: "troubled", key: "eligibility.troubled", params: { projects: "JN5-0003, JN6-0001" } },
    ]);
  });

  it("every failed rule is reported at once", () => {
    expect(
      rulesOf({ kinds: ["SOCIAL_ORGANIZATION"], inRoundArea: true, maxOpenProjects: 1, refuseTroubled: true }, { areaPath: "/x/", openProjects: 1, troubledProjects: ["A-1"] }),
    ).toEqual(["kind", "area", "openProjects", "troubled"]);
  });

  it("rules read from a round's columns drop unknown kinds", () => {
    expect(eligibilityOf({ eligibleOrgKinds: ["RESIDENT_TEAM", "ALIEN"], orgInRoundArea: true, maxOpenProjects: 3, refuseTroubledOrgs: false })).toEqual({
      kinds: ["RESIDENT_TEAM"],
      inRoundArea: true,
      maxOpenProjects: 3,
      refuseTroubled: false,
    });
  });

  it("the kind labels are those the pages show (locales/public.json)", async () => {
    const { ORGANIZATION_KIND_LABELS } = await import("./eligibility");
    const catalogue = publicMessages as Record<string, { zh: string; en: string }>;
    for (const k of ORGANIZATION_KINDS) expect(ORGANIZATION_KIND_LABELS[k]).toEqual(catalogue[`org.kind.${k}`]);
  });
});
