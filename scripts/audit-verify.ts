/**
 * `npm run audit:verify [-- --anchor SEQ:HASH …] [-- --batch N] [-- --json]` — re-computes the
 * hash chain of the whole audit log, streaming it in batches, and prints the head (seq and
 * hash). Reads DATABASE_URL, or the app's embedded PostgreSQL under DATA_DIR/pg when unset.
 *
 * Publish the printed head somewhere outside the database's control. The chain by itself cannot
 * show that records were cut off its end (what remains is still a valid chain); passing an
 * earlier published head back with --anchor can, for everything up to that head.
 *
 * Exit code: 0 intact, 1 problems found, 2 nothing could be verified (no database …).
 */
import { db } from "../app/lib/db.server.ts";
import { parseAnchor, verifyAudit } from "../app/services/books/audit-verify.server.ts";
import { runVerifier } from "./script-database.ts";

const args = process.argv.slice(2);
const json = args.includes("--json");
const valuesOf = (name: string) => args.flatMap((a, i) => (a === name && i + 1 < args.length ? [args[i + 1]!] : []));
const anchors = valuesOf("--anchor").map(parseAnchor);
const batchSize = Number(valuesOf("--batch")[0] ?? 5000);

await runVerifier(async () => {
  const started = Date.now();
  const report = await verifyAudit(db(), { batchSize, anchors });
  if (json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    console.log(`records:   ${report.records} (${Date.now() - started} ms)`);
    console.log(`head seq:  ${report.headSeq ?? "(empty log)"}`);
    console.log(`head hash: ${report.headHash}`);
    if (report.headSeq) console.log(`anchor:    ${report.headSeq}:${report.headHash}   (publish it; pass it back with --anchor)`);
    if (anchors.length) console.log(`anchors checked: ${anchors.length}`);
    if (!report.problems.length) console.log("OK: the audit chain is intact.");
    else {
      console.log(`FAILED: ${report.problems.length + report.problemsNotListed} problem(s)`);
      for (const p of report.problems) {
        const extra = p.kind === "broken-link" ? ` (expected prevHash ${p.expectedPrev})` : "expectedHash" in p ? ` (expected hash ${p.expectedHash})` : "";
        console.log(`  seq ${p.seq}: ${p.kind}${extra}`);
      }
      if (report.problemsNotListed) console.log(`  … and ${report.problemsNotListed} more`);
    }
  }
  return report.problems.length ? 1 : 0;
});
