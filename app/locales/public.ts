import { defineMessages } from "./define";

export default defineMessages({
  "home.intro": {
    zh: "街道和社区在这里组织公益创投微项目大赛：居民提出社区需求，社会组织和居民团队申报 5,000–15,000 元的小项目，专家回避利益冲突评审打分，结果公示接受异议，资金按监测节点分期拨付，公众可以捐赠社区基金并查看每一分钱的去向。",
    en: "Subdistricts and communities run micro-project competitions here: residents post needs, social organizations and resident teams propose ¥5,000–¥15,000 projects, conflict-free expert panels score them, results are publicly noticed and open to objection, money is paid in milestone-gated tranches, and anyone can give to a community foundation and follow every fen.",
  },
  "home.cta.areas": { zh: "浏览社区", en: "Browse communities" },
  "home.cta.foundations": { zh: "社区基金", en: "Community foundations" },
  "home.stats.title": { zh: "覆盖范围", en: "Coverage" },
  "home.stats.communities": { zh: "城市社区", en: "Urban communities" },
  "home.stats.villages": { zh: "村", en: "Villages" },
  "home.stats.residents": { zh: "常住人口", en: "Residents" },
  "home.stats.foundations": { zh: "社区基金", en: "Foundations" },
  "home.how.title": { zh: "一轮创投怎么走", en: "How a round works" },
  "home.how.needs.title": { zh: "居民点单", en: "Residents ask" },
  "home.how.needs.body": {
    zh: "居民发布社区需求并点赞，社区合并、回复或派单为本轮课题。",
    en: "Residents post and upvote needs; the community merges, answers or publishes them as call topics.",
  },
  "home.how.proposals.title": { zh: "组织接单", en: "Organizations propose" },
  "home.how.proposals.body": {
    zh: "社会组织、社区社会组织和居民团队提交项目书与预算，街道进行资格审查。",
    en: "Social organizations, community groups and resident teams submit plans and budgets; the subdistrict screens them.",
  },
  "home.how.review.title": { zh: "专家评审", en: "Expert review" },
  "home.how.review.body": {
    zh: "专家按百分制评分并回避利益冲突，去掉最高分和最低分后排名，结果可复现。",
    en: "Experts score on a 100-point rubric free of conflicts; the highest and lowest are dropped; rankings are reproducible.",
  },
  "home.how.notice.title": { zh: "结果公示", en: "Public notice" },
  "home.how.notice.body": {
    zh: "拟资助名单公示，任何人可以提出异议，异议处理结果公开。",
    en: "Proposed awards are publicly noticed; anyone may object and every resolution is published.",
  },
  "home.how.monitoring.title": { zh: "合同与监测", en: "Agreements and monitoring" },
  "home.how.monitoring.body": {
    zh: "资金按节点分期拨付，每张票据对照预算核验，回访受益人。",
    en: "Money is paid in milestone-gated tranches; every receipt is checked against the budget; beneficiaries are called back.",
  },
  "home.how.evaluation.title": { zh: "评估兑现", en: "Pay on evaluation" },
  "home.how.evaluation.body": {
    zh: "终期评估通过才拨付尾款，结余资金退回基金，全部账目公开。",
    en: "The last tranche follows a passed evaluation; unspent money returns to the foundation; all accounts are public.",
  },
});
