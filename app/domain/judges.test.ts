import { describe, expect, it } from "vitest";
import { toFieldErrors } from "~/lib/result";
import { AcceptInvitationSchema, declarationsOf, DeclareConflictSchema, InviteJudgeSchema, usccsOf } from "./judges";

const errorsOf = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) => (r.success ? {} : toFieldErrors(r.error!.issues));

describe("the judges' forms", () => {
  it("an invitation needs a name and an address (lower-cased); employers' USCCs are optional but valid", () => {
    expect(InviteJudgeSchema.parse({ name: " 郑强 ", email: " Judge@Example.COM " })).toEqual({ name: "郑强", email: "judge@example.com", employerUsccs: "" });
    expect(errorsOf(InviteJudgeSchema.safeParse({ name: "", email: "not-an-email" }))).toEqual({ name: ["review.invite.nameRequired"], email: ["review.invite.emailInvalid"] });
    expect(errorsOf(InviteJudgeSchema.safeParse({ name: "x", email: "x@example.com", employerUsccs: "91330000ABCDEFGH" }))).toEqual({ employerUsccs: ["review.invite.usccInvalid"] });
  });

  it("reads USCCs separated by spaces, commas or semicolons of either width, upper-cased", () => {
    expect(usccsOf(" a1，b2;c3；d4  e5,")).toEqual(["A1", "B2", "C3", "D4", "E5"]);
    expect(usccsOf("")).toEqual([]);
  });

  it("accepting declares conflicts or confirms none, never both; each organization once, with its kind", () => {
    const formErrors = (raw: unknown) => errorsOf(AcceptInvitationSchema.safeParse(raw))[""] ?? [];
    expect(formErrors({ noConflicts: true })).toEqual([]);
    expect(formErrors({})).toEqual(["review.accept.declareOrConfirm"]);
    expect(formErrors({ rows: [{ organizationId: "o1", kind: "ADVISOR" }], noConflicts: true })).toEqual(["review.accept.bothChosen"]);
    expect(formErrors({ rows: [{ organizationId: "o1" }] })).toEqual(["review.accept.kindRequired"]);
    expect(formErrors({ rows: [{ organizationId: "o1", kind: "ADVISOR" }, { organizationId: "o1", kind: "MEMBER" }] })).toEqual(["review.accept.duplicateOrganization"]);
    expect(formErrors({ rows: Array.from({ length: 21 }, (_, i) => ({ organizationId: `o${i}`, kind: "OTHER" })) })).toEqual(["review.accept.tooMany"]);
    // blank rows (no organization) are ignored; notes are trimmed
    const parsed = AcceptInvitationSchema.parse({ rows: [{ organizationId: "o1", kind: "RELATED", note: "  亲属  " }, {}, { kind: "OTHER" }] });
    expect(declarationsOf(parsed.rows)).toEqual([{ organizationId: "o1", kind: "RELATED", note: "亲属" }]);
  });

  it("a conflict on an assigned proposal needs its kind; the note is at most 200 characters", () => {
    expect(DeclareConflictSchema.parse({ kind: "RELATED" })).toEqual({ kind: "RELATED", note: "" });
    expect(errorsOf(DeclareConflictSchema.safeParse({ kind: "FRIEND", note: "x".repeat(201) }))).toEqual({ kind: ["review.accept.kindRequired"], note: ["review.conflict.noteTooLong"] });
  });
});
