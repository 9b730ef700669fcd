import { describe, expect, it } from "vitest";
import { LOCALES, translate, type Locale } from "../app/lib/i18n";
import { messages } from "../app/locales";
import { renderEmail, templates, type TemplateName, type TemplateProps } from "./index";

const LINK = "http://localhost:3000/some/path?token=abc123XYZ";

/** Props for every template; the `satisfies` makes a new template without props a type error. */
const fixtures = {
  "verify-email": { name: "张三", link: LINK },
  "reset-password": { name: "张三", link: LINK },
  invitation: {
    name: "judge@example.org",
    inviterName: "王建国",
    role: "JUDGE",
    areaNameZh: "当湖街道",
    areaNameEn: "Danghu Subdistrict",
    link: LINK,
  },
  "role-granted": { name: "李秀英", role: "OFFICIAL", areaNameZh: "松枫社区", areaNameEn: "Songfeng Community", link: LINK },
  "proposal-submitted": { name: "张三", referenceNo: "JN7-0042", title: "Meals on wheels", organization: "Songfeng Neighbours", amount: "¥12,000.00", roundTitle: "Round 7", submittedAt: "2026/11/23 10:00", link: LINK },
  "screening-decision": { name: "张三", referenceNo: "JN7-0042", title: "Meals on wheels", roundTitle: "Round 7", outcome: "INELIGIBLE", reversal: false, reason: "Budget lacks labour detail", link: LINK },
  "judge-invitation": { name: "Dr. Wang", inviterName: "Li Ming", roundTitle: "Round 7", expiresAt: "2026/12/07 23:59", link: LINK },
  "partner-invitation": { name: "member@example.org", inviterName: "Li Ming", unitName: "Huimin Supermarkets", expiresAt: "2026/12/14 23:59", link: LINK },
  "judge-assignment": { name: "Dr. Wang", roundTitle: "Round 7", count: 3, deadline: "2026/12/20", link: LINK },
  "award-result": { name: "Zhang San", roundTitle: "Round 7", referenceNo: "JN7-0042", title: "Meals on wheels", result: "PARTIAL", amount: "¥8,000.00", requested: "¥12,000.00", link: LINK },
  "objection-update": { name: "Zhang San", roundTitle: "Round 7", referenceNo: "JN7-0042", status: "DISMISSED", resolution: "Scores checked again", link: LINK },
  "scoring-reminder": { name: "Dr. Wang", roundTitle: "Round 7", unfinished: 2, deadline: "2026/12/20", link: LINK },
  "evaluation-invitation": { name: "Dr. Wang", inviterName: "Li Ming", referenceNo: "JN7-0042", title: "Meals on wheels", organization: "Songfeng Neighbours", link: LINK },
  "evaluation-withdrawn": { name: "Dr. Wang", referenceNo: "JN7-0042", title: "Meals on wheels", link: LINK },
  "project-update": { name: "Zhang San", referenceNo: "JN7-0042", title: "Meals on wheels", kind: "TRANCHE_RELEASED", amount: "¥4,000.00", detail: "TR-2026-0001", link: LINK },
  "foundation-money": { name: "Li Ming", kind: "DISPUTE_OPENED", subjectRef: "G-7K2M9Q", amount: "¥200.00", detail: "2026/12/20 23:59", link: LINK },
  "project-alerts": {
    name: "Li Ming",
    count: 3,
    items: [
      { referenceNo: "JN7-0042", title: "Meals on wheels", kind: "OVERDUE", params: { position: 2, title: "Midterm", dueOn: "2026-09-30" } },
      { referenceNo: "JN7-0043", title: "Reading room", kind: "OVER_BUDGET", params: { position: 1, item: "Books", budgetFen: 100_000, spentFen: 125_000 } },
    ],
    link: LINK,
  },
  "grantee-reminder": { name: "Zhang San", kind: "MILESTONE_DUE_SOON", referenceNo: "JN7-0042", projectTitle: "Meals on wheels", position: 2, milestone: "Midterm", dueOn: "2026-09-30", days: 5, link: LINK },
  "monitoring-decision": { name: "Zhang San", referenceNo: "JN7-0042", projectTitle: "Meals on wheels", subject: "report", item: "Phase one", decision: "RETURNED", comment: "Attach the sign-in sheet", link: LINK },
  "donation-receipt": {
    name: "王芳",
    receiptNo: "DH-2026-000042",
    foundation: "当湖街道社区发展基金",
    amount: "¥200.00",
    matched: "¥200.00",
    sponsor: "平湖市民政局",
    paidAt: "2026-11-30 10:00",
    method: "wechat_pay",
    purpose: "",
    monthly: false,
    filing: "53330400MJ0000000X / 平湖市慈善总会",
    link: LINK,
  },
  "donation-refunded": { name: "王芳", receiptNo: "DH-2026-000042", foundation: "当湖街道社区发展基金", amount: "¥50.00", total: "¥50.00", reason: "重复捐赠", link: LINK },
  "data-export-ready": { name: "Zhang San", link: LINK, expiresAt: "2026/12/13 10:00" },
  "need-update": { name: "Zhang San", kind: "REPLY", number: 42, title: "Street lamp", detail: "Next week", link: LINK },
  "training-changed": { name: "Zhang San", number: 7, topic: "Project bookkeeping", startsAt: "2026-12-21T06:30:00.000Z", where: "Room 302", link: LINK },
  "training-cancelled": { name: "Zhang San", number: 7, topic: "Project bookkeeping", startsAt: "2026-12-20T02:00:00.000Z", reason: "The trainer is ill", link: LINK },
} satisfies { [N in TemplateName]: TemplateProps<N> };

