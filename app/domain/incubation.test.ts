import { describe, expect, it } from "vitest";
import { advanceStage, isMentorFor, mayLog, mayReadIncubation, nextStage } from "./incubation";

const entered = { stage: "ENTERED" as const, enteredOn: "2026-09-01", nurturingOn: null, graduatedOn: null };
const official = { id: "o", grants: [{ role: "OFFICIAL" as const, areaPath: "/p/d/", areaLevel: "SUBDISTRICT" }] };
const stranger = { id: "s", grants: [] };

describe("incubation stages", () => {
  it("goes 入孵 → 培育 → 出孵 and no further", () => {
    expect(nextStage("ENTERED")).toBe("NURTURING");
    expect(nextStage("NURTURING")).toBe("GRADUATED");
    expect(nextStage("GRADUATED")).toBeNull();
  });
  it("records each stage's day", () => {
    const n = advanceStage(entered, "NURTURING", "2026-10-01");
    expect(n).toEqual({ stage: "NURTURING", dates: { enteredOn: "2026-09-01", nurturingOn: "2026-10-01", graduatedOn: null } });
    const g = advanceStage({ stage: "NURTURING", enteredOn: "2026-09-01", nurturingOn: "2026-10-01", graduatedOn: null }, "GRADUATED", "2026-12-01");
    expect(g).toEqual({ stage: "GRADUATED", dates: { enteredOn: "2026-09-01", nurturingOn: "2026-10-01", graduatedOn: "2026-12-01" } });
  });
  it("skips no stage, goes back to none, and never to a day before the previous stage", () => {
    expect(advanceStage(entered, "GRADUATED", "2026-12-01")).toEqual({ problem: "incubation.error.stage" });
    expect(advanceStage({ ...entered, stage: "NURTURING", nurturingOn: "2026-10-01" }, "NURTURING", "2026-12-01")).toEqual({ problem: "incubation.error.stage" });
    expect(advanceStage(entered, "NURTURING", "2026-08-31")).toEqual({ problem: "incubation.error.dayBefore" });
  });
});

describe("who", () => {
  const inc = { mentorId: "m", areaPath: "/p/d/s/", stage: "NURTURING" as const };
  it("lets the mentor and the area's officials keep the log, not once it graduated", () => {
    expect(mayLog({ id: "m", grants: [] }, inc)).toBe(true);
    expect(mayLog(official, inc)).toBe(true);
    expect(mayLog(stranger, inc)).toBe(false);
    expect(mayLog(official, { ...inc, stage: "GRADUATED" })).toBe(false);
  });
  it("lets members, the mentor and officials read it, nobody else", () => {
    expect(mayReadIncubation(stranger, inc, true)).toBe(true);
    expect(mayReadIncubation(stranger, inc, false)).toBe(false);
    expect(mayReadIncubation({ id: "m", grants: [] }, inc, false)).toBe(true);
  });
  it("knows a mentor by a MENTOR grant in the area or above", () => {
    expect(isMentorFor([{ role: "MENTOR", areaPath: "/p/d/" }], "/p/d/s/")).toBe(true);
    expect(isMentorFor([{ role: "MENTOR", areaPath: "/p/x/" }], "/p/d/s/")).toBe(false);
    expect(isMentorFor([{ role: "JUDGE", areaPath: "/p/d/" }], "/p/d/s/")).toBe(false);
  });
});
