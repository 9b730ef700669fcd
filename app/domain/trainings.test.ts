import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  attendanceScore,
  cancelProblem,
  checkInProblem,
  CODE_LIFETIME_MS,
  issueCheckInCode,
  mayHaveCertificate,
  missedRequired,
  seatsLeft,
  signupProblem,
  TrainingSchema,
  verifyCheckInCode,
} from "./trainings";

const sign = (key: string) => (m: string) => crypto.createHmac("sha256", key).update(m).digest("hex");
const T = { id: "t-1", startsAt: new Date("2026-12-10T01:00:00Z"), endsAt: new Date("2026-12-10T03:00:00Z") };
const at = (iso: string) => new Date(iso);

describe("check-in code", () => {
  it("is issued only inside the window (30 minutes before the start to 30 minutes after the end)", () => {
    expect(issueCheckInCode(T, at("2026-12-10T00:29:59Z"), sign("k"))).toBeNull();
    expect(issueCheckInCode(T, at("2026-12-10T00:30:00Z"), sign("k"))).not.toBeNull();
    expect(issueCheckInCode(T, at("2026-12-10T03:29:59Z"), sign("k"))).not.toBeNull();
    expect(issueCheckInCode(T, at("2026-12-10T03:30:00Z"), sign("k"))).toBeNull();
  });

  it("checks in while it lives and is refused once it expired", () => {
    const now = at("2026-12-10T01:10:20Z");
    const { code, expiresAt } = issueCheckInCode(T, now, sign("k"))!;
    expect(expiresAt.getTime() - Date.parse("2026-12-10T01:10:00Z")).toBe(CODE_LIFETIME_MS);
    expect(verifyCheckInCode(code, T, now, sign("k"))).toBeNull();
    expect(verifyCheckInCode(code, T, new Date(expiresAt.getTime() - 1), sign("k"))).toBeNull();
    expect(verifyCheckInCode(code, T, expiresAt, sign("k"))).toBe("trainings.error.codeExpired");
  });

  it("never lives past the window's close", () => {
    const { expiresAt } = issueCheckInCode(T, at("2026-12-10T03:28:00Z"), sign("k"))!;
    expect(expiresAt.toISOString()).toBe("2026-12-10T03:30:00.000Z");
  });

  it("is bound to its training and to the app's secret, and cannot be altered", () => {
    const now = at("2026-12-10T01:00:00Z");
    const { code } = issueCheckInCode(T, now, sign("k"))!;
    expect(verifyCheckInCode(code, { ...T, id: "t-2" }, now, sign("k"))).toBe("trainings.error.codeInvalid");
    expect(verifyCheckInCode(code, T, now, sign("other"))).toBe("trainings.error.codeInvalid");
    const [exp, sig] = code.split(".");
    // a later expiry with the same signature
    expect(verifyCheckInCode(`${Number(exp) + 60_000}.${sig}`, T, now, sign("k"))).toBe("trainings.error.codeInvalid");
    expect(verifyCheckInCode(`${exp}.${sig!.replace(/^./, (c) => (c === "a" ? "b" : "a"))}`, T, now, sign("k"))).toBe("trainings.error.codeInvalid");
    expect(verifyCheckInCode("garbage", T, now, sign("k"))).toBe("trainings.error.codeInvalid");
    expect(verifyCheckInCode(undefined, T, now, sign("k"))).toBe("trainings.error.codeInvalid");
  });

  it("a signed expiry beyond the window is refused even when signed with the secret", () => {
    const exp = T.endsAt.getTime() + 31 * 60_000;
    const forged = `${exp}.${sign("k")(`training-check-in:${T.id}:${exp}`)}`;
    expect(verifyCheckInCode(forged, T, at("2026-12-10T03:00:00Z"), sign("k"))).toBe("trainings.error.codeInvalid");
  });

  it("checks in a signed-up person once", () => {
    expect(checkInProblem(null)).toBe("trainings.error.notSignedUp");
    expect(checkInProblem({ cancelledAt: new Date(), attendedAt: null })).toBe("trainings.error.notSignedUp");
    expect(checkInProblem({ cancelledAt: null, attendedAt: new Date() })).toBe("trainings.error.alreadyCheckedIn");
    expect(checkInProblem({ cancelledAt: null, attendedAt: null })).toBeNull();
  });
});

