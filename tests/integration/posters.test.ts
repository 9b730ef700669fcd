import QRCode from "qrcode";
import { describe, expect, it } from "vitest";
import * as postersRoute from "~/routes/posters";
import * as newNeedRoute from "~/routes/needs.new";
import { signedInRequest } from "../support/requests";
import { appUrl } from "~/lib/env.server";
import { db, makeAreaTree, makeUser, uid } from "../support/db";
import { givingCampaign, givingFoundation } from "../support/giving-fixture";
import { embedsFont, pdfPages } from "../support/pdf";
import { proposalsRound } from "../support/proposal-setting";

/**
 * Posters for notice boards: an A4 PDF in the reader's language with a QR code of a public page's
 * absolute address (APP_URL, no language in it), the QR code alone as PNG and SVG; public to
 * anyone, 404 for what is not public or does not exist, the same bytes for the same data.
 */

type Loader = (args: { request: Request; params: Record<string, string>; context: unknown }) => Promise<Response>;

async function get(params: { kind: string; key: string; file: string }, headers: Record<string, string> = {}): Promise<Response> {
  const request = new Request(new URL(`/posters/${params.kind}/${params.key}/${params.file}`, "http://localhost:3000"), { headers });
  try {
    return await (postersRoute.loader as Loader)({ request, params, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    const init = (thrown as { init?: { status?: number } | null }).init;
    if (init?.status) return new Response(null, { status: init.status });
    throw thrown;
  }
}
const bytesOf = async (r: Response) => new Uint8Array(await r.arrayBuffer());

describe("posters", () => {
  it("a round's poster: A4 PDF with the round's name, the fonts embedded, its address spelled out; the same bytes again; 304 on its ETag", async () => {
    const { root } = await makeAreaTree(1);
    const foundation = await db().foundation.create({ data: { slug: `f-${uid()}`, nameZh: "测试基金", nameEn: "Test fund", descriptionZh: "", descriptionEn: "", areaId: root.id } });
    const round = await proposalsRound({ areaId: root.id, foundationId: foundation.id, prefix: "P", title: "海报测试轮次" });
    const r = await get({ kind: "round", key: round.code, file: "poster.pdf" });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/pdf");
    expect(r.headers.get("content-disposition")).toContain("attachment");
    expect(r.headers.get("cache-control")).toBe("public, no-cache");
    const bytes = await bytesOf(r);
    expect(embedsFont(bytes)).toBe(true);
    const pages = await pdfPages(bytes);
    expect(pages).toHaveLength(1);
    const text = pages[0]!.replace(/\s+/g, "");
    expect(text).toContain("海报测试轮次");
    expect(text).toContain("用手机扫码打开");
    expect(text).toContain(`${appUrl()}/rounds/${round.code}`.replace(/\s+/g, ""));
    const again = await get({ kind: "round", key: round.code, file: "poster.pdf" });
    expect(Buffer.from(await bytesOf(again)).equals(Buffer.from(bytes))).toBe(true);
    const cached = await get({ kind: "round", key: round.code, file: "poster.pdf" }, { "if-none-match": r.headers.get("etag")! });
    expect(cached.status).toBe(304);
    // in English for an English reader (the lang cookie)
    const en = await get({ kind: "round", key: round.code, file: "poster.pdf" }, { cookie: "lang=en" });
    expect((await pdfPages(await bytesOf(en)))[0]).toContain("Scan with your phone to open");
  });

  it("the QR code as PNG and SVG encodes the page's absolute address, without a language", async () => {
    const f = await givingFoundation();
    const url = `${appUrl()}/foundations/${f.foundation.slug}/donate`;
    const png = await get({ kind: "foundation", key: f.foundation.slug, file: "qr.png" });
    expect(png.headers.get("content-type")).toBe("image/png");
    const pngBytes = Buffer.from(await bytesOf(png));
    expect(pngBytes.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(pngBytes.equals(await QRCode.toBuffer(url, { type: "png", errorCorrectionLevel: "M", margin: 4, width: 1024 }))).toBe(true);
    const svg = await get({ kind: "foundation", key: f.foundation.slug, file: "qr.svg" });
    expect(svg.headers.get("content-type")).toBe("image/svg+xml");
    expect(await svg.text()).toBe(await QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 4 }));
    expect(url).not.toMatch(/lang|locale/);
  });

  it("a community's poster opens its post-a-need page; a campaign's its page", async () => {
    const { communities } = await makeAreaTree(1);
    const need = await get({ kind: "need", key: communities[0]!.code, file: "poster.pdf" });
    expect(need.status).toBe(200);
    const text = (await pdfPages(await bytesOf(need)))[0]!.replace(/\s+/g, "");
    expect(text).toContain(`/needs/new?area=${communities[0]!.code}`);
    expect(text).toContain("社区有需求");
    const f = await givingFoundation();
    const campaign = await givingCampaign(f);
    const c = await get({ kind: "campaign", key: campaign.slug, file: "qr.svg" });
    expect(await c.text()).toBe(await QRCode.toString(`${appUrl()}/campaigns/${campaign.slug}`, { type: "svg", errorCorrectionLevel: "M", margin: 4 }));
  });

  it("a community's 微心愿 poster opens its volunteers page: the community's name and the address in the PDF, the QR code of that address", async () => {
    const { root, communities } = await makeAreaTree(1);
    const community = communities[0]!;
    const url = `${appUrl()}/areas/${community.code}/volunteers`;
    const r = await get({ kind: "wishes", key: community.code, file: "poster.pdf" });
    expect(r.status).toBe(200);
    const text = (await pdfPages(await bytesOf(r)))[0]!.replace(/\s+/g, "");
    expect(text).toContain("社区微心愿");
    expect(text).toContain(community.nameZh.replace(/\s+/g, ""));
    expect(text).toContain(url);
    const svg = await get({ kind: "wishes", key: community.code, file: "qr.svg" });
    expect(await svg.text()).toBe(await QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 4 }));
    const png = await get({ kind: "wishes", key: community.code, file: "qr.png" });
    expect(Buffer.from(await bytesOf(png)).equals(await QRCode.toBuffer(url, { type: "png", errorCorrectionLevel: "M", margin: 4, width: 1024 }))).toBe(true);
    // a district or subdistrict has no 微心愿 list
    expect((await get({ kind: "wishes", key: root.code, file: "poster.pdf" })).status).toBe(404);
  });

  it("404 for a draft round, a subdistrict, an unknown page, kind or file", async () => {
    const { root } = await makeAreaTree(1);
    const foundation = await db().foundation.create({ data: { slug: `f-${uid()}`, nameZh: "测试基金", nameEn: "Test fund", descriptionZh: "", descriptionEn: "", areaId: root.id } });
    const draft = await proposalsRound({ areaId: root.id, foundationId: foundation.id, prefix: "D", columns: { phase: "DRAFT" } });
    for (const p of [
      { kind: "round", key: draft.code, file: "poster.pdf" },
      { kind: "need", key: root.code, file: "poster.pdf" },
      { kind: "round", key: "NOPE", file: "qr.png" },
      { kind: "project", key: "X", file: "poster.pdf" },
      { kind: "foundation", key: foundation.slug, file: "poster.docx" },
    ])
      expect((await get(p)).status, JSON.stringify(p)).toBe(404);
  });

  it("the post-a-need page a community's poster opens has that community chosen", async () => {
    const { communities } = await makeAreaTree(2);
    const user = await makeUser();
    const load = async (query: string) =>
      (await (newNeedRoute.loader as unknown as (a: { request: Request; params: object; context: unknown }) => Promise<{ communityId: string | null }>)({
        request: await signedInRequest(user.id, `http://localhost:3000/needs/new${query}`),
        params: {},
        context: {},
      })).communityId;
    expect(await load(`?area=${communities[1]!.code}`)).toBe(communities[1]!.id);
    expect(await load("")).toBeNull();
    expect(await load("?area=nowhere")).toBeNull();
  });
});
