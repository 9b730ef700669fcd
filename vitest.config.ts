import os from "node:os";
import { defineConfig } from "vitest/config";
import { SlowFirstSequencer } from "./tests/support/sequencer.ts";

const alias = { "~": new URL("./app", import.meta.url).pathname };

export default defineConfig({
  resolve: { alias },
  test: {
    // Vitest's default is one worker fewer than the CPUs — a single worker on a 2-core machine,
    // which ran every file one after another. Each worker has its own database. Integration
    // tests spend much of their time waiting on PostgreSQL and on the app processes they start,
    // so with one worker per core the CPUs were half idle: two per core keeps them busy.
    maxWorkers: Math.max(2, os.availableParallelism() * 2),
    sequence: { sequencer: SlowFirstSequencer },
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["app/**/*.test.{ts,tsx}", "emails/**/*.test.{ts,tsx}", "prisma/**/*.test.ts"],
          environment: "node",
          // one module graph per worker, not per file (see the integration project)
          isolate: false,
          // pure code waits on nothing; the scale and property tests are CPU-bound and take a few
          // seconds on a quiet machine, several times that on a busy one (speed is `npm run bench`'s)
          testTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.{ts,tsx}"],
          environment: "node",
          globalSetup: ["tests/support/global-setup.ts"],
          setupFiles: ["tests/support/setup-worker-db.ts"],
          pool: "forks",
          // the files of a worker share one module graph (its Prisma client, its compiled query
          // engine, the app's modules) instead of loading it again per file: a third less time on
          // two cores. Tests therefore put back what they change (environment variables, spies on
          // a module's exports: never vi.mock, which a shared graph would not see)
          isolate: false,
          // bounds for a stuck test, not speed limits: password hashing, mail delivery through the
          // SMTP server and spawned apps take several times as long on a busy 2-core machine
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
