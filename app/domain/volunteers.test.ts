import { describe, expect, it } from "vitest";
import {
  afterVolunteerDecision,
  afterWishMove,
  countsHours,
  DEFAULT_SMALL_WISH_LIMIT_FEN,
  formatHours,
  LimitSchema,
  markProblem,
  parseShiftHours,
  reverseProblem,
  shiftDayProblem,
  shiftTotals,
  topicProblemOfWish,
  mayAnswerFulfilment,
  minutesProblem,
  parseHours,
  registrationMove,
  RegisterSchema,
  smallWishLimit,
  smallWishProblem,
  takeProblem,
  totalMinutes,
  WISH_STATUSES,
  type WishMove,
} from "./volunteers";

const official = { id: "o", grants: [{ role: "OFFICIAL" as const, areaPath: "/jn/sf", areaLevel: "COMMUNITY" as const }] };
const resident = { id: "r", grants: [] };

describe("volunteer registration (报到)", () => {
  it("only a pending registration is confirmed or declined", () => {
    expect(afterVolunteerDecision("PENDING", "CONFIRM")).toEqual({ status: "CONFIRMED" });
    expect(afterVolunteerDecision("PENDING", "DECLINE")).toEqual({ status: "DECLINED" });
    expect(afterVolunteerDecision("CONFIRMED", "DECLINE")).toEqual({ problem: "volunteers.error.notPending" });
    expect(afterVolunteerDecision("DECLINED", "CONFIRM")).toEqual({ problem: "volunteers.error.notPending" });
  });

  it("registering again after a refusal goes back to pending; a confirmed volunteer stays confirmed", () => {
    expect(registrationMove(null)).toEqual({ status: "PENDING", fresh: true });
    expect(registrationMove("DECLINED")).toEqual({ status: "PENDING", fresh: false });
    expect(registrationMove("CONFIRMED")).toEqual({ status: "CONFIRMED", fresh: false });
  });

  it("a Party member names their branch", () => {
    const base = { skills: "理发、家电维修", availability: "周末上午" };
    expect(RegisterSchema.safeParse({ ...base, partyMember: "on" }).success).toBe(false);
    expect(RegisterSchema.parse({ ...base, partyMember: "on", partyBranch: "松枫社区第一党支部" })).toMatchObject({ partyMember: true, showOnWall: false });
    expect(RegisterSchema.parse(base)).toMatchObject({ partyMember: false, partyBranch: "" });
  });
});

