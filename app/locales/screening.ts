import { defineMessages } from "./define";

/** Screening (资格审查): the officials' queue, the public list of eligible proposals, the result email and inbox notices. */
export default defineMessages({
  // ── the queue ──
  "screening.title": { zh: "资格审查", en: "Screening" },
  "screening.subtitle": { zh: "{round} · 已提交的申报", en: "{round} · submitted proposals" },
  "screening.backToRound": { zh: "返回轮次管理", en: "Back to the round" },
  "screening.readOnly": {
    zh: "本轮次当前处于“{phase}”阶段，资格审查只能在资格审查阶段进行，本页仅供查阅。",
    en: "This round is in the “{phase}” phase. Decisions can only be taken during screening; this page is read-only.",
  },
  "screening.counts": { zh: "按状态统计", en: "Counts by status" },
  "screening.all": { zh: "全部", en: "All" },
  "screening.filters": { zh: "筛选申报", en: "Filter proposals" },
  "screening.filter.status": { zh: "审查状态", en: "Status" },
  "screening.filter.allStatuses": { zh: "全部状态", en: "All statuses" },
  "screening.filter.community": { zh: "服务社区", en: "Community" },
  "screening.filter.allCommunities": { zh: "全部社区", en: "All communities" },
  "screening.filter.category": { zh: "项目类别", en: "Category" },
  "screening.filter.allCategories": { zh: "全部类别", en: "All categories" },
  "screening.filter.q": { zh: "搜索名称或编号", en: "Search title or reference" },
  "screening.filter.apply": { zh: "筛选", en: "Apply" },
  "screening.total": { zh: "共 {count} 个申报", en: "{count} proposal(s)" },
  "screening.empty": { zh: "没有符合条件的申报", en: "No proposals match" },
  "screening.col.select": { zh: "选择", en: "Select" },
  "screening.col.reference": { zh: "申报编号", en: "Reference" },
  "screening.col.title": { zh: "项目名称", en: "Title" },
  "screening.col.organization": { zh: "申报组织", en: "Organization" },
  "screening.public.applicantHidden": { zh: "匿名评审中，公示时公开", en: "Hidden during blind review; shown with the notice" },
  "screening.public.applicantsHiddenNote": {
    zh: "本轮实行匿名评审：评审结束、结果公示前，不公开申报组织。",
    en: "This round is reviewed blind: the applying organisations are not shown until the results are published.",
  },
  "screening.col.community": { zh: "服务社区", en: "Community" },
  "screening.col.category": { zh: "类别", en: "Category" },
  "screening.col.amount": { zh: "申请金额", en: "Requested" },
  "screening.col.submittedAt": { zh: "提交时间", en: "Submitted" },
  "screening.col.decision": { zh: "审查结果", en: "Decision" },
  "screening.select": { zh: "选择 {referenceNo}", en: "Select {referenceNo}" },
  "screening.selectAll": { zh: "选择本页全部", en: "Select all on this page" },
  "screening.decision.by": { zh: "{name} · {at}", en: "{name} · {at}" },
  "screening.decision.reversal": { zh: "（更正此前的决定）", en: "(reverses an earlier decision)" },
  "screening.decision.noReason": { zh: "未填写理由", en: "No reason given" },
  "screening.decision.pending": { zh: "待审查", en: "Not yet screened" },
  "screening.history": { zh: "审查记录（{count}）", en: "History ({count})" },
  "screening.bulk.legend": { zh: "对选中的申报作出决定", en: "Decide on the selected proposals" },
  "screening.reason": { zh: "理由", en: "Reason" },
  "screening.reason.hint": {
    zh: "标记“不合格”时必须填写理由；更改已作出的决定（更正）时也必须填写理由。理由会告知申报组织。",
    en: "A reason is required to mark ineligible, and to change a decision already taken (a reversal). The applicant sees it.",
  },
  "screening.eligible": { zh: "合格", en: "Eligible" },
  "screening.ineligible": { zh: "不合格", en: "Ineligible" },
  "screening.row.actions": { zh: "对 {referenceNo} 单独决定", en: "Decide on {referenceNo} alone" },
  "screening.done": {
    zh: "已记录 {count} 项决定，并已通知申报组织。",
    en: "{count} decision(s) recorded; the applicants were told.",
  },
  "screening.done.unchanged": { zh: "{list} 已是该结果，未重复记录。", en: "{list} already had this outcome; nothing was recorded for them." },

  // ── errors ──
  "screening.error.noneSelected": { zh: "请至少选择一个申报", en: "Select at least one proposal" },
  "screening.error.tooMany": { zh: "一次最多处理 200 个申报", en: "At most 200 proposals at a time" },
  "screening.error.outcome": { zh: "请选择合格或不合格", en: "Choose eligible or ineligible" },
  "screening.error.reasonRequired": { zh: "标记不合格须填写理由", en: "Give a reason for marking ineligible" },
  "screening.error.reversalReason": {
    zh: "{referenceNo} 已有审查结果，更改须填写理由",
    en: "{referenceNo} already has a decision; changing it needs a reason",
  },
  "screening.error.notScreenable": { zh: "{referenceNo} 不在审查范围内（草稿或已撤回）", en: "{referenceNo} cannot be screened (a draft or withdrawn)" },
  "screening.error.phase": { zh: "只有在资格审查阶段才能作出决定", en: "Decisions can only be taken during the screening phase" },
  "screening.error.unknown": { zh: "选中的申报不属于本轮次", en: "A selected proposal is not in this round" },

  // ── the public list ──
  "screening.public.title": { zh: "入围项目名单", en: "Eligible proposals" },
  "screening.public.subtitle": {
    zh: "{round} · 通过资格审查、进入评审的申报（按申报编号排列）",
    en: "{round} · proposals that passed screening and go to review (by reference number)",
  },
  "screening.public.notYet": {
    zh: "资格审查结束后，这里将公布通过资格审查的申报名单。",
    en: "The list of proposals that pass screening appears here once screening is over.",
  },
  "screening.public.inProgress": { zh: "资格审查进行中", en: "Screening in progress" },
  "screening.public.inProgressCount": {
    zh: "共收到 {count} 份申报，审查结束后公布入围名单。",
    en: "{count} proposal(s) were submitted; the eligible list is published when screening ends.",
  },
  "screening.public.total": { zh: "共 {count} 个项目，申请金额合计 {amount}", en: "{count} proposal(s) requesting {amount} in total" },
  "screening.public.empty": { zh: "没有符合条件的项目", en: "No proposals match" },
  "screening.public.backToRound": { zh: "返回轮次页面", en: "Back to the round" },

  // ── inbox ──
  "inbox.screeningEligible.title": { zh: "资格审查通过：{referenceNo}", en: "Screening passed: {referenceNo}" },
  "inbox.screeningEligible.body": { zh: "申报“{title}”通过资格审查，将进入评审。{reason}", en: "“{title}” passed screening and goes to review. {reason}" },
  "inbox.screeningIneligible.title": { zh: "资格审查未通过：{referenceNo}", en: "Screening not passed: {referenceNo}" },
  "inbox.screeningIneligible.body": { zh: "申报“{title}”未通过资格审查。理由：{reason}", en: "“{title}” did not pass screening. Reason: {reason}" },
  "inbox.screeningReversed.title": { zh: "资格审查结果已更正：{referenceNo}", en: "Screening decision changed: {referenceNo}" },
  "inbox.screeningReversed.body": {
    zh: "申报“{title}”的资格审查结果更正为：{outcomeZh}。理由：{reason}",
    en: "The screening decision on “{title}” is now: {outcomeEn}. Reason: {reason}",
  },

  // ── email ──
  "email.screening.subject": { zh: "资格审查结果：{referenceNo} {outcome}", en: "Screening result: {referenceNo} {outcome}" },
  "email.screening.subjectReversed": { zh: "资格审查结果更正：{referenceNo} {outcome}", en: "Screening decision changed: {referenceNo} {outcome}" },
  "email.screening.body": {
    zh: "您组织的申报 {referenceNo} 已完成资格审查，结果为：{outcome}。",
    en: "Your organization's proposal {referenceNo} has been screened: {outcome}.",
  },
  "email.screening.bodyReversed": {
    zh: "您组织的申报 {referenceNo} 的资格审查结果已更正为：{outcome}。",
    en: "The screening decision on your organization's proposal {referenceNo} has been changed to: {outcome}.",
  },
  "email.screening.outcome.ELIGIBLE": { zh: "通过", en: "eligible" },
  "email.screening.outcome.INELIGIBLE": { zh: "未通过", en: "ineligible" },
  "email.screening.referenceNo": { zh: "申报编号", en: "Reference" },
  "email.screening.title": { zh: "项目名称", en: "Title" },
  "email.screening.round": { zh: "公益创投", en: "Round" },
  "email.screening.outcome": { zh: "审查结果", en: "Result" },
  "email.screening.reason": { zh: "理由", en: "Reason" },
  "email.screening.noReason": { zh: "（未填写）", en: "(none given)" },
  "email.screening.nextEligible": {
    zh: "接下来将由评审专家评审，评审结果公示时会再通知您。",
    en: "Judges review it next; you will be told again when the results go on public notice.",
  },
  "email.screening.nextIneligible": {
    zh: "如对结果有疑问，请联系街道社区办。",
    en: "If you have questions about this result, contact the subdistrict's community office.",
  },
  "email.screening.button": { zh: "查看申报", en: "View the proposal" },
});
