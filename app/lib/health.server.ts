import { db } from "./db.server";
import { readMigrations } from "./migrate.server";

/**
 * Readiness for a load balancer: the database answers, and every committed migration is applied.
 * Once the migrations were seen applied they are not asked again (they cannot be un-applied).
 */
let migrationsApplied = false;

export async function readiness(timeoutMs = 2_000): Promise<{ ready: boolean; database: boolean; migrations: boolean }> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout")), timeoutMs).unref());
  try {
    await Promise.race([db().$queryRaw`SELECT 1`, timeout]);
  } catch {
    return { ready: false, database: false, migrations: migrationsApplied };
  }
  if (!migrationsApplied) {
    try {
      const rows = await Promise.race([
        db().$queryRaw<{ migration_name: string }[]>`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        timeout,
      ]);
      const applied = new Set(rows.map((r) => r.migration_name));
      migrationsApplied = readMigrations().every((m) => applied.has(m.name));
    } catch {
      migrationsApplied = false;
    }
  }
  return { ready: migrationsApplied, database: true, migrations: migrationsApplied };
}
