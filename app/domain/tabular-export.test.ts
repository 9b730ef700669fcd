import { describe, expect, it } from "vitest";
import { bilingualHeader, csvField, csvRecord, exportFileName, formulaSafe, parseExportFile } from "./tabular-export";

describe("formulaSafe", () => {
  it("prefixes text a spreadsheet would run as a formula with an apostrophe", () => {
    for (const s of ["=1+1", "+86 138", "-2", "@SUM(A1)", "\t=1", "\r=1"]) expect(formulaSafe(s)).toBe(`'${s}`);
  });
  it("leaves other text alone", () => {
    for (const s of ["助老服务", "a=b", " =1", "", "'quoted"]) expect(formulaSafe(s)).toBe(s);
  });
});

describe("csvField", () => {
  it("writes numbers as numbers, negative ones too, and null as an empty field", () => {
    expect(csvField(-12.5)).toBe("-12.5");
    expect(csvField(0)).toBe("0");
    expect(csvField(Number.NaN)).toBe("");
    expect(csvField(null)).toBe("");
  });
  it("quotes text with commas, quotes or line breaks, doubling the quotes", () => {
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('说"好"')).toBe('"说""好"""');
    expect(csvField("一\n二")).toBe('"一\n二"');
    expect(csvField("平湖")).toBe("平湖");
  });
  it("guards formulas before quoting", () => {
    expect(csvField('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
    expect(csvField("-1")).toBe("'-1");
  });
});

describe("csvRecord", () => {
  it("joins fields with commas and ends with CRLF", () => {
    expect(csvRecord(["a", 1, null, "b,c"])).toBe('a,1,,"b,c"\r\n');
  });
});

describe("bilingualHeader", () => {
  it("puts Chinese first and English second, once when they are the same", () => {
    expect(bilingualHeader("金额（元）", "Amount (yuan)")).toBe("金额（元） / Amount (yuan)");
    expect(bilingualHeader("#", "#")).toBe("#");
  });
});

describe("parseExportFile", () => {
  it("reads the dataset and format from the file name", () => {
    expect(parseExportFile("needs.xlsx")).toEqual({ dataset: "needs", format: "xlsx" });
    expect(parseExportFile("donations.csv")).toEqual({ dataset: "donations", format: "csv" });
  });
  it("refuses unknown datasets and formats", () => {
    for (const f of ["users.csv", "needs.pdf", "needs", "../needs.csv", "needs.csv.exe"]) expect(parseExportFile(f)).toBeNull();
  });
});

describe("exportFileName", () => {
  it("keeps ASCII letters, digits, dots and dashes", () => {
    expect(exportFileName(["needs", "pinghu/danghu", null, "2026-12-06"], "csv")).toBe("needs-pinghu-danghu-2026-12-06.csv");
    expect(exportFileName(["基金"], "xlsx")).toBe("export.xlsx");
  });
});
