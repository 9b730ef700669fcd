import { isWithin } from "./permissions";
import { ORGANIZATION_KINDS, type OrganizationKindName } from "./organizations";

/**
 * Eligibility (申报资格) of an applying organization for a round, decided before anyone writes a
 * proposal and again at submission. PRODUCT.md step 1 lets a round set its eligibility rules; the
 * applicant kinds are those of the roles table (社会组织 / 社区社会组织 / 居民团队); the prior-project
 * rules follow the monitoring of steps 10–11 and the Danghu rules (004) that single out
 * implementing organizations with late or failed projects:
 *
 * - `kinds`: the organization kinds that may apply; empty = every kind (the default).
 * - `inRoundArea`: the organization must be registered in the round's area or below it.
 * - `maxOpenProjects`: the most funded projects not yet CLOSED it may carry at once, counting the
 *   one it applies for: an organization already holding that many may not apply; null = no limit.
 * - `refuseTroubled`: none of its unfinished projects may have an overdue milestone (an open
 *   OVERDUE alert) or a failed final evaluation.
 *
 * The defaults keep what rounds did before these rules existed: anyone may apply.
 */
export interface EligibilityRules {
  kinds: readonly OrganizationKindName[];
  inRoundArea: boolean;
  maxOpenProjects: number | null;
  refuseTroubled: boolean;
}

export const DEFAULT_ELIGIBILITY: EligibilityRules = { kinds: [], inRoundArea: false, maxOpenProjects: null, refuseTroubled: false };

/** Most unfinished projects a round may allow (the form's bound). */
export const MAX_OPEN_PROJECTS_LIMIT = 20;

/** What the rules read about an organization. */
export interface OrganizationStanding {
  kind: string;
  /** materialised path of the area it is registered in */
  areaPath: string;
  /** its funded projects not yet CLOSED */
  openProjects: number;
  /** reference numbers of its unfinished projects with an overdue milestone or a failed evaluation */
  troubledProjects: readonly string[];
}

/** The labels of the organization kinds, both languages (as locales/public.json `org.kind.*`). */
export const ORGANIZATION_KIND_LABELS: Record<OrganizationKindName, { zh: string; en: string }> = {
  SOCIAL_ORGANIZATION: { zh: "社会组织", en: "Social organization" },
  COMMUNITY_ORGANIZATION: { zh: "社区社会组织", en: "Community organization" },
  RESIDENT_TEAM: { zh: "居民团队", en: "Resident team" },
};

export const isOrganizationKind = (v: unknown): v is OrganizationKindName =>
  typeof v === "string" && (ORGANIZATION_KINDS as readonly string[]).includes(v);

/**
 * One refused rule: the message key names the rule; params carry values in both languages
 * (`…Zh`/`…En`), so each language's message picks its own and the reason reads the same
 * wherever it is shown (form errors carry only strings).
 */
export interface EligibilityProblem {
  rule: "kind" | "area" | "openProjects" | "troubled";
  key: string;
  params?: Record<string, string | number>;
}

const labelsOf = (kinds: readonly OrganizationKindName[]) => ({
  allowedZh: kinds.map((k) => ORGANIZATION_KIND_LABELS[k].zh).join("、"),
  allowedEn: kinds.map((k) => ORGANIZATION_KIND_LABELS[k].en).join(", "),
});

/** Every rule of `rules` that `org` fails for a round of the area `roundAreaPath`; empty = eligible. */
export function eligibilityProblems(rules: EligibilityRules, org: OrganizationStanding, roundAreaPath: string): EligibilityProblem[] {
  const problems: EligibilityProblem[] = [];
  if (rules.kinds.length && !rules.kinds.some((k) => k === org.kind)) {
    const own = isOrganizationKind(org.kind) ? ORGANIZATION_KIND_LABELS[org.kind] : { zh: org.kind, en: org.kind };
    problems.push({ rule: "kind", key: "eligibility.kind", params: { ...labelsOf(rules.kinds), kindZh: own.zh, kindEn: own.en } });
  }
  if (rules.inRoundArea && !isWithin(org.areaPath, roundAreaPath)) problems.push({ rule: "area", key: "eligibility.area" });
  if (rules.maxOpenProjects !== null && org.openProjects >= rules.maxOpenProjects) {
    problems.push({ rule: "openProjects", key: "eligibility.openProjects", params: { max: rules.maxOpenProjects, open: org.openProjects } });
  }
  if (rules.refuseTroubled && org.troubledProjects.length) {
    problems.push({ rule: "troubled", key: "eligibility.troubled", params: { projects: org.troubledProjects.join(", ") } });
  }
  return problems;
}

/** The rules as stored on a round (columns `eligibleOrgKinds`, `orgInRoundArea`, `maxOpenProjects`, `refuseTroubledOrgs`). */
export function eligibilityOf(round: { eligibleOrgKinds: readonly string[]; orgInRoundArea: boolean; maxOpenProjects: number | null; refuseTroubledOrgs: boolean }): EligibilityRules {
  return {
    kinds: round.eligibleOrgKinds.filter(isOrganizationKind),
    inRoundArea: round.orgInRoundArea,
    maxOpenProjects: round.maxOpenProjects,
    refuseTroubled: round.refuseTroubledOrgs,
  };
}
