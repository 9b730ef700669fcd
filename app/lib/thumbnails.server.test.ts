import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { makeThumbnail } from "./thumbnails.server";

describe("photo thumbnails", () => {
  it("shrinks a large JPEG to a 480-wide JPEG and never enlarges a small PNG", async () => {
    const big = await sharp({ create: { width: 1200, height: 800, channels: 3, background: "#c33" } }).jpeg().toBuffer();
    const r = await makeThumbnail(big);
    expect(r.ok && [r.mime, r.width, r.height]).toEqual(["image/jpeg", 480, 320]);
    expect(r.ok && (await sharp(r.thumbnail).metadata()).format).toBe("jpeg");
    const png = await sharp({ create: { width: 100, height: 50, channels: 4, background: "#0000" } }).png().toBuffer();
    const small = await makeThumbnail(png);
    expect(small.ok && [small.mime, small.width, small.height]).toEqual(["image/png", 100, 50]);
  });

  it("refuses GIFs, text and truncated images", async () => {
    const gif = await sharp({ create: { width: 10, height: 10, channels: 3, background: "#fff" } }).gif().toBuffer();
    expect(await makeThumbnail(gif)).toEqual({ ok: false, problem: "wrong-type" });
    expect(await makeThumbnail(new TextEncoder().encode("hello"))).toEqual({ ok: false, problem: "corrupt" });
    const big = await sharp({ create: { width: 600, height: 400, channels: 3, background: "#c33" } }).jpeg().toBuffer();
    expect(await makeThumbnail(big.subarray(0, 300))).toEqual({ ok: false, problem: "corrupt" });
  });
});
