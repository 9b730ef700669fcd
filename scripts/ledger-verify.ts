/**
 * `npm run ledger:verify [-- --json] [-- --limit N]` — proves the double-entry ledger sound over
 * the whole database (see app/services/ledger-verify.server.ts for the checks) and prints a
 * summary. Reads DATABASE_URL, or the app's embedded PostgreSQL under DATA_DIR/pg when unset.
 *
 * Exit code: 0 sound, 1 problems found, 2 nothing could be verified (no database …).
 */
import { formatFen } from "../app/domain/money.ts";
import { db } from "../app/lib/db.server.ts";
import { verifyLedger, type LedgerReport } from "../app/services/books/ledger-verify.server.ts";
import { runVerifier } from "./script-database.ts";

const args = process.argv.slice(2);
const json = args.includes("--json");
const limitAt = args.indexOf("--limit");
const limit = limitAt >= 0 ? Number(args[limitAt + 1]) : 100;

const fen = (v: bigint) => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? formatFen(n) : `${v} fen`;
};

function print(report: LedgerReport) {
  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(`transactions: ${report.transactions}`);
  console.log(`entries:      ${report.entries}`);
  console.log(`accounts:     ${report.accounts} (${report.balances} balances derived from entries, ${report.nonZeroBalances} not zero)`);
  if (report.totalsByKind.length) {
    console.log("balances by account kind:");
    for (const k of report.totalsByKind) {
      console.log(`  ${pad(k.kind, 24)} ${fen(k.balanceFen).padStart(22)}   ${k.accounts} accounts, ${k.accountsWithEntries} with entries`);
    }
  }
  console.log(`  ${pad("all entries", 24)} ${fen(report.entriesTotalFen).padStart(22)}`);
  console.log(`checks: ${report.checks.join(", ")}`);
  if (!report.problems.length) {
    console.log("OK: the ledger balances.");
    return;
  }
  console.log(`FAILED: ${report.problems.length} problem(s)`);
  for (const p of report.problems) {
    const ids = [p.transactionId && `transaction ${p.transactionId}`, p.accountId && `account ${p.accountId}`, p.entryId && `entry ${p.entryId}`]
      .filter(Boolean)
      .join(", ");
    console.log(`  [${p.check}] ${p.kind}: ${p.detail}${ids ? ` (${ids})` : ""}`);
  }
}

await runVerifier(async () => {
  const report = await verifyLedger(db(), { limit });
  if (json) console.log(JSON.stringify(report, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2));
  else print(report);
  return report.problems.length ? 1 : 0;
});