/** Words that must appear in the subject or text of each template, per language. */
const expected: { [N in TemplateName]: Record<Locale, { subject: string[]; text: string[] }> } = {
  "verify-email": {
    "zh-CN": { subject: ["验证"], text: ["张三，您好", "验证邮箱"] },
    en: { subject: ["verify"], text: ["Hello 张三", "Verify email"] },
  },
  "reset-password": {
    "zh-CN": { subject: ["重置"], text: ["张三，您好", "设置新密码"] },
    en: { subject: ["Reset"], text: ["Hello 张三", "Choose a new password"] },
  },
  invitation: {
    "zh-CN": { subject: ["王建国", "当湖街道", "评审专家"], text: ["接受邀请", "当湖街道"] },
    en: { subject: ["王建国", "Danghu Subdistrict", "Judge"], text: ["Accept the invitation", "Danghu Subdistrict"] },
  },
  "role-granted": {
    "zh-CN": { subject: ["松枫社区", "工作人员"], text: ["李秀英，您好", "打开平台"] },
    en: { subject: ["Songfeng Community", "Official"], text: ["Hello 李秀英", "Open the platform"] },
  },
  "proposal-submitted": {
    "zh-CN": { subject: ["申报回执", "JN7-0042", "Meals on wheels"], text: ["张三，您好", "¥12,000.00", "Songfeng Neighbours", "申报编号", "查看申报"] },
    en: { subject: ["Proposal received", "JN7-0042"], text: ["Hello 张三", "¥12,000.00", "Reference: JN7-0042", "View the proposal"] },
  },
  "screening-decision": {
    "zh-CN": { subject: ["资格审查", "JN7-0042", "未通过"], text: ["张三，您好", "Budget lacks labour detail", "申报编号", "查看申报"] },
    en: { subject: ["Screening", "JN7-0042", "ineligible"], text: ["Hello 张三", "Budget lacks labour detail", "Reference: JN7-0042", "View the proposal"] },
  },
  "judge-invitation": {
    "zh-CN": { subject: ["评审", "Round 7"], text: ["Li Ming", "接受邀请", "利益冲突"] },
    en: { subject: ["judge", "Round 7"], text: ["Li Ming", "Accept", "conflicts of interest"] },
  },
  "partner-invitation": {
    "zh-CN": { subject: ["结对共建", "Huimin Supermarkets"], text: ["Li Ming", "成员", "2026/12/14 23:59", "接受邀请"] },
    en: { subject: ["partner unit", "Huimin Supermarkets"], text: ["Li Ming", "member", "2026/12/14 23:59", "Accept the invitation"] },
  },
  "judge-assignment": {
    "zh-CN": { subject: ["评审任务", "Round 7"], text: ["3", "2026/12/20", "开始评分"] },
    en: { subject: ["review", "Round 7"], text: ["3 proposal", "2026/12/20", "Start scoring"] },
  },
  "award-result": {
    "zh-CN": { subject: ["JN7-0042", "部分资助"], text: ["¥8,000.00", "¥12,000.00", "Meals on wheels"] },
    en: { subject: ["JN7-0042", "partially funded"], text: ["¥8,000.00", "¥12,000.00", "Meals on wheels"] },
  },
  "objection-update": {
    "zh-CN": { subject: ["异议", "JN7-0042", "不予采纳"], text: ["Scores checked again", "查看公示"] },
    en: { subject: ["objection", "JN7-0042", "dismissed"], text: ["Scores checked again", "View the notice"] },
  },
  "scoring-reminder": {
    "zh-CN": { subject: ["评分提醒", "Round 7"], text: ["2 个", "2026/12/20", "继续评分"] },
    en: { subject: ["Reminder", "Round 7"], text: ["2 score sheet", "2026/12/20", "Continue scoring"] },
  },
  "evaluation-invitation": {
    "zh-CN": { subject: ["结项评估", "JN7-0042"], text: ["Li Ming", "Meals on wheels", "Songfeng Neighbours", "100 分", "开始评估"] },
    en: { subject: ["evaluate", "JN7-0042"], text: ["Li Ming", "Meals on wheels", "Songfeng Neighbours", "100-point", "Start the evaluation"] },
  },
  "evaluation-withdrawn": {
    "zh-CN": { subject: ["撤回", "JN7-0042"], text: ["Dr. Wang", "Meals on wheels", "其他评估人", "查看项目评估"] },
    en: { subject: ["no longer needed", "JN7-0042"], text: ["Dr. Wang", "Meals on wheels", "Another evaluator", "View the evaluation"] },
  },
  "project-update": {
    "zh-CN": { subject: ["拨付", "JN7-0042"], text: ["¥4,000.00", "TR-2026-0001", "Meals on wheels"] },
    en: { subject: ["paid", "JN7-0042"], text: ["¥4,000.00", "TR-2026-0001", "Meals on wheels"] },
  },
  "foundation-money": {
    "zh-CN": { subject: ["争议", "G-7K2M9Q"], text: ["¥200.00", "2026/12/20 23:59", "查看捐赠"] },
    en: { subject: ["disputed", "G-7K2M9Q"], text: ["¥200.00", "2026/12/20 23:59", "See the gift"] },
  },
  "project-alerts": {
    "zh-CN": { subject: ["监测", "3 条"], text: ["Li Ming，您好", "JN7-0042", "里程碑逾期", "2026-09-30", "预算科目超支", "¥1,250.00", "另有 1 条", "打开官员看板"] },
    en: { subject: ["monitoring", "3 new alert"], text: ["Hello Li Ming", "JN7-0042", "Milestone overdue", "2026-09-30", "Budget line overspent", "¥1,250.00", "and 1 more", "Open the dashboard"] },
  },
  "grantee-reminder": {
    "zh-CN": { subject: ["里程碑即将到期", "JN7-0042", "第 2 项"], text: ["Zhang San，您好", "Midterm", "2026/09/30", "还有 5 天", "填写里程碑报告"] },
    en: { subject: ["Milestone due soon", "JN7-0042"], text: ["Hello Zhang San", "Midterm", "09/30/2026", "in 5 day", "Write the milestone report"] },
  },
  "monitoring-decision": {
    "zh-CN": { subject: ["里程碑报告", "JN7-0042", "退回"], text: ["Zhang San，您好", "Phase one", "Attach the sign-in sheet", "查看详情"] },
    en: { subject: ["Milestone report", "JN7-0042", "returned"], text: ["Hello Zhang San", "Phase one", "Attach the sign-in sheet", "View details"] },
  },
  "donation-receipt": {
    "zh-CN": { subject: ["捐赠收据", "DH-2026-000042"], text: ["王芳，您好", "¥200.00", "微信支付", "配捐", "平湖市民政局", "公开募捐备案", "Stripe"] },
    en: { subject: ["receipt", "DH-2026-000042"], text: ["Hello 王芳", "¥200.00", "WeChat Pay", "Matched", "平湖市民政局", "fundraising filing", "Stripe"] },
  },
  "donation-refunded": {
    "zh-CN": { subject: ["退款", "DH-2026-000042"], text: ["王芳，您好", "¥50.00", "重复捐赠"] },
    en: { subject: ["Refund", "DH-2026-000042"], text: ["Hello 王芳", "¥50.00", "重复捐赠"] },
  },
  "data-export-ready": {
    "zh-CN": { subject: ["个人信息", "副本"], text: ["Zhang San，您好", "2026/12/13 10:00", "登录", "下载"] },
    en: { subject: ["copy of your personal data"], text: ["Hello Zhang San", "2026/12/13 10:00", "signed in", "Download"] },
  },
  "need-update": {
    "zh-CN": { subject: ["官方回复", "Street lamp"], text: ["第 42 号需求", "Next week", "查看讨论"] },
    en: { subject: ["An official replied", "Street lamp"], text: ["need #42", "Next week", "See the conversation"] },
  },
  "training-changed": {
    "zh-CN": { subject: ["培训时间或地点有变", "Project bookkeeping"], text: ["Zhang San，您好", "2026/12/21 14:30", "Room 302", "查看培训"] },
    en: { subject: ["Training moved", "Project bookkeeping"], text: ["Hello Zhang San", "12/21/2026", "Room 302", "See the training"] },
  },
  "training-cancelled": {
    "zh-CN": { subject: ["培训已取消", "Project bookkeeping"], text: ["Zhang San，您好", "2026/12/20 10:00", "The trainer is ill", "查看培训"] },
    en: { subject: ["Training cancelled", "Project bookkeeping"], text: ["Hello Zhang San", "12/20/2026", "The trainer is ill", "See the training"] },
  },
};

