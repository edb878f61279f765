// Runs vitest and closes with one plain line, "tests: N passed, N failed,
// N skipped", that CI and people can read at a glance.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

const out = '.test-results/vitest.json';
mkdirSync('.test-results', { recursive: true });
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)];
const run = spawnSync('pnpm', ['exec', ...args], { stdio: 'inherit' });

let summary = 'tests: no result file (vitest did not finish)';
let noTests = true;
try {
  const r = JSON.parse(readFileSync(out, 'utf8'));
  const skipped = r.numPendingTests + r.numTodoTests;
  noTests = r.numPassedTests + r.numFailedTests === 0;
  summary = `tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`;
} catch {}
console.log(summary);
if (noTests && run.status === 0) {
  console.error('no test ran');
  process.exit(1);
}
process.exit(run.status ?? 1);
