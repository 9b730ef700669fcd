import fs from "node:fs";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Vitest's order (the longest files first, by the durations it cached from the last run), with
 * one addition for a clean checkout, which has no cache: files that start the app in processes
 * of their own (first start, restarts, two instances at once) take a minute or more each, so they
 * start first rather than form the tail of the run while the other workers sit idle.
 */
const STARTS_APP_PROCESSES = /support\/app-process|"server\/main\.ts"/;

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const slow = (spec: TestSpecification) => {
      try {
        return STARTS_APP_PROCESSES.test(fs.readFileSync(spec.moduleId, "utf8"));
      } catch {
        return false;
      }
    };
    const first = sorted.filter(slow);
    return [...first, ...sorted.filter((s) => !first.includes(s))];
  }
}