describe("small wishes (微心愿)", () => {
  it("is small when non-monetary or under the limit (default ¥500)", () => {
    expect(DEFAULT_SMALL_WISH_LIMIT_FEN).toBe(50_000);
    expect(smallWishProblem(0, smallWishLimit(null))).toBeNull();
    expect(smallWishProblem(49_999, smallWishLimit(null))).toBeNull();
    expect(smallWishProblem(50_000, smallWishLimit(null))).toBe("volunteers.error.tooLarge");
    expect(smallWishProblem(-1, smallWishLimit(null))).toBe("volunteers.error.value");
    expect(smallWishProblem(80_000, smallWishLimit(100_000))).toBeNull();
    expect(smallWishLimit(0)).toBe(DEFAULT_SMALL_WISH_LIMIT_FEN);
  });

  it("moves open → taken → fulfilled → confirmed or disputed → resolved, and nothing else", () => {
    const path: [WishMove, string][] = [
      ["take", "TAKEN"],
      ["fulfil", "FULFILLED"],
      ["dispute", "DISPUTED"],
      ["rule", "RESOLVED"],
    ];
    let s = "OPEN" as (typeof WISH_STATUSES)[number];
    for (const [move, to] of path) {
      const r = afterWishMove(s, move);
      expect(r).toEqual({ status: to });
      s = (r as { status: typeof s }).status;
    }
    expect(afterWishMove("FULFILLED", "confirm")).toEqual({ status: "CONFIRMED" });
    expect(afterWishMove("TAKEN", "release")).toEqual({ status: "OPEN" });
    expect(afterWishMove("TAKEN", "take")).toEqual({ problem: "volunteers.error.alreadyTaken" });
    expect(afterWishMove("OPEN", "fulfil")).toEqual({ problem: "volunteers.error.notTaken" });
    expect(afterWishMove("CONFIRMED", "dispute")).toEqual({ problem: "volunteers.error.notFulfilled" });
    expect(afterWishMove("FULFILLED", "rule")).toEqual({ problem: "volunteers.error.notDisputed" });
    // every move from every state: only the listed ones succeed
    const allowed = new Set(["OPEN:take", "TAKEN:release", "TAKEN:fulfil", "FULFILLED:confirm", "FULFILLED:dispute", "DISPUTED:rule"]);
    for (const st of WISH_STATUSES)
      for (const mv of ["take", "release", "fulfil", "confirm", "dispute", "rule"] as WishMove[]) expect("status" in afterWishMove(st, mv)).toBe(allowed.has(`${st}:${mv}`));
  });

  it("hours count once confirmed, or once ruled fulfilled", () => {
    expect(countsHours("CONFIRMED", null)).toBe(true);
    expect(countsHours("RESOLVED", true)).toBe(true);
    expect(countsHours("RESOLVED", false)).toBe(false);
    expect(countsHours("FULFILLED", null)).toBe(false);
  });

  it("a confirmed volunteer or a member of a pairing unit takes it; never its own author", () => {
    const wish = { authorId: "author" };
    expect(takeProblem({ userId: "v", volunteerStatus: "CONFIRMED", pairingUnits: [] }, wish, null)).toBeNull();
    expect(takeProblem({ userId: "v", volunteerStatus: "PENDING", pairingUnits: [] }, wish, null)).toBe("volunteers.error.notConfirmedYet");
    expect(takeProblem({ userId: "v", volunteerStatus: null, pairingUnits: [] }, wish, null)).toBe("volunteers.error.notVolunteer");
    expect(takeProblem({ userId: "v", volunteerStatus: "DECLINED", pairingUnits: [] }, wish, null)).toBe("volunteers.error.notVolunteer");
    expect(takeProblem({ userId: "m", volunteerStatus: null, pairingUnits: ["org"] }, wish, "org")).toBeNull();
    expect(takeProblem({ userId: "m", volunteerStatus: "CONFIRMED", pairingUnits: [] }, wish, "org")).toBe("volunteers.error.notPairingUnit");
    expect(takeProblem({ userId: "author", volunteerStatus: "CONFIRMED", pairingUnits: [] }, wish, null)).toBe("volunteers.error.ownWish");
  });

  it("the author answers the fulfilment (officials when the need has none); the author or an official marks it", () => {
    expect(mayAnswerFulfilment(resident, { authorId: "r" }, "/jn/sf")).toBe(true);
    expect(mayAnswerFulfilment(official, { authorId: "r" }, "/jn/sf")).toBe(false);
    expect(mayAnswerFulfilment(official, { authorId: null }, "/jn/sf")).toBe(true);
    expect(markProblem(resident, { authorId: "r", status: "OPEN" }, "/jn/sf")).toBeNull();
    expect(markProblem(resident, { authorId: "x", status: "OPEN" }, "/jn/sf")).toBe("forbidden");
    expect(markProblem(official, { authorId: "x", status: "OPEN" }, "/jn/sf")).toBeNull();
    expect(markProblem(official, { authorId: "x", status: "PUBLISHED" }, "/jn/sf")).toBe("volunteers.error.isTopic");
  });
});

describe("volunteer hours", () => {
  it("are positive whole quarter hours, at most 24 per entry", () => {
    expect(minutesProblem(15)).toBeNull();
    expect(minutesProblem(1440)).toBeNull();
    expect(minutesProblem(0)).toBe("volunteers.error.hours");
    expect(minutesProblem(-15)).toBe("volunteers.error.hours");
    expect(minutesProblem(1455)).toBe("volunteers.error.hoursMax");
    expect(minutesProblem(20)).toBe("volunteers.error.hoursStep");
    expect(minutesProblem(15.5)).toBe("volunteers.error.hours");
  });

  it("are typed as hours and kept as minutes", () => {
    expect(parseHours("2")).toEqual({ minutes: 120 });
    expect(parseHours("1.5")).toEqual({ minutes: 90 });
    expect(parseHours(" 0.25 ")).toEqual({ minutes: 15 });
    expect(parseHours("１.５")).toEqual({ minutes: 90 });
    expect(parseHours("24")).toEqual({ minutes: 1440 });
    expect(parseHours("24.25")).toEqual({ problem: "volunteers.error.hoursMax" });
    expect(parseHours("0.33")).toEqual({ problem: "volunteers.error.hoursStep" });
    expect(parseHours("0.1")).toEqual({ problem: "volunteers.error.hoursStep" });
    expect(parseHours("0")).toEqual({ problem: "volunteers.error.hours" });
    expect(parseHours("-1")).toEqual({ problem: "volunteers.error.hours" });
    expect(parseHours("两小时")).toEqual({ problem: "volunteers.error.hours" });
  });

  it("add up and read as hours", () => {
    expect(totalMinutes([{ minutes: 90 }, { minutes: 45 }, { minutes: 1440 }])).toBe(1575);
    expect(formatHours(90)).toBe("1.5");
    expect(formatHours(135)).toBe("2.25");
    expect(formatHours(120)).toBe("2");
  });
});

