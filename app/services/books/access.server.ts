import type { LedgerAccountKind } from "~/generated/prisma/client";

/**
 * Who may read the books. A foundation's own money — its available and its earmarked funds —
 * is public entry by entry: every movement into or out of those accounts is listed on the
 * foundation's public page and summed in the open data. Every other account (matching pools,
 * round pools, awards, the outside world's clearing and sponsor accounts) is shown as sums and
 * traces only. Verifying the ledger and the audit chain (scripts/ledger-verify.ts,
 * scripts/audit-verify.ts) reads everything and is run by whoever runs those commands with the
 * database's credentials: no signed-in user starts it, so no rule here admits one.
 */

/** The accounts whose movements are public, entry by entry: a foundation's funds. */
export const PUBLIC_MOVEMENT_ACCOUNT_KINDS = ["FOUNDATION_AVAILABLE", "FOUNDATION_EARMARKED"] as const satisfies readonly LedgerAccountKind[];

export function movementsArePublic(account: { kind: string }): boolean {
  return (PUBLIC_MOVEMENT_ACCOUNT_KINDS as readonly string[]).includes(account.kind);
}
