/*
 * `p2p-node dial` -> `p2p-node listen --echo` through real kernel NATs, as
 * the normal test run sees it: `pnpm lab:dial`'s table turned into one test
 * per cell. Skipped loudly without root/netns; a failure under CI=true.
 *
 * LAB_DIAL_TRIALS (default 20) dials per cell, each echoing 1 MiB, then one
 * 100 MiB echo per cell without loss (through 5% loss it takes 6-7 min a
 * cell: `pnpm lab:dial` runs it). The failure exits
 * run on their own (`--failures only`): one test per exit code. The pairings
 * beyond pp-pp and pp-rst (RST x RST, sequential and random on either side,
 * two hosts behind one hairpinning NAT)
 * run LAB_DIAL_MORE_TRIALS (default 3) dials per cell, 1 MiB each; so do the
 * pairings no punch can join (random x random, sequential x random), which
 * must all go through a bootstrap node's relay, with one 100 MiB echo each;
 * and so do a random NAT running miniupnpd, whose listener must be dialed
 * at the port it mapped (and remove the mapping when it stops), and whose
 * dialer (`dial --port-mapping`) must be connected to at the port it mapped.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { FailureRow } from '../src/dial-failures.js';
import type { DialCell } from '../src/dial-main.js';
import { labAvailability, root } from './availability.js';

const trials = Number(process.env.LAB_DIAL_TRIALS ?? 20);
/** Dials per cell for the pairings beyond pp-pp and pp-rst (LAB_DIAL_MORE_TRIALS). */
const moreTrials = Number(process.env.LAB_DIAL_MORE_TRIALS ?? 3);
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
    let stopped = '';
    let out = '';

    beforeAll(async () => {
      if (buildError) return;
      const json = join(mkdtempSync(join(tmpdir(), 'p2p-dial-lab-')), 'cells.json');
      // 100 MiB where there is no loss: through 5% loss it takes 6-7 min per cell (CI, 2026-12-04:
      // 383 s and 408 s, intact), a soak that `pnpm lab:dial` (--big-on all) runs by hand.
      ({ code, out } = await runDialMain(['--trials', String(trials), '--big-on', 'lossless', '--failures', 'off', '--json', json], 45 * 60_000));
      try {
        ({ cells, stopped } = JSON.parse(readFileSync(json, 'utf8')) as { cells: DialCell[]; stopped: string });
      } catch {
        cells = [];
        stopped = `lab:dial wrote no results; its last output:\n${out.slice(-2000)}`;
      }
    }, 46 * 60_000);

    for (const pair of ['pp-pp', 'pp-rst']) {
      for (const condition of ['no delay', '25 ms one-way', '25 ms + 5% loss']) {
        test(`${pair} / ${condition}: every dial connects directly (under loss: or through the relay that won the race) and echoes intact`, () => {
          const c = connectedCell(cells, pair, condition, trials);
          expectDirect(c!, condition, trials);
          if (condition.includes('loss')) expect(c.bigIntact, 'no 100 MiB echo runs in a lossy cell here').toBeNull();
          else expect(c.bigIntact, 'the 100 MiB echo did not come back intact').toBe(true);
          expect(c.pass).toBe(true);
        });
      }
    }

    test('lab:dial exits 0 and removes its namespaces', () => {
      expect(code, stopped).toBe(0);
      const run = /^dial lab (\S+):/m.exec(out)?.[1];
      expect(run).toBeDefined();
      expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(`p2plab-${run}-`);
    });
  });

  describe.skipIf(why !== null)(`the other NAT pairings the README claims, ${moreTrials} dials per cell`, () => {
    let cells: DialCell[] = [];
    let code: number | null = null;
    let stopped = '';
    const pairs = ['rst-rst', 'pp-seq', 'seq-pp', 'pp-rand', 'rand-pp', 'same-nat', 'cgn'];
    // cgn runs two dials per trial, at the same moment from two hosts behind one NAT.
    const dialsIn = (pair: string) => (pair === 'cgn' ? 2 * moreTrials : moreTrials);

    beforeAll(async () => {
      if (buildError) return;
      // Sequential and random dialers take the path where the first request's provisional guess is corrected.
      ({ code, cells, stopped } = await runCells(['--pairs', pairs.join(','), '--trials', String(moreTrials), '--big-bytes', '0', '--failures', 'off'], 30 * 60_000));
    }, 31 * 60_000);

    for (const pair of pairs) {
      for (const condition of ['no delay', '25 ms one-way', '25 ms + 5% loss']) {
        test(`${pair} / ${condition}: every dial connects directly (under loss: or through the relay that won the race) and echoes intact`, () => {
          const c = connectedCell(cells, pair, condition, dialsIn(pair));
          if (pair === 'cgn') {
            // Where the NAT moved a port both hosts held, the punch misses and the relay joins them: direct or relayed, never lost.
            expect(c.direct + c.relayed, `${c.direct} direct, ${c.relayed} relayed`).toBe(dialsIn(pair));
            expect(c.direct, 'no dial of the pair went direct').toBeGreaterThan(0);
          } else expectDirect(c!, condition, dialsIn(pair));
          expect(c.pass).toBe(true);
        });
      }
    }

    test('lab:dial exits 0', () => expect(code, stopped).toBe(0));
  });

  describe.skipIf(why !== null)(`pairings no punch can join go through a bootstrap node's relay, ${moreTrials} dials per cell`, () => {
    let cells: DialCell[] = [];
    let code: number | null = null;
    let stopped = '';
    // rand-rand-relay2: the listener's first relay silenced, so both ends must meet at its second.
    const pairs = ['rand-rand', 'seq-rand', 'rand-seq', 'rand-rand-relay2'];

    beforeAll(async () => {
      if (buildError) return;
      // One 100 MiB echo per pair, in its undelayed cell (through 5% loss it would take minutes).
      ({ code, cells, stopped } = await runCells(['--pairs', pairs.join(','), '--trials', String(moreTrials), '--big-on', 'undelayed', '--failures', 'off'], 20 * 60_000));
    }, 21 * 60_000);

    for (const pair of pairs) {
      for (const condition of ['no delay', '25 ms one-way', '25 ms + 5% loss']) {
        test(`${pair} / ${condition}: every dial connects through the relay and echoes intact`, () => {
          const c = connectedCell(cells, pair, condition, moreTrials);
          expect(c.expectedPath).toBe('relayed');
          expect(c.onPath).toBe(moreTrials);
          if (condition === 'no delay') expect(c.bigIntact, 'the 100 MiB echo through the relay did not come back intact').toBe(true);
          if (pair === 'rand-rand-relay2') expect(c.viaSilencedRelay, 'dials through the silenced relay').toBe(0);
          expect(c.pass).toBe(true);
        });
      }
    }

    test('lab:dial exits 0', () => expect(code, stopped).toBe(0));
  });

  describe.skipIf(why !== null)(`NAT444: a home NAT behind a carrier NAT, ${moreTrials} dials per cell`, () => {
    let cells: DialCell[] = [];
    let code: number | null = null;
    let stopped = '';
    // Direct where one layer leaves the pair predictable (sequential outside, or a birthday against random outside); relayed where neither side is.
    const pairs: [id: string, path: 'direct' | 'relayed'][] = [
      ['n4pp-pp', 'direct'],
      ['n4seq-pp', 'direct'],
      ['n4rand-pp', 'direct'],
      ['pp-n4rand', 'direct'],
      ['n4rand-rand', 'relayed'],
      // A home NAT that is not port-preserving: sequential through a preserving carrier, random through a random one.
      ['seqn4pp-pp', 'direct'],
      ['randn4rand-pp', 'direct'],
      ['pp-randn4pp', 'direct'],
      ['randn4pp-rand', 'relayed'],
    ];

    beforeAll(async () => {
      if (buildError) return;
      ({ code, cells, stopped } = await runCells(['--pairs', pairs.map(([id]) => id).join(','), '--trials', String(moreTrials), '--big-bytes', '0', '--failures', 'off'], 20 * 60_000));
    }, 21 * 60_000);

    for (const [pair, path] of pairs) {
      for (const condition of ['no delay', '25 ms one-way', '25 ms + 5% loss']) {
        test(`${pair} / ${condition}: every dial connects ${path} and echoes intact`, () => {
          const c = connectedCell(cells, pair, condition, moreTrials);
          expect(c.expectedPath).toBe(path);
          if (path === 'direct') expectDirect(c!, condition, moreTrials);
          else expect(c.onPath).toBe(moreTrials);
          expect(c.pass).toBe(true);
        });
      }
    }

    test('lab:dial exits 0', () => expect(code, stopped).toBe(0));
  });

  describe.skipIf(why !== null)(`a random NAT that maps ports on request (miniupnpd: UPnP-IGD, NAT-PMP), ${moreTrials} dials per cell`, () => {
    let cells: DialCell[] = [];
    let code: number | null = null;
    let stopped = '';
    // Without the mapping both pairs would be relayed (random listener) or birthday-punched.
    // igd1 speaks UPnP-IGD only; upnp1 both (NAT-PMP is asked first).
    const pairs = ['pp-upnp', 'rand-upnp', 'rand-igd'];
    // The dialer's NAT maps the port (dial --port-mapping): the random listener connects to it.
    const dialerPairs = ['upnp-rand'];

    beforeAll(async () => {
      if (buildError) return;
      ({ code, cells, stopped } = await runCells(['--pairs', [...pairs, ...dialerPairs].join(','), '--trials', String(moreTrials), '--big-bytes', '0', '--failures', 'off'], 15 * 60_000));
    }, 16 * 60_000);

    for (const pair of pairs) {
      for (const condition of ['no delay', '25 ms one-way', '25 ms + 5% loss']) {
        test(`${pair} / ${condition}: every dial connects directly to the mapped port, and the mapping is gone once the listener stops`, () => {
          const c = connectedCell(cells, pair, condition, moreTrials);
          expect(c.expectedPath).toBe('direct');
          expectDirect(c, condition, moreTrials, 'port-mapped');
          expect(c.mappings?.whileListening.length, 'miniupnpd forwarded no port while the listener ran').toBeGreaterThan(0);
          expect(c.mappings?.afterStop, 'a mapping outlived the listener').toEqual([]);
          expect(c.pass).toBe(true);
        });
      }
    }

    for (const pair of dialerPairs) {
      for (const condition of ['no delay', '25 ms one-way', '25 ms + 5% loss']) {
        test(`${pair} / ${condition}: the listener connects to the port the dialer's NAT mapped, and each dial removes its mapping`, () => {
          const c = connectedCell(cells, pair, condition, moreTrials);
          expect(c.expectedPath).toBe('direct');
          expectDirect(c, condition, moreTrials, 'port-mapped');
          expect(c.dialerMappingsLeft, 'a mapping outlived its dial').toEqual([]);
          expect(c.pass).toBe(true);
        });
      }
    }

    test('lab:dial exits 0', () => expect(code, stopped).toBe(0));
  });

  describe.skipIf(why !== null)(`global IPv6 behind stateful firewalls, ${moreTrials} dials per cell`, () => {
    let cells: DialCell[] = [];
    let code: number | null = null;
    let stopped = '';
    // v6-v6: both IPv4 NATs random, IPv4 alone could only relay; v6pp-v6pp: an IPv4 punch would work, IPv6 is preferred;
    // v6-rand: the listener has no IPv6, so it is relayed.
    const pairs: [id: string, path: 'direct' | 'relayed'][] = [
      ['v6-v6', 'direct'],
      ['v6pp-v6pp', 'direct'],
      ['v6-rand', 'relayed'],
    ];

    beforeAll(async () => {
      if (buildError) return;
      ({ code, cells, stopped } = await runCells(['--pairs', pairs.map(([id]) => id).join(','), '--trials', String(moreTrials), '--big-bytes', '0', '--failures', 'off'], 15 * 60_000));
    }, 16 * 60_000);

    for (const [pair, path] of pairs) {
      for (const condition of ['no delay', '25 ms one-way', '25 ms + 5% loss']) {
        test(`${pair} / ${condition}: every dial connects ${path === 'direct' ? 'directly over IPv6, through firewalls that drop unsolicited inbound' : 'through the relay'} and echoes intact`, () => {
          const c = connectedCell(cells, pair, condition, moreTrials);
          expect(c.expectedPath).toBe(path);
          if (path === 'relayed') expect(c.onPath).toBe(moreTrials);
          else {
            expectDirect(c, condition, moreTrials, 'ipv6');
            expect(c.unsolicitedIpv6, 'the listener\'s firewall let an unsolicited IPv6 connect in (or its server was down)').toEqual({ fromOutside: 'blocked', fromItself: 'open' });
          }
          expect(c.pass).toBe(true);
        });
      }
    }

    test('lab:dial exits 0', () => expect(code, stopped).toBe(0));
  });

  describe.skipIf(why !== null)('failure exits through the lab, each a real p2p-node process behind a NAT', () => {
    let rows: FailureRow[] = [];
    let code: number | null = null;
    let stopped = '';
    let out = '';

    beforeAll(async () => {
      if (buildError) return;
      const json = join(mkdtempSync(join(tmpdir(), 'p2p-dial-fail-')), 'failures.json');
      ({ code, out } = await runDialMain(['--failures', 'only', '--json', json], 10 * 60_000));
      try {
        ({ failures: rows, stopped } = JSON.parse(readFileSync(json, 'utf8')) as { failures: FailureRow[]; stopped: string });
      } catch {
        rows = [];
        stopped = `lab:dial wrote no results; its last output:\n${out.slice(-2000)}`;
      }
    }, 11 * 60_000);

    const want: [id: string, exit: number, says: RegExp][] = [
      ['not-found', 3, /^p2p-node: no record found in the DHT for [0-9a-f]{64}$/],
      ['refused', 8, /^p2p-node: [0-9a-f]{64} refused the connection/],
      ['signal-failed', 9, /^p2p-node: could not signal [0-9a-f]{64}: no introducer reached the listener/],
      ['punch-failed', 6, /^p2p-node: no path to [0-9a-f]{64}: no punch can reach it \(both NATs map ports unpredictably\); relaying is off$/],
      ['wrong-key', 7, /^p2p-node: the peer at 203\.0\.113\.11:\d+ did not prove it holds [0-9a-f]{64}/],
      ['invalid-record', 4, /^p2p-node: record refused \(issued-in-future\)/],
      ['expired-record', 5, /^p2p-node: the newest record for [0-9a-f]{64} expired at /],
    ];
    for (const [id, exit, says] of want) {
      test(`${id}: the dial exits ${exit} and says why on stderr`, () => {
        const r = rows.find((x) => x.id === id);
        expect(r, `lab:dial --failures only produced no row for ${id}`).toBeDefined();
        expect(r!.exitCode, r!.stderr).toBe(exit);
        expect(r!.stderr).toMatch(says);
        expect(r!.pass).toBe(true);
      });
    }

    test('lab:dial --failures only exits 0 and removes its namespaces', () => {
      expect(code, stopped || out.slice(-2000)).toBe(0);
      const run = /^dial lab (\S+):/m.exec(out)?.[1];
      expect(run).toBeDefined();
      expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(`p2plab-${run}-`);
    });
  });
});

