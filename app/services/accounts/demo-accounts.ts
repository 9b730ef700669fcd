/**
 * The demo district's accounts: the seed creates them, and in demo mode the sign-in page lists them
 * so that a visitor can try each role.
 */

/** Every demo account signs in with this password (shown in README and, in demo mode only, on the sign-in page). */
export const DEMO_PASSWORD = "Danghu-2026";

export const DEMO_ACCOUNTS = {
  official: { email: "official@danghu.example", name: "王建国（街道社区办）" },
  communityOfficial: { email: "songfeng@danghu.example", name: "李秀英（松枫社区）" },
  /** a second subdistrict official: tranche releases need two (one prepares, the other approves) */
  reviewer: { email: "finance@danghu.example", name: "钱敏（街道财务复核）" },
  applicantOrg: { email: "applicant@danghu.example", name: "陈晓（友邻社工中心）" },
  applicantTeam: { email: "team@danghu.example", name: "周丽华（凤凰邻里互助队）" },
  judges: [
    { email: "judge1@danghu.example", name: "赵明（评审专家）" },
    { email: "judge2@danghu.example", name: "钱芳（评审专家）" },
    { email: "judge3@danghu.example", name: "孙伟（评审专家）" },
    { email: "judge4@danghu.example", name: "吴敏（评审专家）" },
    { email: "judge5@danghu.example", name: "郑强（评审专家）" },
  ],
  foundationManager: { email: "foundation@danghu.example", name: "冯静（社区发展基金）" },
  /** an incubation mentor of the subdistrict (培育孵化): keeps the mentoring logs of the incubated organizations */
  mentor: { email: "mentor@danghu.example", name: "姚敏（孵化导师）" },
  donor: { email: "donor@danghu.example", name: "褚志远" },
  resident: { email: "resident@danghu.example", name: "卫小红（松枫社区居民）" },
} as const;
