import type { LedgerAccountKind } from "~/generated/prisma/client";
import { depthOf, officialRoots, type GrantHolder } from "~/domain/permissions";

/**
 * Who may read the books. A foundation's own money — its available and its earmarked funds —
 * is public entry by entry: every movement into or out of those accounts is listed on the
 * foundation's public page and summed in the open data. Every other account (matching pools,
 * round pools, awards, the outside world's clearing and sponsor accounts) is shown as sums and
 * traces only. Verifying the ledger and the audit chain (scripts/ledger-verify.ts,
 * scripts/audit-verify.ts) reads everything and is run by whoever runs those commands with the
 * database's credentials. The audit chain's verification is also a button of the audit log
 * page, for whoever may read that page (auditLogScope below); the ledger's is not.
 */

/** The accounts whose movements are public, entry by entry: a foundation's funds. */
export const PUBLIC_MOVEMENT_ACCOUNT_KINDS = ["FOUNDATION_AVAILABLE", "FOUNDATION_EARMARKED"] as const satisfies readonly LedgerAccountKind[];

export function movementsArePublic(account: { kind: string }): boolean {
  return (PUBLIC_MOVEMENT_ACCOUNT_KINDS as readonly string[]).includes(account.kind);
}

/**
 * Which audit records an actor may read on the audit log page (and export): `all` for
 * administrators; for officials, the records about objects in their areas — an object's area is
 * its project's community, else its own area (a need's, an organisation's, a grant's, a proposal's
 * community), else its round's area (see services/books/audit-log.server.ts for the mapping) —
 * and, for officials of a top area (a root of the area tree, e.g. the district), also the records
 * whose object has no area (accounts, sign-ins, consents, foundations' campaigns, the ledger, mail,
 * the audit log itself). Null for anyone else. Verifying the chain reveals only its length, its
 * head hash and the seq of a broken record, never content: whoever may read the log may run it.
 */
export type AuditLogScope = { all: true } | { all: false; roots: string[]; unmapped: boolean };

export function auditLogScope(actor: Pick<GrantHolder, "grants">): AuditLogScope | null {
  const roots = officialRoots(actor);
  if (roots === null) return { all: true };
  if (roots.length === 0) return null;
  return { all: false, roots, unmapped: roots.some((r) => depthOf(r) === 1) };
}
