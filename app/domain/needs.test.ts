import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  NeedIntents,
  snippetOf,
  canCurateNeed,
  canVote,
  escapeLike,
  MergeSchema,
  mergeProblem,
  normalizeSearch,
  parentPath,
  parseNeedListQuery,
  PostNeedSchema,
  publishProblem,
  ReasonSchema,
  rejectProblem,
  reopenProblem,
  searchPatterns,
  type NeedForRule,
} from "./needs";
import type { ScopedGrant } from "./permissions";

const SONGFENG = "/pinghu/danghu/songfeng/";
const FENGHUANG = "/pinghu/danghu/fenghuang/";
const ZHAPU_X = "/pinghu/zhapu/xincang/";

const valid = { communityId: "c1", title: "小区缺少健身器材", description: "希望在中心广场增加适合老人的健身器材。", category: "CULTURE_SPORTS" };
const errorsOf = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((r.error?.issues ?? []).map((i) => [String(i.path[0]), i.message]));

describe("PostNeedSchema", () => {
  it("accepts a complete need and trims text", () => {
    const r = PostNeedSchema.safeParse({ ...valid, title: `  ${valid.title}  ` });
    expect(r.success).toBe(true);
    expect(r.data?.title).toBe(valid.title);
  });

  it("counts Chinese characters: 4–60 for the title, 10–2000 for the description", () => {
    expect(PostNeedSchema.safeParse({ ...valid, title: "修路灯" }).success).toBe(false);
    expect(PostNeedSchema.safeParse({ ...valid, title: "修理路灯" }).success).toBe(true);
    expect(PostNeedSchema.safeParse({ ...valid, title: "灯".repeat(60) }).success).toBe(true);
    expect(errorsOf(PostNeedSchema.safeParse({ ...valid, title: "灯".repeat(61) }))).toEqual({ title: "needs.error.titleLong" });
    expect(errorsOf(PostNeedSchema.safeParse({ ...valid, title: "修路" }))).toEqual({ title: "needs.error.titleShort" });
    expect(errorsOf(PostNeedSchema.safeParse({ ...valid, description: "太短了" }))).toEqual({ description: "needs.error.descriptionShort" });
    expect(PostNeedSchema.safeParse({ ...valid, description: "字".repeat(2000) }).success).toBe(true);
    expect(errorsOf(PostNeedSchema.safeParse({ ...valid, description: "字".repeat(2001) }))).toEqual({ description: "needs.error.descriptionLong" });
  });

  it("requires a community and one of the three need categories", () => {
    expect(errorsOf(PostNeedSchema.safeParse({ ...valid, communityId: "" }))).toEqual({ communityId: "needs.error.community" });
    expect(errorsOf(PostNeedSchema.safeParse({ ...valid, communityId: undefined }))).toEqual({ communityId: "needs.error.community" });
    expect(errorsOf(PostNeedSchema.safeParse({ ...valid, category: "SPORTS" }))).toEqual({ category: "needs.error.category" });
    for (const category of ["SELF_GOVERNANCE", "PUBLIC_SERVICE", "CULTURE_SPORTS"]) {
      expect(PostNeedSchema.safeParse({ ...valid, category }).success).toBe(true);
    }
  });

  it("says 'required' for blank text, not 'too short'", () => {
    expect(errorsOf(PostNeedSchema.safeParse({ ...valid, title: "   " }))).toEqual({ title: "validation.required" });
    expect(errorsOf(PostNeedSchema.safeParse({ ...valid, title: undefined }))).toEqual({ title: "validation.required" });
  });
});

describe("reason and merge forms", () => {
  it("a reason is 5–500 characters", () => {
    expect(ReasonSchema.safeParse({ reason: "重复" }).success).toBe(false);
    expect(ReasonSchema.safeParse({ reason: "与第12号需求重复" }).success).toBe(true);
    expect(ReasonSchema.safeParse({ reason: "长".repeat(501) }).success).toBe(false);
  });
  it("a merge target is a positive need number", () => {
    expect(MergeSchema.safeParse({ target: "12" }).data).toEqual({ target: 12 });
    for (const target of ["", "abc", "-3", "1.5", "0"]) expect(MergeSchema.safeParse({ target }).success, target).toBe(false);
  });
});

