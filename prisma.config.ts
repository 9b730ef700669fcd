import { defineConfig } from "prisma/config";

// DATABASE_URL may be absent (embedded PostgreSQL is started by the app); the CLI only needs it
// for commands that talk to a database.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "node --import tsx prisma/seed.ts" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/placeholder" },
});
