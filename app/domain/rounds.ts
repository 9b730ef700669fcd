import { DEFAULT_CATEGORIES } from "./categories";

export { DEFAULT_CATEGORIES };

/** The phases of a round, in the only order they may follow. */
export const PHASES = ["DRAFT", "NEEDS", "PROPOSALS", "SCREENING", "REVIEW", "NOTICE", "IMPLEMENTATION", "CLOSED"] as const;
export type Phase = (typeof PHASES)[number];

export interface RubricCriterion {
  key: string;
  nameZh: string;
  nameEn: string;
  maxPoints: number;
}

export type TrancheTrigger = "AGREEMENT" | "MIDTERM" | "FINAL";
export interface TrancheStep {
  percent: number;
  trigger: TrancheTrigger;
}

/** A 100-point rubric after the criteria common in 公益创投 reviews (need, design, capacity, budget, sustainability). */
export const DEFAULT_RUBRIC: readonly RubricCriterion[] = [
  { key: "need", nameZh: "需求契合度", nameEn: "Fit with community needs", maxPoints: 25 },
  { key: "design", nameZh: "项目设计与可行性", nameEn: "Design and feasibility", maxPoints: 25 },
  { key: "capacity", nameZh: "团队执行能力", nameEn: "Team capacity", maxPoints: 20 },
  { key: "budget", nameZh: "预算合理性", nameEn: "Budget soundness", maxPoints: 15 },
  { key: "sustainability", nameZh: "可持续性与居民参与", nameEn: "Sustainability and participation", maxPoints: 15 },
];

/** 50% on agreement, 30% on mid-term approval, 20% on final evaluation (PRODUCT.md step 1). */
export const DEFAULT_TRANCHE_SCHEDULE: readonly TrancheStep[] = [
  { percent: 50, trigger: "AGREEMENT" },
  { percent: 30, trigger: "MIDTERM" },
  { percent: 20, trigger: "FINAL" },
];

export const DEFAULT_MIN_AWARD_FEN = 500_000;
export const DEFAULT_MAX_AWARD_FEN = 1_500_000;
export const DEFAULT_JUDGES_PER_PROPOSAL = 5;
export const DEFAULT_NOTICE_DAYS = 5;
export const DEFAULT_LABOUR_CAP_PERCENT = 30;
