/*
 * The NAT lab as part of the normal test run: it runs `pnpm lab`'s matrix
 * (real namespaces, real nftables NATs, real sockets) and turns every cell
 * into a test. Without root or network namespaces the lab tests are SKIPPED
 * (and say so loudly); under CI=true that is a failure instead, so CI can
 * never go green without having crossed a NAT.
 *
 * LAB_TRIALS (default 20) and LAB_EARLY_TRIALS (default 10) set the trial counts.
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { CONDITIONS, EARLY_BIRD_ROWS, ROWS } from '../src/cells.js';
import type { CellReport } from '../src/lab.js';
import { labAvailability, root } from './availability.js';

const mainJs = join(root, 'lab/dist/main.js');
const trials = Number(process.env.LAB_TRIALS ?? 20);
const earlyTrials = Number(process.env.LAB_EARLY_TRIALS ?? 10);

const { why, buildError } = labAvailability('NAT LAB TESTS');

function netnsList(): string {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
}

/** PIDs of the processes inside the run's namespaces (agents, delay shims), with their command lines. */
function runProcesses(run: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const ns of netnsList().split('\n').map((l) => l.split(' ')[0] ?? '')) {
    if (!ns.startsWith(`p2plab-${run}-`)) continue;
    for (const pid of execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number)) {
      out.set(pid, cmdline(pid));
    }
  }
  return out;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** Those of `procs` still running (the same PID with the same command line, so a reused PID does not count). */
function stillRunning(procs: Map<number, string>): number[] {
  return [...procs].filter(([pid, cmd]) => cmd !== '' && cmdline(pid) === cmd).map(([pid]) => pid);
}

/** Runs the lab CLI; resolves with its exit code and output. Bounded by `timeoutMs`. */
function runLab(args: string[], timeoutMs: number, onLine?: (line: string, kill: (sig: NodeJS.Signals) => void) => void) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, [mainJs, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const kill = (sig: NodeJS.Signals) => child.kill(sig);
    const timer = setTimeout(() => kill('SIGINT'), timeoutMs);
    const onData = (d: Buffer) => {
      const text = d.toString();
      out += text;
      process.stdout.write(text);
      for (const line of text.split('\n')) onLine?.(line, kill);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    // 'close', not 'exit': the output is read to its end by then.
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe('NAT lab', () => {
  test.skipIf(why !== null)('the lab compiles and its CLI is built', () => {
    expect(buildError, 'tsc -p lab failed').toBeNull();
    expect(existsSync(mainJs), 'lab/dist/main.js missing after tsc -p lab').toBe(true);
  });

  if (why && process.env.CI === 'true') {
    test('runs in CI', () => {
      throw new Error(`CI=true but the NAT lab cannot run here: ${why}`);
    });
  }

  describe.skipIf(why !== null)(`connection matrix (${trials} trials per cell)`, () => {
    let cells: CellReport[] = [];
    let code: number | null = null;
    let run = '';

    beforeAll(async () => {
      if (buildError) return;
      const json = join(mkdtempSync(join(tmpdir(), 'p2p-lab-')), 'matrix.json');
      const res = await runLab(['--trials', String(trials), '--early-trials', String(earlyTrials), '--json', json], 20 * 60_000);
      code = res.code;
      run = /^lab (\S+):/m.exec(res.out)?.[1] ?? '';
      try {
        cells = (JSON.parse(readFileSync(json, 'utf8')) as { cells: CellReport[] }).cells;
      } catch {
        cells = [];
      }
    }, 22 * 60_000);

    const cellTest = (rowId: string, condition: string) =>
      test(`${rowId} / ${condition}`, () => {
        const c = cells.find((x) => x.row === rowId && x.condition === condition);
        expect(c, 'the lab produced no result for this cell').toBeDefined();
        const what =
          c!.expect === 'connect'
            ? `${c!.successes}/${c!.trials} connected; ${c!.failures.join(' | ')}`
            : `expected every trial refused as unpredictable-peer; ${c!.successes} connected; ${c!.failures.join(' | ')}`;
        expect(c!.pass, what).toBe(true);
        expect(c!.trials).toBe(rowId && c!.condition.includes('early bird') ? earlyTrials : trials);
      });

    for (const row of ROWS) for (const cond of CONDITIONS) cellTest(row.id, cond.label);
    for (const id of EARLY_BIRD_ROWS) cellTest(id, '25 ms one-way, early bird 2 s');

    test('pnpm lab exits 0 and leaves no namespace behind', () => {
      expect(code).toBe(0);
      expect(run).not.toBe('');
      expect(netnsList()).not.toContain(`p2plab-${run}-`);
    });
  });

  describe.skipIf(why !== null)('p2p-node nat', () => {
    test('names the NAT kind behind every lab NAT box (public IP, mapping, port preservation, delta)', async () => {
      const res = await runLab(['--nat-cli'], 120_000);
      expect(res.out).not.toMatch(/^FAIL/m);
      expect(res.out.match(/^ok /gm)?.length ?? 0).toBe(10);
      expect(res.code).toBe(0);
    }, 180_000);
  });

  describe.skipIf(why !== null)('cleanup', () => {
    test('SIGINT in the middle of a run removes every namespace and process', async () => {
      let run = '';
      let sent = false;
      let procs = new Map<number, string>();
      const res = await runLab(['--trials', '500', '--rows', 'pp-pp', '--no-early-bird'], 120_000, (line, kill) => {
        const m = /^lab (\S+):/.exec(line);
        if (m) run = m[1]!;
        // Interrupt once the first cells are running (the header is printed after setup).
        if (!sent && line.startsWith('row ')) {
          sent = true;
          procs = runProcesses(run);
          setTimeout(() => kill('SIGINT'), 500);
        }
      });
      expect(sent).toBe(true);
      expect(res.code).toBe(130);
      expect(run).not.toBe('');
      // Agents in the hosts and reflectors, a delay shim in every NAT box.
      expect(procs.size, 'no lab process was found while the lab ran').toBeGreaterThan(3);
      expect(stillRunning(procs), 'lab processes left running').toEqual([]);
      expect(netnsList()).not.toContain(`p2plab-${run}-`);
    }, 180_000);
  });
});
