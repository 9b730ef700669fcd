import { describe, expect, it } from "vitest";
import {
  annualMoney,
  evaluationFigures,
  objectionFigures,
  peopleFigures,
  projectFigures,
  reportableYear,
  reportSections,
  roundMoney,
  satisfactionFigures,
  valueText,
  type ProjectFact,
  type ReportFigures,
} from "./reports";

const fact = (over: Partial<ProjectFact> = {}): ProjectFact => ({
  status: "ACTIVE",
  category: "CARE",
  awardFen: 1_000_000,
  releasedFen: 500_000,
  spentFen: 200_000,
  beneficiaries: 10,
  reportedServed: null,
  calls: { satisfied: 0, partly: 0, notSatisfied: 0, unreached: 0 },
  evaluation: null,
  ...over,
});
const name = (s: string) => ({ zh: `状态${s}`, en: `state ${s}` });

describe("a round's money from its accounts' sums", () => {
  it("balances to the fen: in = held + used + returned", () => {
    const m = roundMoney([
      { accountKind: "ROUND_POOL", kind: "ROUND_POOL", fen: 5_000_000 },
      { accountKind: "ROUND_POOL", kind: "ROUND_POOL_RETURN", fen: -1_000_000 },
      { accountKind: "ROUND_POOL", kind: "AWARD_COMMIT", fen: -3_000_000 },
      { accountKind: "AWARD_COMMITTED", kind: "AWARD_COMMIT", fen: 3_000_000 },
      { accountKind: "AWARD_COMMITTED", kind: "TRANCHE_RELEASE", fen: -2_000_001 },
      { accountKind: "GRANTEE_PAID", kind: "TRANCHE_RELEASE", fen: 2_000_001 },
      { accountKind: "AWARD_COMMITTED", kind: "COMMITMENT_RELEASE", fen: -400_000 },
      { accountKind: "GRANTEE_PAID", kind: "UNSPENT_RETURN", fen: -123 },
    ]);
    expect(m).toEqual({ inFen: 4_000_000, committedFen: 3_000_000, paidFen: 2_000_001, returnedFen: 400_123, heldFen: 1_000_000 + 599_999, outFen: 1_999_878, unspentFen: 1_599_999 + 400_123 });
    expect(m.heldFen + m.outFen + m.returnedFen).toBe(m.inFen);
  });
});

describe("a foundation's year from its accounts' sums", () => {
  it("opens with the years before, adds the year's flows by kind, closes with both, and counts tranches paid in the year", () => {
    const m = annualMoney(
      [
        { accountKind: "FOUNDATION_AVAILABLE", kind: "APPROPRIATION", year: 2025, fen: 10_000 },
        { accountKind: "FOUNDATION_AVAILABLE", kind: "DONATION", year: 2026, fen: 3_000 },
        { accountKind: "FOUNDATION_EARMARKED", kind: "DONATION", year: 2026, fen: 2_000 },
        { accountKind: "FOUNDATION_AVAILABLE", kind: "DONATION_REFUND", year: 2026, fen: -500 },
        { accountKind: "FOUNDATION_AVAILABLE", kind: "ROUND_POOL", year: 2026, fen: -4_000 },
        { accountKind: "FOUNDATION_AVAILABLE", kind: "UNSPENT_RETURN", year: 2026, fen: 7 },
        { accountKind: "FOUNDATION_AVAILABLE", kind: "DONATION", year: 2027, fen: 99 },
        { accountKind: "GRANTEE_PAID", kind: "TRANCHE_RELEASE", year: 2026, fen: 1_500 },
        { accountKind: "GRANTEE_PAID", kind: "TRANCHE_RELEASE", year: 2025, fen: 1 },
      ],
      2026,
    );
    expect(m.openingFen).toBe(10_000);
    expect(m.flows).toMatchObject({ donationsFen: 5_000, refundsFen: -500, inflowFen: 4_500, roundPoolsFen: 4_000, outflowFen: 4_000, projectReturnsFen: 7 });
    expect(m.closingFen).toBe(10_000 + 4_500 - 4_000 + 7);
    expect(m.paidToGranteesFen).toBe(1_500);
  });
});

