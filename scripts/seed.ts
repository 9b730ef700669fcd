/** `npm run db:seed`: prepares the database (embedded or DATABASE_URL) and seeds the demo district when it is empty. */
import { db } from "../app/lib/db.server.ts";
import { env } from "../app/lib/env.server.ts";
import { seedDemoIfEmpty } from "../prisma/seed.ts";
import { prepareDatabase } from "../server/database.ts";

// prepareDatabase seeds in demo mode; force it for this command
const database = await prepareDatabase({ ...env(), DEMO_MODE: false });
const seeded = await seedDemoIfEmpty();
console.log(seeded ? "demo district seeded" : "database already has data; nothing seeded");
await db().$disconnect();
await database.stop();
