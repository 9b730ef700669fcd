import { describe, expect, it } from "vitest";
import { embedsFont, pdfPages } from "../../tests/support/pdf";
import { PdfWriter, type FrameOptions } from "./pdf.server";

const frame = (over: Partial<FrameOptions> = {}): FrameOptions => ({
  locale: "zh-CN",
  title: "测试文件",
  issuer: "平湖市当湖街道办事处 · 测试基金",
  reference: "JN7-0042",
  fingerprint: { label: "指纹（SHA-256）", sha256: "ab".repeat(32) },
  date: new Date("2026-05-01T02:00:00Z"),
  ...over,
});

/** A document with a table of `rows` rows, after a title and a paragraph. */
function write(rows: number, over: Partial<FrameOptions> = {}) {
  const w = new PdfWriter(frame(over));
  w.title("测试文件", "副标题").paragraph("第一段正文。");
  w.heading("名单").table(
    [
      { header: "编号", width: 1 },
      { header: "项目名称", width: 3 },
      { header: "金额", width: 1, align: "right" },
    ],
    Array.from({ length: rows }, (_, i) => [`JN7-${String(i + 1).padStart(4, "0")}`, `社区项目第${i + 1}号`, `¥${i + 1},000.00`]),
  );
  w.signatures("签章", [
    { party: "甲方", name: "街道办事处", recorded: ["张三 于 2026-05-01 在线会签"], seal: true },
    { party: "乙方", name: "居民团队", recorded: [], seal: true },
  ]);
  return w.end();
}

describe("the PDF toolkit", () => {
  it("frames every page: issuer and reference on top, the fingerprint and 第 N 页 / 共 M 页 at the foot; the font is embedded", async () => {
    const bytes = await write(3);
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(embedsFont(bytes)).toBe(true);
    const pages = await pdfPages(bytes);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toContain("平湖市当湖街道办事处 · 测试基金");
    expect(pages[0]).toContain("JN7-0042");
    expect(pages[0]).toContain(`指纹（SHA-256）：${"ab".repeat(32)}`);
    expect(pages[0]).toContain("第 1 页 / 共 1 页");
    expect(pages[0]).toContain("社区项目第3号");
    expect(pages[0]).toContain("（盖章）");
  });

  it("breaks a long table across pages, repeating its header row, and numbers the pages out of the total", async () => {
    const pages = await pdfPages(await write(120));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    pages.forEach((p, i) => {
      expect(p).toContain(`第 ${i + 1} 页 / 共 ${pages.length} 页`);
      expect(p).toContain(`指纹（SHA-256）：${"ab".repeat(32)}`);
    });
    for (const p of pages.slice(1, -1)) expect(p).toContain("项目名称"); // the header row again
    const all = pages.join("\n");
    for (let i = 1; i <= 120; i++) expect(all).toContain(`社区项目第${i}号`);
    // the signature blocks stay whole with their heading, on one page
    const signed = pages.filter((p) => p.includes("签章"));
    expect(signed).toHaveLength(1);
    expect(signed[0]).toContain("甲方");
    expect(signed[0]).toContain("乙方");
  });

  it("numbers the pages in English for an English reader", async () => {
    const pages = await pdfPages(await write(120, { locale: "en" }));
    expect(pages[0]).toContain(`Page 1 of ${pages.length}`);
  });

  it("gives the same bytes for the same data, and other bytes when the data's date differs", async () => {
    const a = await write(40);
    const b = await write(40);
    expect(Buffer.compare(a, b)).toBe(0);
    const c = await write(40, { date: new Date("2026-05-02T02:00:00Z") });
    expect(Buffer.compare(a, c)).not.toBe(0);
    const d = await write(41);
    expect(Buffer.compare(a, d)).not.toBe(0);
  });

  it("cuts a row taller than a page to the page instead of running it over the frame", async () => {
    const w = new PdfWriter(frame());
    w.table([{ header: "编号", width: 1 }, { header: "理由", width: 4 }], [["JN7-0001", "很长的理由。".repeat(2_000)], ["JN7-0002", "短"]]);
    const pages = await pdfPages(await w.end());
    expect(pages).toHaveLength(2); // the long row fills the first page below the header row, cut with an ellipsis
    pages.forEach((p, i) => expect(p).toContain(`第 ${i + 1} 页 / 共 2 页`));
    expect(pages[0]).toContain("…");
    expect(pages[1]).toContain("编号");
    expect(pages[1]).toContain("JN7-0002");
  });
});
