import { defineMessages } from "./define";

/** Score sheet validation. */
export default defineMessages({
  "scoring.error.required": { zh: "请为此项打分", en: "Score this criterion" },
  "scoring.error.notANumber": { zh: "请输入 0 或正数（可含 .5）", en: "Enter 0 or a positive number (halves allowed)" },
  "scoring.error.overMax": { zh: "不能超过满分 {max}", en: "At most {max}" },
  "scoring.error.notHalfStep": { zh: "只能是整数或 .5", en: "Whole or half points only" },
  "scoring.error.commentTooLong": { zh: "评语过长", en: "The comment is too long" },
  "scoring.error.closed": { zh: "评审已结束，不能再修改评分", en: "Review is over; scores can no longer change" },
  "scoring.error.fix": { zh: "请修改标出的项目后再保存", en: "Fix the marked fields and save again" },
  "scoring.error.locked": { zh: "评分已提交并锁定，如需修改请联系工作人员退回", en: "The sheet is submitted and locked; ask an official to reopen it" },
  "scoring.error.stale": {
    zh: "评分表已在其他页面保存过，请刷新后再修改（您输入的内容仍保留在本页）",
    en: "The sheet was saved elsewhere meanwhile; reload before changing it (what you typed is still on this page)",
  },
  "scoring.reopen.reasonRequired": { zh: "请填写退回理由（2–500 字）", en: "Give a reason (2–500 characters)" },
  "scoring.reopen.notSubmitted": { zh: "只有已提交的评分表可以退回", en: "Only a submitted sheet can be reopened" },
});