describe("projects, people, satisfaction, evaluations, objections", () => {
  const categories = [{ key: "CARE", nameZh: "关爱", nameEn: "Care" }, { key: "CULTURE", nameZh: "文化", nameEn: "Culture" }];
  const projects = [
    fact({ status: "CLOSED", reportedServed: 40, calls: { satisfied: 6, partly: 1, notSatisfied: 1, unreached: 2 }, evaluation: { passed: true, total: 88 } }),
    fact({ status: "CLOSED", category: "CULTURE", awardFen: 700_000, reportedServed: 25, evaluation: { passed: true, total: 91 } }),
    fact({ status: "EVALUATION_FAILED", category: "GONE", beneficiaries: 0, evaluation: { passed: false, total: 52 } }),
    fact({ category: null }),
  ];

  it("counts projects by state and category with their awards; unknown categories are uncategorised", () => {
    const p = projectFigures(projects, categories, name);
    expect(p.total).toBe(4);
    expect(p.awardedFen).toBe(3_700_000);
    expect(p.byStatus.map((s) => [s.key, s.count, s.fen])).toEqual([["ACTIVE", 1, 1_000_000], ["EVALUATION_FAILED", 1, 1_000_000], ["CLOSED", 2, 1_700_000]]);
    expect(p.byCategory.map((c) => [c.key, c.count])).toEqual([["CARE", 1], ["CULTURE", 1], ["_none", 2]]);
  });

  it("counts people without naming anyone, and satisfaction among those reached", () => {
    expect(peopleFigures(projects)).toEqual({ beneficiaries: 30, reportedServed: 65, projectsReporting: 2 });
    expect(satisfactionFigures(projects)).toEqual({ satisfied: 6, partly: 1, notSatisfied: 1, unreached: 2, satisfiedPerMille: 750 });
    expect(satisfactionFigures([fact()]).satisfiedPerMille).toBeNull();
  });

  it("counts evaluations and averages their scores to a tenth", () => {
    expect(evaluationFigures(projects)).toEqual({ passed: 2, failed: 1, averageTenths: 770 });
  });

  it("lists the rulings of decided objections, not the open ones", () => {
    const o = objectionFigures([
      { status: "OPEN", proposal: "JN6-0003", resolution: null },
      { status: "DISMISSED", proposal: "JN6-0002", resolution: "评分无误" },
      { status: "UPHELD", proposal: "JN6-0001", resolution: "重新计分" },
    ]);
    expect(o).toEqual({ open: 1, upheld: 1, dismissed: 1, rulings: [{ proposal: "JN6-0001", upheld: true, resolution: "重新计分" }, { proposal: "JN6-0002", upheld: false, resolution: "评分无误" }] });
  });
});

describe("sections", () => {
  const base: ReportFigures = {
    figuresVersion: 1,
    kind: "ANNUAL",
    ref: "fund",
    title: { zh: "年报", en: "Annual" },
    issuer: { zh: "基金", en: "Fund" },
    period: { from: "2026-01-01", to: "2026-12-31" },
    asOf: "2026-12-31T00:00:00.000Z",
    roundMoney: null,
    annualMoney: annualMoney([], 2026),
    fundraising: { filingNo: null, entity: null, gifts: 0, campaigns: [] },
    projects: projectFigures([], [], name),
    people: peopleFigures([]),
    satisfaction: satisfactionFigures([]),
    evaluations: evaluationFigures([]),
    objections: objectionFigures([]),
    rounds: [],
  };

  it("an annual report follows the Charity Law's disclosure: receipts, uses, fundraising, then the projects", () => {
    expect(reportSections(base).map((s) => s.key)).toEqual(["receipts", "uses", "fundraising", "rounds", "projects", "people", "satisfaction", "evaluations", "objections"]);
    expect(reportSections(base).find((s) => s.key === "projects")!.empty).toBe("report.noProjects");
  });

  it("a round report starts with its money and has no annual sections", () => {
    const keys = reportSections({ ...base, kind: "ROUND", annualMoney: null, fundraising: null, roundMoney: roundMoney([]), projects: projectFigures([fact()], [], name) }).map((s) => s.key);
    expect(keys).toEqual(["roundMoney", "projects", "categories", "people", "satisfaction", "evaluations", "objections"]);
  });

  it("partners and in-kind help, then training and incubation, close both kinds of report; figures published before they were reported have neither", () => {
    const partners = { unitsPaired: 2, inKindGifts: 3, inKindValuedFen: 240_000, inKindUnvalued: 1, wishesTaken: 1, projectsAdopted: 1 };
    const capacity = { trainings: 1, attendances: 5, organizationsTrained: 3, incubating: 3, graduated: 1 };
    const sections = reportSections({ ...base, partners, capacity });
    expect(sections.map((s) => s.key).slice(-2)).toEqual(["partners", "capacity"]);
    expect(sections.find((s) => s.key === "partners")!.rows).toContainEqual({ label: "report.row.inKindValued", value: { fen: 240_000 } });
    expect(sections.find((s) => s.key === "capacity")!.rows).toContainEqual({ label: "report.row.organizationsTrained", value: { count: 3 } });
    expect(reportSections({ ...base, kind: "ROUND", annualMoney: null, fundraising: null, roundMoney: roundMoney([]), partners, capacity }).map((s) => s.key).slice(-2)).toEqual(["partners", "capacity"]);
    expect(reportSections(base).map((s) => s.key)).not.toContain("partners");
  });

  it("values read in either language", () => {
    const t = (k: string) => `<${k}>`;
    expect(valueText({ fen: 123_456 }, "zh-CN", t)).toBe("¥1,234.56");
    expect(valueText({ perMille: 875 }, "en", t)).toBe("87.5%");
    expect(valueText({ tenths: null }, "en", t)).toBe("—");
    expect(valueText({ named: { zh: "关爱", en: "Care" } }, "en", t)).toBe("Care");
    expect(valueText({ message: "report.none" }, "en", t)).toBe("<report.none>");
  });

  it("a year to report on has four digits, is not before 2000 and has begun", () => {
    expect(reportableYear("2026", 2026)).toBe(2026);
    expect(reportableYear("2027", 2026)).toBeNull();
    expect(reportableYear("1999", 2026)).toBeNull();
    expect(reportableYear("20x6", 2026)).toBeNull();
  });
});
