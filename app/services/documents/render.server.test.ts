import { describe, expect, it } from "vitest";
import { embedsFont, pdfPages } from "../../../tests/support/pdf";
import { agreementTerms } from "~/domain/agreement";
import { DEFAULT_CATEGORIES } from "~/domain/categories";
import type { ProposalSnapshot } from "~/domain/proposals";
import { renderAgreementPdf, renderNoticePdf, renderProposalPdf, renderResultsPdf, renderScreeningPdf, type NoticeDocument, type ResultsDocument, type ScreeningDocument } from "./render.server";

const area = { nameZh: "当湖街道办事处", nameEn: "Danghu Subdistrict Office" };
const foundation = { nameZh: "当湖社区基金", nameEn: "Danghu Community Fund" };
const HASH = "c0ffee".repeat(10) + "beef";

function notice(n: number): NoticeDocument {
  return {
    round: { code: "JN7", title: "第七届社区公益创投", noticeDays: 5 },
    area,
    foundation,
    publishedAt: new Date("2026-05-06T02:00:00Z"),
    finalizedAt: null,
    startsAt: new Date("2026-05-06T02:00:00Z"),
    endsAt: new Date("2026-05-12T16:00:00Z"),
    objectionUrl: "https://example.org/rounds/JN7/notice",
    awards: Array.from({ length: n }, (_, i) => ({
      rank: i + 1,
      referenceNo: `JN7-${String(i + 1).padStart(4, "0")}`,
      title: `长者助餐服务第${i + 1}期`,
      organization: `松枫社区志愿队${i + 1}`,
      community: { nameZh: "松枫社区", nameEn: "Songfeng" },
      awardFen: i < n - 2 ? 1_000_000 : 0,
      outcome: i < n - 2 ? "FUNDED" : "WAITLIST",
      restarted: i === 1,
    })),
    sha256: HASH,
    asOf: new Date("2026-05-06T02:00:00Z"),
  };
}

const snapshot: ProposalSnapshot = {
  referenceNo: "JN7-0042",
  submittedAt: "2026-03-01T01:30:00.000Z",
  submittedBy: { id: "u1", name: "王小明" },
  round: { id: "r1", code: "JN7", title: "第七届社区公益创投" },
  organization: { id: "o1", name: "松枫社区志愿队", kind: "RESIDENT_TEAM" },
  title: "长者助餐",
  summary: "为独居老人每日送餐。",
  community: { id: "c1", code: "330482001001", nameZh: "松枫社区", nameEn: "Songfeng" },
  category: "PUBLIC_SERVICE",
  needs: [{ id: "n1", number: 12, title: "独居老人吃饭难" }],
  beneficiaryGroups: ["ELDERLY"],
  beneficiaryCount: 60,
  activityPlan: "每周一至周五中午送餐上门。".repeat(40),
  coFundingFen: 50_000,
  milestones: [
    { title: "启动", dueOn: "2026-07-01", deliverable: "招募志愿者" },
    { title: "中期", dueOn: "2026-09-01", deliverable: "中期报告" },
  ],
  budgetLines: Array.from({ length: 45 }, (_, i) => ({ category: "MATERIALS", item: `餐盒第${i + 1}批`, quantity: 10, unitPriceFen: 2_000, totalFen: 20_000 })),
  team: [{ name: "李四", role: "负责人", experience: "五年社区服务" }],
  attachments: [{ id: "a1", uploadId: "u1", label: "组织登记证书", name: "证书.pdf", mimeType: "application/pdf", sizeBytes: 1000, sha256: "ab".repeat(32) }],
  totals: { totalFen: 900_000, labourFen: 0, labourPercent: 0, byCategory: { MATERIALS: 900_000 } },
} as unknown as ProposalSnapshot;

const terms = agreementTerms({
  snapshot: {
    referenceNo: "JN7-0001",
    title: "长者助餐",
    summary: "为独居老人送餐",
    organization: { name: "松枫社区志愿队", kind: "RESIDENT_TEAM" },
    community: { nameZh: "松枫社区", nameEn: "Songfeng" },
    category: "PUBLIC_SERVICE",
    beneficiaryCount: 60,
    coFundingFen: 50_000,
    milestones: [
      { title: "启动", dueOn: "2027-03-01", deliverable: "" },
      { title: "中期", dueOn: "2027-06-01", deliverable: "" },
      { title: "总结", dueOn: null, deliverable: "" },
    ],
    budgetLines: [
      { category: "MATERIALS", item: "餐盒", totalFen: 700_000 },
      { category: "LABOUR", item: "劳务", totalFen: 300_001 },
    ],
  },
  round: { code: "JN7", title: "第七届", trancheSchedule: [{ percent: 50, trigger: "AGREEMENT" }, { percent: 30, trigger: "MIDTERM" }, { percent: 20, trigger: "FINAL" }], evaluationPassScore: 60 },
  area,
  foundation,
  awardFen: 900_001,
  generatedAt: new Date("2027-01-01T00:00:00Z"),
});
const unsigned = { acceptedBy: null, acceptedAt: null, countersignedBy: null, countersignedAt: null, termsSha256: HASH };