describe("forms read twice", () => {
  it("the service reads what the page's action already parsed (fen, minutes) with the same checks", async () => {
    const { MarkSchema, MarkRead, FulfilFields, FulfilRead } = await import("./volunteers");
    expect(MarkRead.parse(MarkSchema.parse({ value: "120" }))).toEqual({ value: 12_000 });
    expect(FulfilRead.parse(FulfilFields.parse({ note: "收音机已送到", hours: "1.5" }))).toEqual({ note: "收音机已送到", hours: 90 });
    expect(FulfilRead.safeParse({ note: "收音机已送到", hours: 20 }).success).toBe(false);
    expect(MarkRead.safeParse({ value: -1 }).success).toBe(false);
  });
});

describe("project shifts", () => {
  it("a shift is half an hour to twelve hours, in half hours", () => {
    expect(parseShiftHours("0.5")).toEqual({ minutes: 30 });
    expect(parseShiftHours("１２")).toEqual({ minutes: 720 });
    expect(parseShiftHours("3.5")).toEqual({ minutes: 210 });
    expect(parseShiftHours("0.25")).toEqual({ problem: "volunteers.error.shiftMin" });
    expect(parseShiftHours("0")).toEqual({ problem: "volunteers.error.hours" });
    expect(parseShiftHours("1.25")).toEqual({ problem: "volunteers.error.shiftStep" });
    expect(parseShiftHours("1.33")).toEqual({ problem: "volunteers.error.shiftStep" });
    expect(parseShiftHours("12.5")).toEqual({ problem: "volunteers.error.shiftMax" });
    expect(parseShiftHours("25")).toEqual({ problem: "volunteers.error.shiftMax" });
  });

  it("a shift's day is not in the future nor more than ninety days back", () => {
    expect(shiftDayProblem("2026-12-07", "2026-12-07")).toBeNull();
    expect(shiftDayProblem("2026-12-08", "2026-12-07")).toBe("volunteers.error.shiftFuture");
    expect(shiftDayProblem("2026-09-08", "2026-12-07")).toBeNull();
    expect(shiftDayProblem("2026-09-07", "2026-12-07")).toBe("volunteers.error.shiftOld");
    expect(shiftDayProblem("2026-13-01", "2026-12-07")).toBe("volunteers.error.shiftDay");
  });

  it("only a project shift not yet reversed is reversed, and a reversed one counts for nothing", () => {
    expect(reverseProblem({ projectId: "p", reversesId: null, reversed: false })).toBeNull();
    expect(reverseProblem({ projectId: "p", reversesId: null, reversed: true })).toBe("volunteers.error.alreadyReversed");
    expect(reverseProblem({ projectId: "p", reversesId: "e", reversed: false })).toBe("volunteers.error.notReversible");
    expect(reverseProblem({ projectId: null, reversesId: null, reversed: false })).toBe("volunteers.error.notReversible");
    expect(shiftTotals([{ minutes: 120, reversesId: null }, { minutes: 60, reversesId: null }, { minutes: -60, reversesId: "b" }])).toEqual({ shifts: 1, minutes: 120 });
  });
});

describe("a wish or a topic", () => {
  it("an open or taken wish keeps its need from being a topic; a done one does not", () => {
    expect(topicProblemOfWish(null)).toBeNull();
    expect(topicProblemOfWish("OPEN")).toBe("needs.error.isSmallWish");
    expect(topicProblemOfWish("TAKEN")).toBe("needs.error.isSmallWish");
    for (const s of ["FULFILLED", "CONFIRMED", "DISPUTED", "RESOLVED"] as const) expect(topicProblemOfWish(s)).toBeNull();
  });

  it("the community's limit is whole yuan from ¥10 to ¥5,000", () => {
    expect(LimitSchema.safeParse({ limit: "800" })).toMatchObject({ success: true, data: { limit: 80_000 } });
    expect(LimitSchema.safeParse({ limit: "9" }).success).toBe(false);
    expect(LimitSchema.safeParse({ limit: "5000" }).success).toBe(true);
    expect(LimitSchema.safeParse({ limit: "5000.01" }).success).toBe(false);
    expect(LimitSchema.safeParse({ limit: "99.5" }).success).toBe(false);
  });
});
