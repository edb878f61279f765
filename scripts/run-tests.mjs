// Runs vitest and closes with one plain line, "tests: N passed, N failed,
// N skipped", that CI and people can read at a glance. The line never says
// "0 failed" for a run that failed: a file that failed outside its tests (a
// failing beforeAll, an import error), a missing result file and a non-zero
// vitest exit all count as failures.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const out = '.test-results/vitest.json';
mkdirSync('.test-results', { recursive: true });
// A result file left by an earlier run must never be read as this run's.
rmSync(out, { force: true });
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)];
const run = spawnSync('pnpm', ['exec', ...args], { stdio: 'inherit' });

function readResults() {
  try {
    return JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    return null;
  }
}

const r = readResults();
if (!r) {
  console.error(`vitest wrote no result file (${out}); exit status ${run.status ?? run.signal}`);
  console.log('tests: 0 passed, 1 failed, 0 skipped (vitest did not finish)');
  process.exit(1);
}

// Files that failed without a failed test in them: their error is the failure.
const fileFailures = (r.testResults ?? []).filter(
  (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
);
for (const f of fileFailures) console.error(`FAILED outside its tests: ${f.name}\n  ${(f.message || 'no message').split('\n')[0]}`);

let failed = r.numFailedTests + fileFailures.length;
if (failed === 0 && (run.status !== 0 || r.success === false)) {
  console.error(`vitest failed (exit status ${run.status ?? run.signal}) without a failed test or file: see its output above`);
  failed = 1;
}
const skipped = r.numPendingTests + r.numTodoTests;
console.log(`tests: ${r.numPassedTests} passed, ${failed} failed, ${skipped} skipped`);
if (r.numPassedTests + failed === 0) {
  console.error('no test ran');
  process.exit(1);
}
process.exit(failed > 0 ? run.status || 1 : (run.status ?? 1));