/** The text without its line breaks and spaces: table cells wrap where their column ends. */
const flat = (pages: string[]) => pages.join("").replace(/\s+/g, "");

/** Every page numbered "第 N 页 / 共 M 页" and carrying `text` (the reference or the hash). */
function everyPage(pages: string[], ...texts: string[]) {
  pages.forEach((p, i) => {
    expect(p).toContain(`第 ${i + 1} 页 / 共 ${pages.length} 页`);
    for (const t of texts) expect(p).toContain(t);
  });
}

describe("the public notice PDF", () => {
  it("shows the issuing office, the period in China time, the list, the objection channel and deadline, and a seal area", async () => {
    const bytes = await renderNoticePdf(notice(4), "zh-CN");
    expect(embedsFont(bytes)).toBe(true);
    const pages = await pdfPages(bytes);
    const all = pages.join("\n");
    everyPage(pages, "当湖街道办事处 · 当湖社区基金", HASH);
    expect(all).toContain("社区公益创投拟资助项目公示");
    expect(all).toContain("2026/05/06 10:00 至 2026/05/13 00:00（北京时间）");
    for (const col of ["申报编号", "项目名称", "申报组织", "服务社区", "拟资助金额", "结果"]) expect(all).toContain(col);
    expect(all).toContain("JN7-0004");
    expect(all).toContain("松枫社区志愿队3");
    expect(all).toContain("¥10,000.00");
    expect(all).toContain("候补");
    expect(flat(pages)).toContain("经异议处理后重新公示");
    expect(all).toContain("拟资助 2 项，合计 ¥20,000.00");
    expect(flat(pages)).toContain("https://example.org/rounds/JN7/notice");
    expect(flat(pages)).toContain("请于2026/05/1300:00（北京时间）前");
    expect(all).toContain("（盖章）");
  });

  it("once final, says so instead of inviting objections", async () => {
    const all = flat(await pdfPages(await renderNoticePdf({ ...notice(2), finalizedAt: new Date("2026-05-13T01:00:00Z") }, "zh-CN")));
    expect(all).toContain("资助结果已于2026/05/1309:00（北京时间）确定");
    expect(all).not.toContain("实名提交书面异议");
  });

  it("runs a long list over several numbered pages, every item printed", async () => {
    const pages = await pdfPages(await renderNoticePdf(notice(90), "zh-CN"));
    expect(pages.length).toBeGreaterThan(2);
    everyPage(pages, HASH);
    const all = pages.join("\n");
    for (let i = 1; i <= 90; i++) expect(all).toContain(`JN7-${String(i).padStart(4, "0")}`);
  });

  it("is the same bytes for the same data", async () => {
    const [a, b] = await Promise.all([renderNoticePdf(notice(10), "zh-CN"), renderNoticePdf(notice(10), "zh-CN")]);
    expect(a.equals(b)).toBe(true);
    const changed = notice(10);
    changed.awards[0]!.awardFen = 999_999;
    expect((await renderNoticePdf(changed, "zh-CN")).equals(a)).toBe(false);
  });
});

describe("the proposal as filed (申报书)", () => {
  it("prints the snapshot with its reference and SHA-256 on every page", async () => {
    const bytes = await renderProposalPdf({ snapshot, snapshotSha256: HASH, categories: DEFAULT_CATEGORIES, area, foundation }, "zh-CN");
    expect(embedsFont(bytes)).toBe(true);
    const pages = await pdfPages(bytes);
    expect(pages.length).toBeGreaterThan(1);
    everyPage(pages, "JN7-0042", HASH);
    const all = pages.join("\n");
    for (const s of ["社区公益创投项目申报书", "长者助餐", "松枫社区志愿队", "公益服务类", "老年人", "#12 独居老人吃饭难", "餐盒第45批", "李四", "组织登记证书", "王小明", "2026/03/01 09:30"]) expect(all).toContain(s);
    expect(all).toContain("¥9,000.00");
  });
});

