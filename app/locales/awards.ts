import { defineMessages } from "./define";

/** Issue 5 emails and inbox notices: judges, awards, objections. */
export default defineMessages({
  "email.judgeInvitation.subject": { zh: "评审邀请：{round}", en: "Invitation to judge: {round}" },
  "email.judgeInvitation.body": {
    zh: "{inviter}邀请您担任“{round}”的评审专家。接受邀请时，请如实申报与申报组织的利益冲突（任职、顾问、雇佣、亲属等关系）；存在冲突的项目不会分配给您。邀请有效期至 {expires}。",
    en: "{inviter} invites you to judge “{round}”. When you accept, please declare your conflicts of interest with applicant organizations (membership, advising, employment, family or other relations); you will not be given their proposals. The invitation is valid until {expires}.",
  },
  "email.judgeInvitation.button": { zh: "接受邀请", en: "Accept the invitation" },
  "email.judgeAssignment.subject": { zh: "新的评审任务：{round}", en: "New proposals to review: {round}" },
  "email.judgeAssignment.body": {
    zh: "“{round}”新分配给您 {count} 个申报项目，请在 {deadline} 前完成评分。",
    en: "You have been assigned {count} proposal(s) in “{round}”. Please score them by {deadline}.",
  },
  "email.judgeAssignment.button": { zh: "开始评分", en: "Start scoring" },
  "email.awardResult.result.FUNDED": { zh: "获得资助", en: "funded" },
  "email.awardResult.result.PARTIAL": { zh: "部分资助", en: "partially funded" },
  "email.awardResult.result.WAITLIST": { zh: "列入候补", en: "on the waiting list" },
  "email.awardResult.result.NOT_FUNDED": { zh: "未获资助", en: "not funded" },
  "email.awardResult.FUNDED.subject": { zh: "评审结果：{referenceNo} 获得资助", en: "Result for {referenceNo}: funded" },
  "email.awardResult.PARTIAL.subject": { zh: "评审结果：{referenceNo} 部分资助", en: "Result for {referenceNo}: partially funded" },
  "email.awardResult.WAITLIST.subject": { zh: "评审结果：{referenceNo} 列入候补", en: "Result for {referenceNo}: on the waiting list" },
  "email.awardResult.NOT_FUNDED.subject": { zh: "评审结果：{referenceNo} 未获资助", en: "Result for {referenceNo}: not funded" },
  "email.awardResult.FUNDED.body": {
    zh: "公示期已结束，“{round}”中的项目 {referenceNo}“{title}”获得资助 {amount}。后续请留意资助协议的通知。",
    en: "The public notice has ended: {referenceNo} “{title}” in “{round}” is funded with {amount}. Watch for the grant agreement.",
  },
  "email.awardResult.PARTIAL.body": {
    zh: "公示期已结束，“{round}”中的项目 {referenceNo}“{title}”获得部分资助 {amount}（申请 {requested}）。后续请留意资助协议的通知。",
    en: "The public notice has ended: {referenceNo} “{title}” in “{round}” is partially funded with {amount} (requested {requested}). Watch for the grant agreement.",
  },
  "email.awardResult.WAITLIST.body": {
    zh: "公示期已结束，“{round}”中的项目 {referenceNo}“{title}”列入候补名单；如有资金释放，将按排名递补并另行通知。",
    en: "The public notice has ended: {referenceNo} “{title}” in “{round}” is on the waiting list; if money becomes free, waiting proposals are funded in rank order and you will be told.",
  },
  "email.awardResult.NOT_FUNDED.body": {
    zh: "公示期已结束，“{round}”中的项目 {referenceNo}“{title}”本轮未获资助。感谢您的参与，评审结果与评分可在公示页查看。",
    en: "The public notice has ended: {referenceNo} “{title}” in “{round}” is not funded this time. Thank you for taking part; the results and scores are on the notice page.",
  },
  "email.awardResult.FUNDED.button": { zh: "查看结果", en: "View the results" },
  "email.awardResult.PARTIAL.button": { zh: "查看结果", en: "View the results" },
  "email.awardResult.WAITLIST.button": { zh: "查看结果", en: "View the results" },
  "email.awardResult.NOT_FUNDED.button": { zh: "查看结果", en: "View the results" },
  "email.objection.RECEIVED.subject": { zh: "已收到您对 {referenceNo} 的异议", en: "Your objection to {referenceNo} was received" },
  "email.objection.RECEIVED.body": {
    zh: "我们已收到您对“{round}”项目 {referenceNo} 的异议。工作人员处理后会通知您；处理结果将在公示页公开，您的身份不会公开。",
    en: "We received your objection to {referenceNo} in “{round}”. Officials will tell you how they resolve it; the resolution is published on the notice page, your identity is not.",
  },
  "email.objection.RECEIVED.button": { zh: "查看公示", en: "View the notice" },
  "email.objection.UPHELD.subject": { zh: "您对 {referenceNo} 的异议已被采纳", en: "Your objection to {referenceNo} was upheld" },
  "email.objection.UPHELD.body": {
    zh: "您对“{round}”项目 {referenceNo} 的异议已被采纳。处理意见：{resolution}。受影响的项目已重新公示。",
    en: "Your objection to {referenceNo} in “{round}” was upheld. Resolution: {resolution}. The items it changed are noticed again.",
  },
  "email.objection.UPHELD.button": { zh: "查看公示", en: "View the notice" },
  "email.objection.DISMISSED.subject": { zh: "您对 {referenceNo} 的异议不予采纳", en: "Your objection to {referenceNo} was dismissed" },
  "email.objection.DISMISSED.body": {
    zh: "您对“{round}”项目 {referenceNo} 的异议经核查不予采纳。理由（已在公示页公开）：{resolution}",
    en: "Your objection to {referenceNo} in “{round}” was dismissed. Reason (published on the notice page): {resolution}",
  },
  "email.objection.DISMISSED.button": { zh: "查看公示", en: "View the notice" },
});
