import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  administeredRoots,
  canAdminister,
  canGrant,
  canManageOrganization,
  canRevoke,
  canViewOrganization,
  canViewStaff,
  depthOf,
  grantableRoles,
  isAreaPath,
  isOfficialFor,
  isWithin,
  memberRemovalProblem,
  officialRoots,
  type GrantHolder,
  type ScopedGrant,
} from "./permissions";

const DISTRICT = "/pinghu/";
const DANGHU = "/pinghu/danghu/";
const SONGFENG = "/pinghu/danghu/songfeng/";
const FENGHUANG = "/pinghu/danghu/fenghuang/";
const OTHER_TOWN = "/pinghu/zhapu/";

const grant = (role: ScopedGrant["role"], areaPath: string, areaLevel: string): ScopedGrant => ({ role, areaPath, areaLevel });
const actor = (...grants: ScopedGrant[]): GrantHolder => ({ id: "me", grants });

const subdistrictOfficial = actor(grant("OFFICIAL", DANGHU, "SUBDISTRICT"));
const communityOfficial = actor(grant("OFFICIAL", SONGFENG, "COMMUNITY"));
const judge = actor(grant("JUDGE", DANGHU, "SUBDISTRICT"));
const admin = actor(grant("ADMIN", DISTRICT, "DISTRICT"));
const nobody = actor();

describe("isWithin", () => {
  it("an area is within itself and within each ancestor", () => {
    expect(isWithin(SONGFENG, SONGFENG)).toBe(true);
    expect(isWithin(SONGFENG, DANGHU)).toBe(true);
    expect(isWithin(SONGFENG, DISTRICT)).toBe(true);
  });

  it("a sibling, a parent or another branch is not within", () => {
    expect(isWithin(FENGHUANG, SONGFENG)).toBe(false);
    expect(isWithin(DANGHU, SONGFENG)).toBe(false);
    expect(isWithin(SONGFENG, OTHER_TOWN)).toBe(false);
  });

  it("compares whole path segments, not string prefixes", () => {
    expect(isWithin("/pinghu/danghu2/", DANGHU)).toBe(false);
    expect(isWithin("/pinghu/danghu2/", "/pinghu/danghu")).toBe(false);
    expect(isWithin("/pinghu/danghu/x/", "/pinghu/danghu")).toBe(true);
  });

  it("an empty path is within nothing and contains nothing", () => {
    expect(isWithin("", DANGHU)).toBe(false);
    expect(isWithin(SONGFENG, "")).toBe(false);
  });

  it("holds for generated trees: a child of P is within P, P is within its child only if equal", () => {
    const segment = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), segment, (segs, extra) => {
        const p = `/${segs.join("/")}/`;
        const child = `${p}${extra}/`;
        expect(isAreaPath(p)).toBe(true);
        expect(isWithin(child, p)).toBe(true);
        expect(isWithin(p, child)).toBe(false);
        expect(depthOf(child)).toBe(depthOf(p) + 1);
      }),
    );
  });
});

describe("official scope", () => {
  it("an official of 当湖街道 is an official for every community in it", () => {
    for (const area of [DANGHU, SONGFENG, FENGHUANG]) expect(isOfficialFor(subdistrictOfficial, area), area).toBe(true);
    for (const area of [DISTRICT, OTHER_TOWN]) expect(isOfficialFor(subdistrictOfficial, area), area).toBe(false);
  });

  it("an official of one community sees only that community", () => {
    expect(isOfficialFor(communityOfficial, SONGFENG)).toBe(true);
    for (const area of [FENGHUANG, DANGHU]) expect(isOfficialFor(communityOfficial, area), area).toBe(false);
    expect(canViewStaff(communityOfficial, SONGFENG)).toBe(true);
    expect(canViewStaff(communityOfficial, FENGHUANG)).toBe(false);
  });

  it("judges and foundation managers are not officials", () => {
    expect(isOfficialFor(judge, SONGFENG)).toBe(false);
    expect(isOfficialFor(actor(grant("FOUNDATION_MANAGER", DANGHU, "SUBDISTRICT")), DANGHU)).toBe(false);
  });

  it("an administrator is an official everywhere", () => {
    expect(isOfficialFor(admin, OTHER_TOWN)).toBe(true);
    expect(isOfficialFor(admin, "/elsewhere/")).toBe(true);
  });

  it("only subdistrict-or-higher officials and administrators have the admin pages", () => {
    expect(canAdminister(subdistrictOfficial)).toBe(true);
    expect(canAdminister(actor(grant("OFFICIAL", DISTRICT, "DISTRICT")))).toBe(true);
    expect(canAdminister(admin)).toBe(true);
    expect(canAdminister(communityOfficial)).toBe(false);
    expect(canAdminister(actor(grant("OFFICIAL", "/pinghu/danghu/sanbei/", "VILLAGE")))).toBe(false);
    expect(canAdminister(judge)).toBe(false);
    expect(canAdminister(nobody)).toBe(false);
  });

  it("administered roots keep only the topmost scopes", () => {
    const both = actor(grant("OFFICIAL", DANGHU, "SUBDISTRICT"), grant("OFFICIAL", DISTRICT, "DISTRICT"), grant("OFFICIAL", SONGFENG, "COMMUNITY"));
    expect(administeredRoots(both)).toEqual([DISTRICT]);
    expect(administeredRoots(communityOfficial)).toEqual([]);
    expect(administeredRoots(admin)).toBeNull();
    expect(officialRoots(communityOfficial)).toEqual([SONGFENG]);
    expect(officialRoots(actor(grant("OFFICIAL", SONGFENG, "COMMUNITY"), grant("OFFICIAL", FENGHUANG, "COMMUNITY")))).toEqual([FENGHUANG, SONGFENG]);
  });
});

