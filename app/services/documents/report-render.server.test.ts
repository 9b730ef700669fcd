import { describe, expect, it } from "vitest";
import { evaluationFigures, objectionFigures, peopleFigures, projectFigures, roundMoney, satisfactionFigures, type ReportFigures } from "~/domain/reports";
import { embedsFont, pdfPages } from "../../../tests/support/pdf";
import { renderReportPdf } from "./render.server";

const figures: ReportFigures = {
  figuresVersion: 1,
  kind: "ROUND",
  ref: "JN6",
  title: { zh: "第六届微创投 结项报告", en: "6th round — closing report" },
  issuer: { zh: "当湖街道 · 社区发展基金", en: "Danghu · Community Fund" },
  period: { from: "2025-09-01", to: "2026-12-03" },
  asOf: "2026-12-03T02:00:00.000Z",
  roundMoney: roundMoney([
    { accountKind: "ROUND_POOL", kind: "ROUND_POOL", fen: 50_000_000 },
    { accountKind: "ROUND_POOL", kind: "AWARD_COMMIT", fen: -1_234_567 },
    { accountKind: "AWARD_COMMITTED", kind: "AWARD_COMMIT", fen: 1_234_567 },
  ]),
  annualMoney: null,
  fundraising: null,
  projects: projectFigures([{ status: "CLOSED", category: "CARE", awardFen: 1_234_567, releasedFen: 0, spentFen: 0, beneficiaries: 12, reportedServed: 30, calls: { satisfied: 3, partly: 1, notSatisfied: 0, unreached: 0 }, evaluation: { passed: true, total: 90 } }], [{ key: "CARE", nameZh: "关爱服务", nameEn: "Care" }], (s) => ({ zh: `状态-${s}`, en: `state-${s}` })),
  people: peopleFigures([]),
  satisfaction: satisfactionFigures([]),
  evaluations: evaluationFigures([]),
  objections: objectionFigures([{ status: "DISMISSED", proposal: "JN6-0002", resolution: "复核后维持原评分" }]),
  rounds: [],
};
const doc = { figures, number: 7, version: 2, contentHash: "ab".repeat(32), date: new Date("2026-12-03T02:00:00Z") };

describe("the report PDF", () => {
  it("prints the title, every section, the figures to the fen, the rulings, the fingerprint and page numbers, with its fonts embedded", async () => {
    const bytes = await renderReportPdf(doc, "zh-CN");
    expect(embedsFont(bytes)).toBe(true);
    const pages = await pdfPages(bytes);
    const text = pages.join("\n");
    for (const s of ["第六届微创投 结项报告", "一、资金收支与结余", "¥500,000.00", "¥12,345.67", "关爱服务", "异议及处理结果", "复核后维持原评分", "ab".repeat(32), `第 1 页 / 共 ${pages.length} 页`, "No. 7"])
      expect(text.replace(/\s+/g, " ")).toContain(s);
  });

  it("is the same bytes for the same figures, and reads in English for English readers", async () => {
    const [a, b] = [await renderReportPdf(doc, "zh-CN"), await renderReportPdf(doc, "zh-CN")];
    expect(Buffer.compare(a, b)).toBe(0);
    const text = (await pdfPages(await renderReportPdf(doc, "en"))).join("\n").replace(/\s+/g, " ");
    expect(text).toContain("1. Money in, out and unspent");
    expect(text).toContain("Page 1 of");
  });

  it("marks a draft as a draft", async () => {
    const text = (await pdfPages(await renderReportPdf({ ...doc, number: null, version: null }, "zh-CN"))).join("\n");
    expect(text).toContain("草稿");
  });
});
