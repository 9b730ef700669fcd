import { DEFAULT_CATEGORIES, DEFAULT_RUBRIC, DEFAULT_TRANCHE_SCHEDULE, defaultDates } from "~/domain/rounds";

/**
 * A round's settings as the form's schema reads them (pool ¥1,000, awards ¥50–¥150, the default
 * categories, rubric and tranches, review only, dates from 1 March 2027), with `overrides`.
 */
export function roundSettingsFields(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: "测试社区公益微创投",
    description: "测试",
    poolFen: "100000",
    minAwardFen: "5000",
    maxAwardFen: "15000",
    categories: DEFAULT_CATEGORIES.map((c) => ({ ...c })),
    rubric: DEFAULT_RUBRIC.map((c) => ({ ...c })),
    judgesPerProposal: 5,
    weightReview: 100,
    weightRoadshow: 0,
    weightPublicVote: 0,
    noticeDays: 5,
    trancheSchedule: DEFAULT_TRANCHE_SCHEDULE.map((s) => ({ ...s })),
    labourCapPercent: 30,
    maxProposalsPerOrg: 1,
    ...defaultDates("2027-03-01"),
    ...overrides,
  };
}