describe("granting roles", () => {
  it("a subdistrict official grants official, judge and foundation manager within the subdistrict", () => {
    for (const area of [DANGHU, SONGFENG, FENGHUANG]) {
      expect(grantableRoles(subdistrictOfficial, area)).toEqual(["OFFICIAL", "JUDGE", "FOUNDATION_MANAGER", "MENTOR"]);
    }
    expect(canGrant(subdistrictOfficial, "ADMIN", DANGHU)).toBe(false);
  });

  it("but nowhere outside it", () => {
    expect(grantableRoles(subdistrictOfficial, DISTRICT)).toEqual([]);
    expect(grantableRoles(subdistrictOfficial, OTHER_TOWN)).toEqual([]);
  });

  it("community officials, judges and residents cannot grant", () => {
    expect(grantableRoles(communityOfficial, SONGFENG)).toEqual([]);
    expect(grantableRoles(judge, SONGFENG)).toEqual([]);
    expect(grantableRoles(nobody, SONGFENG)).toEqual([]);
  });

  it("an administrator grants every role anywhere", () => {
    expect(grantableRoles(admin, OTHER_TOWN)).toEqual(["OFFICIAL", "JUDGE", "FOUNDATION_MANAGER", "ADMIN", "MENTOR"]);
  });

  it("revoking follows granting, and nobody revokes their own grant", () => {
    expect(canRevoke(subdistrictOfficial, { userId: "other", role: "JUDGE", areaPath: DANGHU })).toBe(true);
    expect(canRevoke(subdistrictOfficial, { userId: "other", role: "OFFICIAL", areaPath: SONGFENG })).toBe(true);
    expect(canRevoke(subdistrictOfficial, { userId: "me", role: "OFFICIAL", areaPath: DANGHU })).toBe(false);
    expect(canRevoke(subdistrictOfficial, { userId: "other", role: "OFFICIAL", areaPath: OTHER_TOWN })).toBe(false);
    expect(canRevoke(communityOfficial, { userId: "other", role: "JUDGE", areaPath: SONGFENG })).toBe(false);
  });
});

describe("organizations", () => {
  const team = { areaPath: FENGHUANG, memberUserIds: ["member"] };

  it("members and officials covering its area see an organization; others do not", () => {
    expect(canViewOrganization({ id: "member", grants: [] }, team)).toBe(true);
    expect(canViewOrganization(subdistrictOfficial, team)).toBe(true);
    expect(canViewOrganization(actor(grant("OFFICIAL", FENGHUANG, "COMMUNITY")), team)).toBe(true);
    expect(canViewOrganization(communityOfficial, team)).toBe(false);
    expect(canViewOrganization(judge, team)).toBe(false);
    expect(canViewOrganization(nobody, team)).toBe(false);
  });

  it("only members manage the member list", () => {
    expect(canManageOrganization({ id: "member", grants: [] }, team)).toBe(true);
    expect(canManageOrganization(subdistrictOfficial, team)).toBe(false);
  });

  it("a resident team never drops below three named members", () => {
    expect(memberRemovalProblem("RESIDENT_TEAM", 3, { isLastAccountHolder: false })).toBe("team-minimum");
    expect(memberRemovalProblem("RESIDENT_TEAM", 4, { isLastAccountHolder: false })).toBeNull();
    expect(memberRemovalProblem("SOCIAL_ORGANIZATION", 2, { isLastAccountHolder: false })).toBeNull();
  });

  it("the last member with an account stays (someone must be able to manage it)", () => {
    expect(memberRemovalProblem("SOCIAL_ORGANIZATION", 5, { isLastAccountHolder: true })).toBe("last-account-holder");
  });
});
