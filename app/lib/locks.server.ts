import type { Tx } from "./db.server";

/**
 * Row and advisory locks, taken inside a transaction and released when it ends. One place for
 * them so that every use-case that serialises on the same thing takes the same lock.
 */

/** Locks a round's row: changes to one round's assignments, awards or settings happen one at a time. */
export async function lockRound(tx: Tx, roundId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Round" WHERE id = ${roundId} FOR UPDATE`;
}

/** Locks a round's row by its code; null when there is no such round. */
export async function lockRoundByCode(tx: Tx, code: string): Promise<string | null> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Round" WHERE code = ${code} FOR UPDATE`;
  return rows[0]?.id ?? null;
}

/** A transaction-scoped advisory lock on a name ("receipt:<sha>", "grant:<user>"): for things that have no row yet. */
export async function advisoryLock(tx: Tx, key: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
}
