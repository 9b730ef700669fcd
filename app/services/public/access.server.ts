import type { DonationStatus, ProjectStatus } from "~/generated/prisma/client";
import { type Client, db } from "~/lib/db.server";
import type { Actor } from "~/services/accounts/actor.server";
import { accessTo, projectByRef } from "~/services/projects/access.server";

/**
 * What anyone may see without signing in (两公开): the transparency portal, the open data files
 * and the public project pages read their rows through these filters and nothing else, so a
 * state that is not public (a draft round, a pending checkout, an expense or report not yet
 * approved) cannot appear on one page and not on another. Which fields are public is each
 * query's explicit `select` (docs/decisions/010-public-project-pages.md).
 */

/** Project states listed publicly (every funded project, from its agreement on), in the order the filter shows them. */
export const PUBLIC_PROJECT_STATUSES = ["AWAITING_ACCEPTANCE", "AWAITING_COUNTERSIGN", "ACTIVE", "EVALUATION_FAILED", "CLOSED"] as const satisfies readonly ProjectStatus[];

export const isPublicProjectStatus = (status: string): status is (typeof PUBLIC_PROJECT_STATUSES)[number] => (PUBLIC_PROJECT_STATUSES as readonly string[]).includes(status);

/** Paid gifts: what the public sees of donations (the trace page too). Pending and failed checkouts are not gifts. */
export const PUBLIC_DONATION_STATUSES = ["SUCCEEDED", "PARTIALLY_REFUNDED", "REFUNDED", "DISPUTED"] as const satisfies readonly DonationStatus[];
export const publicDonation = { status: { in: [...PUBLIC_DONATION_STATUSES] } };

/** Rounds once published (a draft is its officials' only). */
export const publicRound = { phase: { not: "DRAFT" as const } };

/** Expenses and reports once approved: drafts, submitted and returned ones, and officials' comments, stay in the workspace. */
export const approvedOnly = { status: "APPROVED" as const };

/** Tranches paid out: prepared and held ones are not money that moved. */
export const releasedOnly = { status: "RELEASED" as const };

/**
 * Whether the signed-in actor works on this project (member of the implementing organization or
 * official of its area): the public page then links to the workspace. Null for everyone else.
 */
export async function workspaceAccess(actor: Actor | null, referenceNo: string, client: Client = db()): Promise<{ official: boolean } | null> {
  if (!actor) return null;
  const access = await accessTo(client, actor, await projectByRef(client, referenceNo));
  return access.isGrantee || access.isOfficial ? { official: access.isOfficial } : null;
}