describe("the grant agreement", () => {
  it("has both parties' signature and seal blocks together on one page, with the terms' hash and page numbers on every page", async () => {
    const bytes = await renderAgreementPdf(terms, unsigned, "zh-CN");
    const pages = await pdfPages(bytes);
    everyPage(pages, "JN7-0001", `协议文本指纹（SHA-256）：${HASH}`);
    const signing = pages.filter((p) => p.includes("（盖章）"));
    expect(signing).toHaveLength(1);
    for (const s of ["乙方（受资助方）", "甲方尚未在线会签", "乙方尚未在线确认", "签字", "日期", "（盖章）"]) expect(signing[0]).toContain(s);
    // no page holds a lone line: each page carries more than its frame
    for (const p of pages) {
      const body = p.split("\n").filter((l) => l.trim() && !l.includes("第 ") && !l.includes("SHA-256") && !l.includes("当湖街道办事处 · 当湖社区基金"));
      expect(body.length).toBeGreaterThan(2);
    }
  });

  it("records who accepted and countersigned, and the date of the last signature makes the bytes", async () => {
    const signed = { ...unsigned, acceptedBy: "王小明", acceptedAt: new Date("2027-01-05T02:00:00Z"), countersignedBy: "赵官员", countersignedAt: new Date("2027-01-06T03:00:00Z") };
    const a = await renderAgreementPdf(terms, signed, "zh-CN");
    const all = (await pdfPages(a)).join("\n");
    expect(all).toContain("赵官员 于 2027/01/06 11:00 在线会签");
    expect(all).toContain("王小明 于 2027/01/05 10:00 在线确认");
    expect((await renderAgreementPdf(terms, signed, "zh-CN")).equals(a)).toBe(true);
    const en = (await pdfPages(await renderAgreementPdf(terms, signed, "en"))).join("\n");
    expect(en).toContain("Countersigned online by 赵官员");
    expect(en).toMatch(/Page 1 of \d/);
  });
});

describe("the officials' sheets", () => {
  const screening: ScreeningDocument = {
    round: { code: "JN7", title: "第七届社区公益创投" },
    area,
    foundation,
    categories: DEFAULT_CATEGORIES,
    rows: Array.from({ length: 70 }, (_, i) => ({
      referenceNo: `JN7-${String(i + 1).padStart(4, "0")}`,
      title: `项目${i + 1}`,
      organization: `组织${i + 1}`,
      community: null,
      category: "PUBLIC_SERVICE",
      requestedFen: 1_000_000,
      status: i % 3 === 0 ? "INELIGIBLE" : i % 3 === 1 ? "ELIGIBLE" : "SUBMITTED",
      reason: i % 3 === 0 ? "预算超出上限" : null,
      screenedBy: i % 3 === 2 ? null : "钱审查",
      screenedAt: i % 3 === 2 ? null : new Date("2026-03-05T02:00:00Z"),
    })),
    sha256: HASH,
    asOf: new Date("2026-03-05T02:00:00Z"),
  };

  it("the screening sheet lists every proposal with its outcome, reason and screener, over numbered pages", async () => {
    const pages = await pdfPages(await renderScreeningPdf(screening, "zh-CN"));
    expect(pages.length).toBeGreaterThan(1);
    everyPage(pages, "JN7", HASH);
    const all = pages.join("\n");
    expect(all).toContain("共 70 份申报：符合条件 23 份，不符合条件 24 份，待审查 23 份。");
    expect(all).toContain("JN7-0070");
    expect(all).toContain("预算超出上限");
    expect(all).toContain("钱审查");
    expect(all).toContain("审核人");
  });

  it("the results sheet lists the ranking with composite, outcome and amount", async () => {
    const results: ResultsDocument = {
      round: { code: "JN7", title: "第七届", poolFen: 5_000_000, minScore: 60, zScore: true, weights: { review: 60, roadshow: 20, publicVote: 20 } },
      area,
      foundation,
      rows: [
        { rank: 1, referenceNo: "JN7-0002", title: "乙项目", organization: "乙组织", community: null, composite: 88.456, judgeCount: 5, requestedFen: 1_200_000, outcome: "FUNDED", awardFen: 1_200_000, status: "PROPOSED" },
        { rank: 2, referenceNo: "JN7-0001", title: "甲项目", organization: "甲组织", community: null, composite: null, judgeCount: 0, requestedFen: 1_000_000, outcome: "BELOW_MINIMUM", awardFen: 0, status: "UNPUBLISHED" },
      ],
      sha256: HASH,
      asOf: new Date("2026-04-20T02:00:00Z"),
    };
    const pages = await pdfPages(await renderResultsPdf(results, "zh-CN"));
    everyPage(pages, HASH);
    for (const s of ["评审排名及资助结果表", "资金池¥50,000.00", "88.46", "未达分数线", "公示中", "未公示", "资助1项，合计¥12,000.00"]) expect(flat(pages)).toContain(s);
  });
});
