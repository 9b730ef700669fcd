/**
 * `npm run db:migrate`: creates the database when it does not exist (embedded under DATA_DIR, or
 * DATABASE_URL's) and applies the committed migrations that it lacks, checking the checksums of
 * those it has (docs/decisions/002). Seeds nothing: `npm run db:seed` does that.
 */
import { db } from "../app/lib/db.server.ts";
import { env } from "../app/lib/env.server.ts";
import { prepareDatabase } from "../server/database.ts";

const database = await prepareDatabase({ ...env(), DEMO_MODE: false });
console.log("database migrated");
await db().$disconnect();
await database.stop();
