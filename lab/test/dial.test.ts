/*
 * `p2p-node dial` -> `p2p-node listen --echo` through real kernel NATs, as
 * the normal test run sees it: `pnpm lab:dial`'s table turned into one test
 * per cell. Skipped loudly without root/netns; a failure under CI=true.
 *
 * LAB_DIAL_TRIALS (default 20) dials per cell, each echoing 1 MiB, then one
 * 100 MiB echo per cell (about 5 min in each 5%-loss cell).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { DialCell } from '../src/dial-main.js';
import { labAvailability, root } from './availability.js';

const trials = Number(process.env.LAB_DIAL_TRIALS ?? 20);
const { why, buildError } = labAvailability('DIAL LAB TESTS');

describe('p2p-node dial through real NATs', () => {
  test.skipIf(why !== null)('the lab compiles and its dial harness is built', () => {
    expect(buildError, 'tsc -p lab failed').toBeNull();
    expect(existsSync(join(root, 'lab/dist/dial-main.js')), 'lab/dist/dial-main.js missing after tsc -p lab').toBe(true);
  });

  if (why && process.env.CI === 'true') {
    test('runs in CI', () => {
      throw new Error(`CI=true but the dial lab cannot run here: ${why}`);
    });
  }

  describe.skipIf(why !== null)(`${trials} dials per cell, 1 MiB echoed each`, () => {
    let cells: DialCell[] = [];
    let code: number | null = null;
    let out = '';

    beforeAll(async () => {
      if (buildError) return;
      const json = join(mkdtempSync(join(tmpdir(), 'p2p-dial-lab-')), 'cells.json');
      await new Promise<void>((resolve) => {
        const child = spawn(process.execPath, [join(root, 'lab/dist/dial-main.js'), '--trials', String(trials), '--json', json], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
        const timer = setTimeout(() => child.kill('SIGINT'), 45 * 60_000);
        const onData = (d: Buffer) => {
          out += d.toString();
          process.stdout.write(d);
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.on('exit', (c) => {
          clearTimeout(timer);
          code = c;
          resolve();
        });
      });
      try {
        cells = (JSON.parse(readFileSync(json, 'utf8')) as { cells: DialCell[] }).cells;
      } catch {
        cells = [];
      }
    }, 46 * 60_000);

    for (const pair of ['pp-pp', 'pp-rst']) {
      for (const condition of ['no delay', '25 ms one-way', '25 ms + 5% loss']) {
        test(`${pair} / ${condition}: every dial connects directly and echoes intact`, () => {
          const c = cells.find((x) => x.pair === pair && x.condition === condition);
          expect(c, 'lab:dial produced no result for this cell').toBeDefined();
          expect(c!.trials).toBe(trials);
          expect(c!.failures, `${c!.successes}/${c!.trials} connected`).toEqual([]);
          expect(c!.successes).toBe(trials);
          expect(c!.direct).toBe(trials);
          expect(c!.bigIntact, 'the 100 MiB echo did not come back intact').toBe(true);
          expect(c!.pass).toBe(true);
        });
      }
    }

    test('lab:dial exits 0 and removes its namespaces', () => {
      expect(code).toBe(0);
      const run = /^dial lab (\S+):/m.exec(out)?.[1];
      expect(run).toBeDefined();
      expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(`p2plab-${run}-`);
    });
  });
});