describe("parseNeedListQuery", () => {
  const q = (s: string) => parseNeedListQuery(new URLSearchParams(s));

  it("has safe defaults", () => {
    expect(q("")).toEqual({ community: null, category: null, status: null, sort: "votes", q: "", cursor: null, page: null, per: 20, round: null });
  });

  it("reads every filter", () => {
    expect(q("community=songfeng&category=PUBLIC_SERVICE&status=REJECTED&sort=newest&q=%E8%B7%AF%E7%81%AF&cursor=abc_-1&page=3&per=50&round=jn7")).toEqual({
      community: "songfeng",
      category: "PUBLIC_SERVICE",
      status: "REJECTED",
      sort: "newest",
      q: "路灯",
      cursor: "abc_-1",
      page: 3,
      per: 50,
      round: "JN7",
    });
  });

  it("ignores malformed values instead of failing", () => {
    expect(q("community=../x&category=FOO&status=open&sort=random&page=-2&per=7&round=%27;drop")).toEqual(q(""));
    expect(q("cursor=").cursor).toBeNull();
    expect(q("per=1000").per).toBe(20);
  });

  it("lets a caller choose another default status (the officials' list shows open needs)", () => {
    expect(parseNeedListQuery(new URLSearchParams(""), { status: "OPEN" }).status).toBe("OPEN");
    expect(parseNeedListQuery(new URLSearchParams("status=PUBLISHED"), { status: "OPEN" }).status).toBe("PUBLISHED");
  });

  it("never throws, whatever the query string", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom("community", "category", "status", "sort", "q", "cursor", "per", "round"), fc.string()), (d) => {
        const r = parseNeedListQuery(new URLSearchParams(d));
        expect([20, 50, 100]).toContain(r.per);
        expect(r.cursor === null || r.cursor.length > 0).toBe(true);
        expect([...r.q].length).toBeLessThanOrEqual(50);
      }),
    );
  });
});

describe("search text", () => {
  it("normalises whitespace, including the ideographic space", () => {
    expect(normalizeSearch("  路灯\u3000 维修  ")).toBe("路灯 维修");
    expect(normalizeSearch(null)).toBe("");
  });

  it("escapes LIKE wildcards and the escape character", () => {
    expect(escapeLike("100%")).toBe("100\\%");
    expect(escapeLike("a_b")).toBe("a\\_b");
    expect(escapeLike("c:\\d")).toBe("c:\\\\d");
    expect(escapeLike("路灯")).toBe("路灯");
  });

  it("an escaped pattern matches exactly the text it came from (LIKE semantics)", () => {
    // a small LIKE matcher with ESCAPE '\' to check the escaping against
    const like = (value: string, pattern: string) => {
      let re = "";
      for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i]!;
        if (c === "\\") re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        else if (c === "%") re += "[\\s\\S]*";
        else if (c === "_") re += "[\\s\\S]";
        else re += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      }
      return new RegExp(`^${re}$`, "u").test(value);
    };
    fc.assert(
      fc.property(fc.string(), fc.string(), (needle, other) => {
        expect(like(needle, escapeLike(needle))).toBe(true);
        if (other !== needle) expect(like(other, escapeLike(needle))).toBe(false);
      }),
    );
  });

  it("makes one contains-pattern per term", () => {
    expect(searchPatterns("路灯 50%")).toEqual(["%路灯%", "%50\\%%"]);
    expect(searchPatterns("  ")).toEqual([]);
  });
});

