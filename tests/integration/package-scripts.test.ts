import fs from "node:fs";
import { describe, expect, it } from "vitest";

/** Every `npm run` script that runs one of the project's files names a file that exists. */
describe("package.json scripts", () => {
  it("run files that exist", () => {
    const { scripts } = JSON.parse(fs.readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };
    const missing = Object.entries(scripts).flatMap(([name, command]) =>
      [...command.matchAll(/(?:^|\s)((?:scripts|server|prisma|tests)\/[\w./-]+\.ts)\b/g)].map((m) => m[1]!).filter((file) => !fs.existsSync(file)).map((file) => `${name}: ${file}`),
    );
    expect(missing).toEqual([]);
  });
});