/**
 * Every dial of a punchable pair is direct, except under loss, where a punch
 * that lost SYNs past the 3.5 s head start may lose the race to the relay
 * (still connected and intact; counted and printed by lab:dial).
 */
function expectDirect(c: DialCell, condition: string, trials: number, method?: 'port-mapped' | 'ipv6'): void {
  // With a method, only dials won by it count as direct (a mapped port, IPv6).
  const direct = method ? c.onMethod : c.direct;
  const how = `${direct} direct${method ? ` (${method})` : ''}, ${c.relayed} relayed`;
  if (condition.includes('loss')) expect(direct + c.relayed, how).toBe(trials);
  else expect(direct, how).toBe(trials);
}

/** The cell's result, after checking it exists and that every one of its `trials` dials connected and echoed intact. */
function connectedCell(cells: DialCell[], pair: string, condition: string, trials: number): DialCell {
  const c = cells.find((x) => x.pair === pair && x.condition === condition);
  expect(c, 'lab:dial produced no result for this cell').toBeDefined();
  // Failures first: a cell that never ran ("cell aborted: ...") has no trials, and its reason is in them.
  expect(c!.failures, `${c!.successes}/${c!.trials} connected`).toEqual([]);
  expect(c!.trials).toBe(trials);
  expect(c!.successes).toBe(trials);
  return c!;
}

/** runDialMain with `--json`: its exit code and the cells it wrote (none when it wrote no JSON: every cell test then says so). */
async function runCells(args: string[], limitMs: number): Promise<{ code: number | null; cells: DialCell[]; stopped: string }> {
  const json = join(mkdtempSync(join(tmpdir(), 'p2p-dial-cells-')), 'cells.json');
  const { code, out } = await runDialMain([...args, '--json', json], limitMs);
  let written: { cells: DialCell[]; stopped: string | null };
  try {
    written = JSON.parse(readFileSync(json, 'utf8')) as typeof written;
  } catch {
    written = { cells: [], stopped: `lab:dial wrote no results (exit ${code}); its last output:\n${out.slice(-2000)}` };
  }
  // Why the run ended early goes into the exit test's failure message: the echoed output may be cut from a CI log.
  return { code, cells: written.cells, stopped: written.stopped ?? '' };
}

/** Runs lab/dist/dial-main.js to its end (SIGINT after `limitMs`: it then tears the lab down), echoing its output. */
function runDialMain(args: string[], limitMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(process.execPath, [join(root, 'lab/dist/dial-main.js'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGINT'), limitMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      process.stdout.write(d);
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