describe("curation rules", () => {
  const grant = (role: ScopedGrant["role"], areaPath: string, areaLevel: string): ScopedGrant => ({ role, areaPath, areaLevel });
  const need = (id: string, status: NeedForRule["status"], areaPath = SONGFENG): NeedForRule => ({ id, status, areaPath });

  it("officials of the community or above curate; others do not", () => {
    expect(canCurateNeed({ grants: [grant("OFFICIAL", SONGFENG, "COMMUNITY")] }, SONGFENG)).toBe(true);
    expect(canCurateNeed({ grants: [grant("OFFICIAL", "/pinghu/danghu/", "SUBDISTRICT")] }, SONGFENG)).toBe(true);
    expect(canCurateNeed({ grants: [grant("OFFICIAL", FENGHUANG, "COMMUNITY")] }, SONGFENG)).toBe(false);
    expect(canCurateNeed({ grants: [grant("JUDGE", "/pinghu/danghu/", "SUBDISTRICT")] }, SONGFENG)).toBe(false);
    expect(canCurateNeed({ grants: [] }, SONGFENG)).toBe(false);
    expect(canCurateNeed({ grants: [grant("ADMIN", "/other/", "CITY")] }, SONGFENG)).toBe(true);
  });

  it("votes are taken on open and published needs only", () => {
    expect(canVote("OPEN")).toBe(true);
    expect(canVote("PUBLISHED")).toBe(true);
    expect(canVote("MERGED")).toBe(false);
    expect(canVote("REJECTED")).toBe(false);
  });

  it("reject only an open need; reopen only a rejected one", () => {
    expect(rejectProblem({ status: "OPEN" })).toBeNull();
    for (const s of ["PUBLISHED", "MERGED", "REJECTED"] as const) expect(rejectProblem({ status: s })).toBe("needs.error.notOpen");
    expect(reopenProblem({ status: "REJECTED" })).toBeNull();
    for (const s of ["OPEN", "PUBLISHED", "MERGED"] as const) expect(reopenProblem({ status: s })).toBe("needs.error.notRejected");
  });

  it("merge: not into itself, no chains, not into a rejected need, same subdistrict", () => {
    expect(mergeProblem(need("a", "OPEN"), need("b", "OPEN", FENGHUANG))).toBeNull();
    expect(mergeProblem(need("a", "OPEN"), need("b", "PUBLISHED"))).toBeNull();
    expect(mergeProblem(need("a", "OPEN"), need("a", "OPEN"))).toBe("needs.error.mergeSelf");
    expect(mergeProblem(need("a", "OPEN"), need("b", "MERGED"))).toBe("needs.error.mergeChain");
    expect(mergeProblem(need("a", "OPEN"), need("b", "REJECTED"))).toBe("needs.error.mergeRejected");
    expect(mergeProblem(need("a", "MERGED"), need("b", "OPEN"))).toBe("needs.error.notOpen");
    expect(mergeProblem(need("a", "PUBLISHED"), need("b", "OPEN"))).toBe("needs.error.notOpen");
    expect(mergeProblem(need("a", "OPEN"), need("b", "OPEN", ZHAPU_X))).toBe("needs.error.mergeSubdistrict");
  });

  it("publish: an open need, a round in NEEDS or PROPOSALS, whose area covers the community", () => {
    const open = need("a", "OPEN");
    expect(publishProblem(open, { phase: "NEEDS", areaPath: "/pinghu/danghu/" })).toBeNull();
    expect(publishProblem(open, { phase: "PROPOSALS", areaPath: SONGFENG })).toBeNull();
    for (const phase of ["DRAFT", "SCREENING", "REVIEW", "NOTICE", "IMPLEMENTATION", "CLOSED"]) {
      expect(publishProblem(open, { phase, areaPath: "/pinghu/danghu/" }), phase).toBe("needs.error.roundPhase");
    }
    expect(publishProblem(open, { phase: "NEEDS", areaPath: "/pinghu/zhapu/" })).toBe("needs.error.roundArea");
    expect(publishProblem(open, { phase: "NEEDS", areaPath: FENGHUANG })).toBe("needs.error.roundArea");
    expect(publishProblem(need("a", "REJECTED"), { phase: "NEEDS", areaPath: "/pinghu/danghu/" })).toBe("needs.error.notOpen");
  });

  it("parentPath gives the subdistrict of a community", () => {
    expect(parentPath(SONGFENG)).toBe("/pinghu/danghu/");
    expect(parentPath("/t1/t1c0/")).toBe("/t1/");
    expect(parentPath("/pinghu/")).toBe("/");
  });
});

describe("the need page's forms", () => {
  it("one schema per intent: votes, and each curation with its own field", () => {
    expect(NeedIntents.safeParse({ intent: "vote", redirectTo: "/needs?page=2" })).toMatchObject({ success: true, data: { intent: "vote", redirectTo: "/needs?page=2" } });
    expect(NeedIntents.safeParse({ intent: "unvote" }).success).toBe(true);
    expect(NeedIntents.safeParse({ intent: "merge", target: "12" })).toMatchObject({ success: true, data: { target: 12 } });
    expect(NeedIntents.safeParse({ intent: "merge", target: "abc" }).error!.issues[0]).toMatchObject({ path: ["target"], message: "needs.error.targetNumber" });
    expect(NeedIntents.safeParse({ intent: "reject", reason: "短" }).error!.issues[0]).toMatchObject({ path: ["reason"], message: "needs.error.reasonShort" });
    expect(NeedIntents.safeParse({ intent: "publish" }).error!.issues[0]).toMatchObject({ path: ["round"], message: "needs.error.round" });
    // an intent the page has no form for is refused
    expect(NeedIntents.safeParse({ intent: "delete" }).success).toBe(false);
  });
});

describe("snippetOf", () => {
  it("puts the description on one line and cuts it with an ellipsis", () => {
    expect(snippetOf("路灯\n\n坏了　很久")).toBe("路灯 坏了 很久");
    expect(snippetOf("一二三四五六", 4)).toBe("一二三四…");
    expect(snippetOf("一二三四", 4)).toBe("一二三四");
    // cut by characters, not UTF-16 units
    expect(snippetOf("😀😀😀", 2)).toBe("😀😀…");
  });
});
