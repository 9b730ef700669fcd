import { describe, expect, it } from "vitest";
import { formProblem, readForm } from "./forms.server";

const form = (entries: [string, string][]) => {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
};

async function statusOf(promise: Promise<unknown>): Promise<number | null> {
  try {
    await promise;
    return null;
  } catch (thrown) {
    return (thrown as { init?: { status?: number } }).init?.status ?? null;
  }
}

describe("bounded forms", () => {
  it("lets real forms through, list fields included", () => {
    expect(formProblem(form([["intent", "save"], ["title", "加装电梯"], ["lines[0].amount", "120.50"], ["lines[199].item", "桌椅"]]))).toBeNull();
  });

  it("refuses a huge list index (a 42-byte request that would build a ten-million-slot array)", () => {
    expect(formProblem(form([["x[10000000]", "1"]]))).toBe("list index out of bounds");
    expect(formProblem(form([["a[1000]", "1"]]))).toBe("list index out of bounds");
    expect(formProblem(form([["a[00000000000001]", "1"]]))).toBe("list index out of bounds");
  });

  it("refuses too many fields, long names, NUL bytes and too much text", () => {
    expect(formProblem(form(Array.from({ length: 1001 }, (_, i): [string, string] => [`f${i}`, "1"])))).toBe("too many fields");
    expect(formProblem(form([["n".repeat(201), "1"]]))).toBe("field name too long");
    expect(formProblem(form([["title", "a\u0000b"]]))).toBe("NUL in a field");
    expect(formProblem(form([["a", "x".repeat(600_000)], ["b", "x".repeat(600_000)]]))).toBe("text too long");
  });

  it("answers 400 to a malformed body or an out-of-bounds form, and returns a good one", async () => {
    const post = (body: BodyInit, type: string) => new Request("http://localhost/login", { method: "POST", body, headers: { "content-type": type } });
    expect(await statusOf(readForm(post("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end", "multipart/form-data; boundary=b")))).toBe(400);
    expect(await statusOf(readForm(post("x%5B10000000%5D=1", "application/x-www-form-urlencoded")))).toBe(400);
    expect(await statusOf(readForm(post("{\"a\":1}", "application/json")))).toBe(400);
    const good = await readForm(post("email=a%40b.example&password=x", "application/x-www-form-urlencoded"));
    expect(good.get("email")).toBe("a@b.example");
  });
});

describe("plain text from every form", () => {
  it("strips bidi controls and zero-width characters from every text value, and keeps files", async () => {
    const body = new FormData();
    body.set("displayName", "\u202e士人心爱");
    body.set("title", "加装\u200b电梯");
    body.set("photo", new File([new Uint8Array([1, 2, 3])], "a.jpg", { type: "image/jpeg" }));
    const form = await readForm(new Request("http://localhost/x", { method: "POST", body }));
    expect(form.get("displayName")).toBe("士人心爱");
    expect(form.get("title")).toBe("加装电梯");
    expect((form.get("photo") as File).size).toBe(3);
  });
});
