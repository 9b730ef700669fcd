import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ensureReachableByPostgresUser } from "./embedded-postgres.server";

const runningAsRoot = typeof process.getuid === "function" && process.getuid() === 0;

describe("embedded PostgreSQL under a private directory", () => {
  it("as root, opens search permission (o+x, not read) on every ancestor of the data directory; as anyone else, changes nothing", () => {
    if (!runningAsRoot) {
      // PostgreSQL then runs as the current user, who can reach its own files
      expect(ensureReachableByPostgresUser(path.join(os.tmpdir(), "x", "pg"))).toEqual([]);
      return;
    }
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "cvp-private-"));
    const project = path.join(home, "checkout");
    fs.mkdirSync(project, { mode: 0o700 });
    fs.chmodSync(home, 0o700);
    try {
      const opened = ensureReachableByPostgresUser(path.join(project, "data", "pg"));
      expect(opened).toEqual(expect.arrayContaining([home, project]));
      for (const dir of [home, project]) {
        const mode = fs.statSync(dir).mode & 0o777;
        expect(mode & 0o001).toBe(0o001);
        expect(mode & 0o004).toBe(0); // others still cannot list it
      }
      // a second start changes nothing
      expect(ensureReachableByPostgresUser(path.join(project, "data", "pg"))).toEqual([]);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
