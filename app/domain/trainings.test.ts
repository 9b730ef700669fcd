import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  attendanceScore,
  cancelProblem,
  cancelTrainingProblem,
  changedFields,
  checkInProblem,
  editProblem,
  CODE_LIFETIME_MS,
  issueCheckInCode,
  mayHaveCertificate,
  missedRequired,
  seatsLeft,
  shanghaiLocalOf,
  signupProblem,
  TrainingPageIntents,
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

describe("editing and cancelling a published training", () => {
  const base = { topic: "财务规范", trainer: "王老师", description: "", startsAt: T.startsAt, endsAt: T.endsAt, place: "社创中心", onlineUrl: null, capacity: 20 };
  const current = { ...base, cancelledAt: null };
  const before = at("2026-12-09T00:00:00Z");
  const during = at("2026-12-10T02:00:00Z");

  it("lists the fields that change, times compared as instants", () => {
    expect(changedFields(base, { ...base, startsAt: new Date(T.startsAt.getTime()) })).toEqual([]);
    // to the minute, as the form shows them: seconds stored are not a change
    expect(changedFields({ ...base, startsAt: at("2026-12-10T01:00:42Z") }, base)).toEqual([]);
    expect(changedFields(base, { ...base, trainer: "李老师", capacity: 30 })).toEqual(["trainer", "capacity"]);
  });

  it("changes times only before the start, and to a start still ahead", () => {
    const later = { ...base, startsAt: at("2026-12-11T01:00:00Z"), endsAt: at("2026-12-11T03:00:00Z") };
    expect(editProblem(current, later, 0, before)).toBeNull();
    expect(editProblem(current, later, 0, during)).toEqual({ fields: { startsAt: ["trainings.error.timeLocked"] } });
    expect(editProblem(current, { ...base, endsAt: at("2026-12-10T04:00:00Z") }, 0, during)).toEqual({ fields: { startsAt: ["trainings.error.timeLocked"] } });
    expect(editProblem(current, { ...base, startsAt: at("2026-12-08T01:00:00Z") }, 0, before)).toEqual({ fields: { startsAt: ["trainings.error.startPast"] } });
    // the other details may be corrected once it started
    expect(editProblem(current, { ...base, trainer: "李老师", place: "会议室" }, 0, during)).toBeNull();
  });

  it("never takes seats below the people signed up", () => {
    expect(editProblem(current, { ...base, capacity: 5 }, 5, before)).toBeNull();
    expect(editProblem(current, { ...base, capacity: 4 }, 5, before)).toEqual({ fields: { capacity: ['trainings.error.capacityBelowSignups|{"count":5}'] } });
  });

  it("changes nothing of a cancelled training", () => {
    expect(editProblem({ ...current, cancelledAt: before }, { ...base, trainer: "李老师" }, 0, before)).toEqual({ problem: "trainings.error.cancelled" });
  });

  it("cancels once, before the start", () => {
    expect(cancelTrainingProblem(T as { startsAt: Date; cancelledAt: null } & typeof T, before)).toBeNull();
    expect(cancelTrainingProblem({ startsAt: T.startsAt, cancelledAt: null }, T.startsAt)).toBe("trainings.error.started");
    expect(cancelTrainingProblem({ startsAt: T.startsAt, cancelledAt: before }, before)).toBe("trainings.error.cancelled");
  });

  it("a cancelled training takes no sign-up, check-in or certificate, and is never a missed required training", () => {
    const cancelled = { cancelledAt: before };
    expect(signupProblem({ capacity: 20, startsAt: T.startsAt, ...cancelled }, 0, before)).toBe("trainings.error.cancelled");
    expect(checkInProblem({ cancelledAt: null, attendedAt: null }, cancelled)).toBe("trainings.error.cancelled");
    expect(mayHaveCertificate({ cancelledAt: null, attendedAt: during }, cancelled)).toBe(false);
    expect(mayHaveCertificate({ cancelledAt: null, attendedAt: during }, { cancelledAt: null })).toBe(true);
    const training = { id: "t", number: 1, topic: "x", startsAt: T.startsAt, endsAt: T.endsAt, areaPath: "/a/" };
    const grantees = [{ organizationId: "o", name: "队", areaPath: "/a/b/" }];
    const after = at("2026-12-11T00:00:00Z");
    expect(missedRequired([training], grantees, new Set(), after)).toHaveLength(1);
    expect(missedRequired([{ ...training, ...cancelled }], grantees, new Set(), after)).toEqual([]);
  });

  it("the edit form keeps the publishing form's checks; cancelling asks for a reason", () => {
    const edit = { intent: "edit", topic: "t", trainer: "w", startsAt: "2026-12-10T09:00", endsAt: "2026-12-10T08:00", place: "", onlineUrl: "", capacity: "3" };
    const r = TrainingPageIntents.safeParse(edit);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message).sort()).toEqual(["trainings.error.where", "trainings.error.window"]);
    expect(TrainingPageIntents.safeParse({ ...edit, endsAt: "2026-12-10T11:00", place: "x" }).success).toBe(true);
    expect(TrainingPageIntents.safeParse({ intent: "cancelTraining", reason: "  " }).error!.issues[0]!.message).toBe("trainings.error.reason");
    expect(TrainingPageIntents.safeParse({ intent: "cancelTraining", reason: "讲师生病" }).success).toBe(true);
  });

  it("shows an instant as Shanghai wall time for the form", () => {
    expect(shanghaiLocalOf("2026-12-10T01:00:00.000Z")).toBe("2026-12-10T09:00");
  });
});
