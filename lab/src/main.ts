/*
 * `pnpm lab`: builds the NAT lab, runs the connection matrix, prints it, and
 * removes everything it made. Exit code 0 only when every cell met its
 * expectation (connect N/N; fail fast where no prediction can work).
 *
 *   pnpm lab [--trials N] [--attempts N (punches per trial, default 3)] [--early-trials N] [--rows pp-pp,pp-rand] [--conditions none,d25,d25l5]
 *            [--no-early-bird] [--json FILE] [--cleanup] [--profiles] [--nat-cli]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ROWS } from './cells.js';
import { cleanUpStaleRuns } from './cleanup.js';
import { Lab, labUnavailable, selectRows, type CellReport } from './lab.js';
import { NAT_KIND_TEXT } from './nat-rules.js';
import { killAllNow } from './procs.js';
import { formatCell, header } from './report.js';

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '20' },
    attempts: { type: 'string', default: '3' },
    'early-trials': { type: 'string', default: '10' },
    'early-ms': { type: 'string', default: '2000' },
    rows: { type: 'string' },
    conditions: { type: 'string' },
    'no-early-bird': { type: 'boolean', default: false },
    json: { type: 'string' },
    cleanup: { type: 'boolean', default: false },
    profiles: { type: 'boolean', default: false },
    'nat-cli': { type: 'boolean', default: false },
  },
});

const log = (line: string) => process.stdout.write(line + '\n');
let interrupted = false;

async function main(): Promise<number> {
  if (values.cleanup) {
    const { removed, unproven } = cleanUpStaleRuns();
    log(`removed ${removed.length} stale lab namespaces`);
    if (unproven.length) {
      log(`left ${unproven.length} lab-named namespaces this host has no run record of (another lab's, or from before records; remove by hand if they are yours): ${unproven.join(' ')}`);
    }
    return 0;
  }
  const why = labUnavailable();
  if (why) {
    log(`cannot run the NAT lab: ${why}`);
    return 2;
  }
  const trials = Number(values.trials);
  const earlyTrials = Number(values['early-trials']);
  if (!Number.isInteger(trials) || trials < 1 || trials > 1000) throw new Error('--trials must be 1..1000');
  const rows = values.rows?.split(',');
  const attempts = Number(values.attempts);
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 10) throw new Error('--attempts must be 1..10');
  const lab = new Lab({
    trials,
    attempts,
    earlyTrials,
    earlyMs: Number(values['early-ms']),
    ...(rows ? { rows } : {}),
    ...(values.conditions ? { conditions: values.conditions.split(',') } : {}),
    earlyBird: !values['no-early-bird'],
    log,
  });

  const onSignal = (sig: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    log(`\n${sig}: removing the lab...`);
    void lab.tearDown().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Last resort if something throws past the finally below.
  process.on('exit', () => killAllNow());

  const started = Date.now();
  let cells: CellReport[] = [];
  try {
    await lab.setUp(selectRows(rows));
    if (values['nat-cli']) {
      // `p2p-node nat --json` run behind each NAT kind must name that kind.
      const checks = lab.natCli();
      for (const c of checks) {
        log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.host} (${c.kind}): ${c.got}`);
        log(c.text.replace(/^/gm, '      '));
      }
      return checks.every((c) => c.ok) ? 0 : 1;
    }
    if (values.profiles) {
      // What each NAT kind looks like to the classifier (also the source of
      // the recorded observations in packages/punch/test).
      for (const p of await lab.profiles(12345)) log(JSON.stringify(p));
      return 0;
    }
    log(`NAT kinds: ${Object.entries(NAT_KIND_TEXT).map(([k, t]) => `${k} = ${t}`).join('; ')}`);
    log(`rows: ${selectRows(rows).map((r) => `${r.id} = ${r.label}`).join('; ')}`);
    log(`delay and loss are end to end between the peers, per direction; ${trials} trials per cell`);
    log(`a trial is up to ${attempts} punches, each re-profiled from fresh ports (as a dial would ask again); "(k on 2nd+)" counts trials that needed more than one`);
    log('times: from the common start until both sides hold the agreed socket (ms); min = the physical minimum, 1 RTT; times are shown, the verdict is on connections only\n');
    log(header());
    cells = await lab.runMatrix((c) => {
      log(formatCell(c));
      for (const f of c.pass ? [] : c.failures) log(`    ${f}`);
    });
  } finally {
    await lab.tearDown();
  }
  const failed = cells.filter((c) => !c.pass);
  log(`\n${cells.length} cells in ${Math.round((Date.now() - started) / 1000)} s; ${failed.length} short of expectation`);
  for (const r of ROWS.filter((r) => r.why && (!rows || rows.includes(r.id)))) log(`${r.id}: expected to fail: ${r.why}`);
  if (values.json) writeFileSync(values.json, JSON.stringify({ trials, cells }, null, 2));
  if (lab.namespaces.length) {
    log(`namespaces left behind: ${lab.namespaces.join(', ')}`);
    return 1;
  }
  return failed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(interrupted ? 130 : code),
  (err: Error) => {
    if (interrupted) process.exit(130);
    console.error(`lab failed: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
