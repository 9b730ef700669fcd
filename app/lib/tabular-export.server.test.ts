import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import type { ExportColumn } from "~/domain/tabular-export";
import { keysetBatches, tabularResponse } from "./tabular-export.server";

describe("keysetBatches", () => {
  it("asks for each batch after the last row of the one before and ends at a short batch", async () => {
    const asked: (number | null)[] = [];
    const rows = Array.from({ length: 7 }, (_, i) => i + 1);
    const batches = keysetBatches<number>(async (after, take) => {
      asked.push(after);
      return rows.filter((r) => r > (after ?? 0)).slice(0, take);
    }, 3);
    const seen: number[][] = [];
    for await (const b of batches) seen.push(b);
    expect(seen).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(asked).toEqual([null, 3, 6]);
  });

  it("reads once more after a full last batch and yields no empty batch", async () => {
    const sizes: number[] = [];
    const seen: number[][] = [];
    for await (const b of keysetBatches<number>(async (after) => (after === null ? [1, 2] : []), 2, (n) => sizes.push(n))) seen.push(b);
    expect(seen).toEqual([[1, 2]]);
    expect(sizes).toEqual([2, 0]);
  });
});

type Row = { name: string; fen: number };
const columns: ExportColumn<Row>[] = [
  { header: "exports.col.donor", value: (r) => r.name },
  { header: "exports.col.amountYuan", value: (r) => r.fen / 100 },
];
async function* two(): AsyncGenerator<Row[]> {
  yield [{ name: "王芳", fen: 12_345 }];
  yield [{ name: "=1+1", fen: -500 }];
}

describe("tabularResponse", () => {
  it("writes CSV: a BOM, bilingual headers, guarded text, numbers as numbers", async () => {
    const res = tabularResponse({ format: "csv", filename: "x.csv", sheet: "x", columns, batches: two() });
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="x.csv"');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.toString("utf8")).toBe("\uFEFF捐赠人 / Donor,金额（元） / Amount (yuan)\r\n王芳,123.45\r\n'=1+1,-5\r\n");
  });

  it("writes XLSX: a bold frozen header row, then the rows, text as text and numbers as numbers", async () => {
    const res = tabularResponse({ format: "xlsx", filename: "x.xlsx", sheet: "gifts", columns, batches: two() });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const sheet = workbook.getWorksheet("gifts")!;
    expect(sheet.getRow(1).values).toEqual([undefined, "捐赠人 / Donor", "金额（元） / Amount (yuan)"]);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.getRow(2).values).toEqual([undefined, "王芳", 123.45]);
    // a string cell, never a formula
    expect(sheet.getRow(3).getCell(1).type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getRow(3).values).toEqual([undefined, "=1+1", -5]);
  });
});
