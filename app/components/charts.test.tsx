import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { CampaignProgress, MoneyFlowChart } from "./charts";
import { LocaleContext, type Locale } from "~/lib/i18n";

const html = (node: React.ReactElement, locale: Locale = "en") => renderToString(createElement(LocaleContext.Provider, { value: locale }, node));

describe("money charts, rendered on the server", () => {
  it("draws each stage to one scale, with its label and amount as text and the bars hidden from screen readers", () => {
    const out = html(
      <MoneyFlowChart
        caption="Money flow"
        stages={[
          { key: "in", label: "In", fen: 1_000_000 },
          { key: "projects", label: "Awarded", fen: 500_000, partFen: 125_000, partLabel: "Darker part: paid" },
        ]}
      />,
    );
    expect(out).toContain("<figcaption");
    expect(out).toContain("Money flow");
    expect(out).toContain("¥10,000.00");
    expect(out).toContain("¥5,000.00");
    expect(out).toMatch(/aria-hidden="true"/);
    expect(out).toContain("width:100.0%");
    expect(out).toContain("width:50.0%");
    // the paid part is a quarter of the awarded bar
    expect(out).toContain("width:25.0%");
    // no fixed pixel widths: the chart fits a 390 px screen
    expect(out).not.toMatch(/width:\s*\d+px/);
  });

  it("copes with nothing to show (no division by zero)", () => {
    const out = html(<MoneyFlowChart caption="Empty" stages={[{ key: "in", label: "In", fen: 0, partFen: 0 }]} />);
    expect(out).toContain("width:0.0%");
    expect(out).not.toContain("NaN");
  });

  it("shows a campaign's progress as a progress bar with its figures in words", () => {
    const out = html(<CampaignProgress matchedFen={25_000} fundedFen={100_000} raisedFen={40_000} />, "zh-CN");
    expect(out).toContain('role="progressbar"');
    expect(out).toContain('aria-valuenow="25"');
    expect(out).toContain("配捐池已用 ¥250.00 / ¥1,000.00");
    expect(out).toContain("已筹 ¥400.00");
    expect(html(<CampaignProgress matchedFen={0} fundedFen={0} />)).toContain('aria-valuenow="0"');
  });
});