const names = Object.keys(templates) as TemplateName[];
const keyPrefixes = [...new Set(Object.keys(messages).map((k) => k.split(".")[0]!))];
// a message key left untranslated looks like "email.verify.subject" or "role.JUDGE"
const untranslatedKey = new RegExp(`(?<![\\w@/.-])(?:${keyPrefixes.join("|")})\\.[A-Za-z_]+(?:\\.[A-Za-z_]+)*`);

const hasCjk = (s: string) => /[\u4e00-\u9fff]/.test(s);

describe("email templates", () => {
  it("has fixtures and expectations for every template", () => {
    expect(Object.keys(fixtures).sort()).toEqual([...names].sort());
    expect(Object.keys(expected).sort()).toEqual([...names].sort());
  });

  for (const name of names) {
    for (const locale of LOCALES) {
      it(`${name} renders in ${locale}`, async () => {
        const mail = await renderEmail(name, fixtures[name] as never, locale);
        const words = expected[name][locale];
        for (const w of words.subject) expect(mail.subject).toContain(w);
        for (const w of words.text) expect(mail.text).toContain(w);

        // the footer and brand are in the right language, in both parts
        expect(mail.text).toContain(translate(locale, "app.name"));
        expect(mail.text).toContain(translate(locale, "email.footer"));
        expect(mail.html).toContain(`lang="${locale}"`);

        // the link is in the text part (fallback line) and in the HTML (button href)
        expect(mail.text).toContain(LINK);
        expect(mail.html).toContain(`href="${LINK.replace(/&/g, "&amp;")}"`);

        // no message key shows through, in any part
        for (const part of [mail.subject, mail.text, mail.html]) {
          expect(part).not.toMatch(untranslatedKey);
          expect(part).not.toMatch(/\{[a-zA-Z]+\}/); // no unfilled placeholder
        }

        // an English email has no Chinese of its own (names the user typed may still be Chinese)
        if (locale === "en") {
          const stripped = mail.subject.replace(/王建国|张三|李秀英/g, "");
          expect(hasCjk(stripped)).toBe(false);
          expect(mail.text).not.toContain(translate("zh-CN", "email.footer"));
        } else {
          expect(hasCjk(mail.subject)).toBe(true);
          expect(mail.text).not.toContain(translate("en", "email.footer"));
        }
      });
    }
  }

  it("every email.* message has both languages and the same placeholders in each", () => {
    for (const [key, value] of Object.entries(messages)) {
      if (!key.startsWith("email.")) continue;
      expect(value.zh.trim(), key).not.toBe("");
      expect(value.en.trim(), key).not.toBe("");
      const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(placeholders(value.en), key).toEqual(placeholders(value.zh));
    }
  });
});