describe("seats", () => {
  const t = { capacity: 2, startsAt: at("2026-12-10T01:00:00Z") };
  const before = at("2026-12-09T00:00:00Z");
  it("refuses a sign-up once the active sign-ups reach the capacity", () => {
    expect(signupProblem(t, 0, before)).toBeNull();
    expect(signupProblem(t, 1, before)).toBeNull();
    expect(signupProblem(t, 2, before)).toBe("trainings.error.full");
    expect(seatsLeft(2, 3)).toBe(0);
  });
  it("closes sign-up and cancellation when the training starts", () => {
    expect(signupProblem(t, 0, t.startsAt)).toBe("trainings.error.started");
    expect(cancelProblem(t, { cancelledAt: null, attendedAt: null }, t.startsAt)).toBe("trainings.error.started");
    expect(cancelProblem(t, { cancelledAt: null, attendedAt: null }, before)).toBeNull();
  });
  it("gives a certificate only to an attendee", () => {
    expect(mayHaveCertificate(null)).toBe(false);
    expect(mayHaveCertificate({ cancelledAt: null, attendedAt: null })).toBe(false);
    expect(mayHaveCertificate({ cancelledAt: null, attendedAt: new Date() })).toBe(true);
  });
});

describe("required trainings", () => {
  const req = [{ id: "t1", number: 1, topic: "财务规范", startsAt: at("2026-11-01T01:00:00Z"), endsAt: at("2026-11-01T03:00:00Z"), areaPath: "/p/d/" }];
  const grantees = [
    { organizationId: "o1", name: "甲", areaPath: "/p/d/s/" },
    { organizationId: "o2", name: "乙", areaPath: "/p/d/s/" },
    { organizationId: "o3", name: "丙", areaPath: "/p/x/" },
  ];
  it("flags grantees of the area that sent nobody, once the training ended", () => {
    const now = at("2026-12-01T00:00:00Z");
    expect(missedRequired(req, grantees, new Set(["t1:o1"]), now)).toEqual([{ trainingNumber: 1, topic: "财务规范", organizationId: "o2", name: "乙" }]);
    expect(missedRequired(req, grantees, new Set(), at("2026-11-01T02:00:00Z"))).toEqual([]);
  });
});

describe("attendance score", () => {
  it("is the share attended, none when nothing was offered", () => {
    expect(attendanceScore(0, 0)).toBeNull();
    expect(attendanceScore(3, 2)).toBe(66.7);
    expect(attendanceScore(2, 5)).toBe(100);
  });
});

describe("the training form", () => {
  const good = { topic: "项目财务", trainer: "王老师", startsAt: "2026-12-10T09:00", endsAt: "2026-12-10T11:00", place: "社创中心", capacity: "30", audience: "ALL_ORGANIZATIONS" };
  it("accepts a complete training", () => {
    expect(TrainingSchema.safeParse(good).success).toBe(true);
  });
  it("wants the end after the start, a venue or link, and a round for its applicants", () => {
    const issues = (v: object) => (TrainingSchema.safeParse(v).error?.issues ?? []).map((i) => i.message);
    expect(issues({ ...good, endsAt: "2026-12-10T09:00" })).toContain("trainings.error.window");
    expect(issues({ ...good, place: "" })).toContain("trainings.error.where");
    expect(issues({ ...good, audience: "ROUND_APPLICANTS" })).toContain("trainings.error.round");
    expect(issues({ ...good, capacity: "0" })).toContain("trainings.error.capacity");
    expect(issues({ ...good, onlineUrl: "javascript:alert(1)" })).toContain("trainings.error.url");
  });
});
