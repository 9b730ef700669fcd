import { describe, expect, it } from "vitest";
import { messages } from "~/locales";
import {
  csvSafeText,
  dataFileUrl,
  datasetByName,
  OPEN_DATASETS,
  parseDataFile,
  publicMemo,
  shanghaiDay,
  shanghaiIso,
  shortenText,
  type OpenDataset,
} from "./open-data";

const datasets = OPEN_DATASETS as readonly OpenDataset[];
const CJK = /[\u4e00-\u9fff]/;

describe("open data catalogue", () => {
  it("has unique, URL-safe dataset names, each documented in both languages", () => {
    const names = datasets.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    for (const d of datasets) {
      expect(d.name).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(d.titleZh).toMatch(CJK);
      expect(d.descriptionZh).toMatch(CJK);
      expect(d.titleEn.trim()).not.toBe("");
      expect(d.descriptionEn.trim().length).toBeGreaterThan(10);
    }
  });

  it("covers every public table", () => {
    expect(datasets.map((d) => d.name).sort()).toEqual(
      [
        "areas",
        "awards",
        "budget-lines",
        "callback-summaries",
        "campaigns",
        "deliberation-matters",
        "donations",
        "eligible-proposals",
        "expenses",
        "foundations",
        "ledger-transactions",
        "milestone-reports",
        "needs",
        "objections",
        "projects",
        "rounds",
        "tranches",
        "wishes",
        "volunteer-hours",
      ].sort(),
    );
  });

  it("documents every column with a type and a description in Chinese and English", () => {
    for (const d of datasets) {
      const names = d.columns.map((c) => c.name);
      expect(new Set(names).size, d.name).toBe(names.length);
      expect(d.columns.length, d.name).toBeGreaterThan(0);
      for (const c of d.columns) {
        expect(c.name, `${d.name}.${c.name}`).toMatch(/^[a-z][a-z0-9_]*$/);
        expect(["string", "integer", "number", "boolean", "datetime", "date"]).toContain(c.type);
        expect(c.zh, `${d.name}.${c.name} zh`).toMatch(CJK);
        expect(c.en.trim(), `${d.name}.${c.name} en`).not.toBe("");
        expect(c.en, `${d.name}.${c.name} en`).not.toMatch(/^[\u4e00-\u9fff]+$/);
      }
    }
  });

  it("keeps the money and time conventions: *_fen integer, *_at date-times, *_on days", () => {
    for (const d of datasets) {
      for (const c of d.columns) {
        if (c.name.endsWith("_fen")) expect(c.type, `${d.name}.${c.name}`).toBe("integer");
        if (c.name.endsWith("_at")) expect(c.type, `${d.name}.${c.name}`).toBe("datetime");
        if (c.name.endsWith("_on")) expect(c.type, `${d.name}.${c.name}`).toBe("date");
        if (c.type === "datetime") expect(c.name, `${d.name}.${c.name}`).toMatch(/_(at|deadline)$/);
      }
    }
  });

  it("has no column that could hold personal data", () => {
    const forbidden = /email|mail|user|phone|payee|beneficiar|author|token|ip_|password|judge|name_enc|transfer/;
    for (const d of datasets) for (const c of d.columns) expect(c.name, `${d.name}.${c.name}`).not.toMatch(forbidden);
  });

  it("has a label for every column type on the catalogue page", () => {
    const keys = messages as Record<string, unknown>;
    for (const d of datasets) for (const c of d.columns) expect(keys[`openData.type.${c.type}`], c.type).toBeDefined();
  });
});

describe("open data addresses", () => {
  it("parses <name>.csv and <name>.json, and nothing else", () => {
    expect(parseDataFile("donations.csv")).toMatchObject({ dataset: { name: "donations" }, format: "csv" });
    expect(parseDataFile("ledger-transactions.json")).toMatchObject({ dataset: { name: "ledger-transactions" }, format: "json" });
    for (const bad of ["donations", "donations.xlsx", "Donations.csv", "donations.CSV", "secrets.csv", "../donations.csv", "donations.csv.json.csv", "donations.json/", "", ".csv"]) {
      expect(parseDataFile(bad), bad).toBeNull();
    }
  });

  it("gives every dataset a stable address that parses back to it", () => {
    for (const d of datasets) {
      for (const f of ["csv", "json"] as const) {
        const url = dataFileUrl(d.name, f);
        expect(url).toBe(`/open-data/${d.name}.${f}`);
        expect(parseDataFile(url.slice("/open-data/".length))?.dataset).toBe(d);
      }
    }
    expect(datasetByName("nope")).toBeNull();
  });
});

describe("open data values", () => {
  it("writes instants in Asia/Shanghai with the +08:00 offset, and days as the Shanghai date", () => {
    expect(shanghaiIso(new Date("2026-06-01T01:00:00Z"))).toBe("2026-06-01T09:00:00+08:00");
    expect(shanghaiIso(new Date("2026-12-31T16:30:00Z"))).toBe("2027-01-01T00:30:00+08:00");
    expect(shanghaiIso(null)).toBeNull();
    expect(new Date(shanghaiIso(new Date("2026-03-04T05:06:07Z"))!).toISOString()).toBe("2026-03-04T05:06:07.000Z");
    expect(shanghaiDay(new Date("2026-07-31T16:00:00Z"))).toBe("2026-08-01");
    expect(shanghaiDay(undefined)).toBeNull();
  });

  it("cuts the bank transfer reference off a tranche release's memo, and leaves other memos alone", () => {
    expect(publicMemo("TRANCHE_RELEASE", "JN6-0003 第1期拨付 / tranche 1 paid · BANK-REF-SECRET")).toBe("JN6-0003 第1期拨付 / tranche 1 paid");
    expect(publicMemo("TRANCHE_RELEASE", "JN6-0003 第1期拨付 / tranche 1 paid")).toBe("JN6-0003 第1期拨付 / tranche 1 paid");
    expect(publicMemo("DONATION", "捐赠 G-7K2M9Q4T / Gift G-7K2M9Q4T")).toBe("捐赠 G-7K2M9Q4T / Gift G-7K2M9Q4T");
  });

  it("neutralises text a spreadsheet would run as a formula", () => {
    for (const s of ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]) expect(csvSafeText(s)).toBe(`'${s}`);
    for (const s of ["助老服务", "G-7K2M9Q4T", "a=b", ""]) expect(csvSafeText(s)).toBe(s);
  });

  it("shortens text by characters, not bytes", () => {
    expect(shortenText("  买米\n面油  ", 120)).toBe("买米 面油");
    expect(shortenText("长".repeat(300), 120)).toBe(`${"长".repeat(119)}…`);
  });
});
