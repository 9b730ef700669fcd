import { z } from "zod";
import { RESIDENT_TEAM_MIN_MEMBERS } from "./permissions";
import { usccProblem } from "./uscc";

export const ORGANIZATION_KINDS = ["SOCIAL_ORGANIZATION", "COMMUNITY_ORGANIZATION", "RESIDENT_TEAM"] as const;
export type OrganizationKindName = (typeof ORGANIZATION_KINDS)[number];

/** Member rows the creation form shows without JavaScript (more can be added). */
export const MEMBER_ROWS = 5;
export const MAX_MEMBERS = 50;

const optionalText = (max: number) => z.string().trim().max(max, "validation.tooLong").optional();

const memberRow = z.object({
  name: optionalText(50),
  position: optionalText(30),
});

/**
 * One schema for the "new organization" form, in the browser and on the server. Messages are
 * keys in locales/public.json. The creator is a member too, so a resident team needs at least
 * two more named rows.
 */
export const CreateOrganizationSchema = z
  .object({
    kind: z.enum(ORGANIZATION_KINDS, { error: "org.kind.required" }),
    name: z.string({ error: "validation.required" }).trim().min(2, "org.name.short").max(100, "validation.tooLong"),
    areaId: z.string({ error: "org.area.required" }).min(1, "org.area.required"),
    uscc: z.string().max(40, "org.uscc.length").optional(),
    filingNo: optionalText(50),
    creatorPosition: optionalText(30),
    members: z.array(memberRow).max(MAX_MEMBERS, "org.members.tooMany").optional(),
  })
  .superRefine((v, ctx) => {
    if (v.kind === "SOCIAL_ORGANIZATION") {
      if (!v.uscc?.trim()) ctx.addIssue({ code: "custom", path: ["uscc"], message: "org.uscc.required" });
      else {
        const problem = usccProblem(v.uscc);
        if (problem) ctx.addIssue({ code: "custom", path: ["uscc"], message: `org.uscc.${problem}` });
      }
    }
    if (v.kind === "COMMUNITY_ORGANIZATION" && !v.filingNo) {
      ctx.addIssue({ code: "custom", path: ["filingNo"], message: "org.filingNo.required" });
    }
    const rows = v.members ?? [];
    rows.forEach((m, i) => {
      if (!m.name && m.position) ctx.addIssue({ code: "custom", path: ["members", i, "name"], message: "org.members.nameMissing" });
    });
    if (v.kind === "RESIDENT_TEAM" && namedMembers(rows).length + 1 < RESIDENT_TEAM_MIN_MEMBERS) {
      ctx.addIssue({ code: "custom", path: ["members"], message: "org.members.tooFew" });
    }
  });

export type CreateOrganizationInput = z.output<typeof CreateOrganizationSchema>;

/** The filled-in member rows (blank rows of the form are ignored). */
export function namedMembers(rows: readonly { name?: string; position?: string }[]) {
  return rows.filter((m): m is { name: string; position?: string } => !!m.name?.trim()).map((m) => ({
    name: m.name.trim(),
    position: m.position?.trim() || null,
  }));
}

export const AddMemberSchema = z.object({
  name: z.string({ error: "validation.required" }).trim().min(1, "validation.required").max(50, "validation.tooLong"),
  position: optionalText(30),
});
