import { isOfficialFor } from "~/domain/permissions";
import type { Actor } from "~/services/accounts/actor.server";
import type { Client } from "~/lib/db.server";
import { notFound } from "~/lib/permissions.server";

/**
 * Who may see and change a proposal: the members of its organization always (drafts included)
 * and they alone edit, submit and withdraw it; officials whose area covers the round's area read
 * it once it is submitted. Anyone else gets 404, as if it did not exist.
 */

/** Whether the user is a member of the organization. */
export async function isMember(client: Client, userId: string, organizationId: string): Promise<boolean> {
  const m = await client.organizationMember.findFirst({ where: { organizationId, userId }, select: { id: true } });
  return !!m;
}

/** 404 unless `actor` is a member of the organization (who alone starts, edits and submits its proposals). */
export async function requireMember(client: Client, actor: Pick<Actor, "id">, organizationId: string): Promise<void> {
  if (!(await isMember(client, actor.id, organizationId))) notFound();
}

/**
 * Whether `actor` may read a proposal, and as a member or not; 404 when they may not: members
 * always, officials of the round's area once it is no longer a draft.
 */
export async function requireReader(
  client: Client,
  actor: Pick<Actor, "id" | "grants">,
  proposal: { organizationId: string; status: string; roundAreaPath: string },
): Promise<{ member: boolean }> {
  const member = await isMember(client, actor.id, proposal.organizationId);
  if (!member && (proposal.status === "DRAFT" || !isOfficialFor(actor, proposal.roundAreaPath))) notFound();
  return { member };
}

/** A round still being set up is visible only to its officials: 404 for anyone else. */
export function requireRoundVisible(actor: Pick<Actor, "grants">, round: { phase: string; areaPath: string }): void {
  if (round.phase === "DRAFT" && !isOfficialFor(actor, round.areaPath)) notFound();
}
