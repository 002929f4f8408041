// Runs Vitest with a JSON report and prints the `N passed, N failed, N skipped` line CI reads.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";

const report = ".vitest-report.json";
rmSync(report, { force: true });
const args = ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)];
const run = spawnSync("npx", args, { stdio: "inherit" });

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const result = JSON.parse(readFileSync(report, "utf8"));
  passed = result.numPassedTests ?? 0;
  failed = (result.numFailedTests ?? 0) + countFilesFailedWithoutFailedTests(result);
  skipped = (result.numPendingTests ?? 0) + (result.numTodoTests ?? 0);
} catch (error) {
  console.error(`could not read the test report ${report}: ${error.message}`);
  failed = Math.max(1, failed);
}
if (run.status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(run.status ?? 1);

// A file that failed without a failed test (it did not load, a hook threw) counts as one failure; a file whose
// tests failed is counted by its tests. (numFailedTestSuites also counts describe blocks, so it is not used.)
function countFilesFailedWithoutFailedTests(result) {
  return (result.testResults ?? []).filter((s) => s.status === "failed" && !(s.assertionResults ?? []).some((a) => a.status === "failed")).length;
}
