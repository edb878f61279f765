import { fileURLToPath } from 'node:url';
import { CLI } from './cli-path.js';
import type { DialLab } from './dial-lab.js';
import { spawnInNs, stopProcess, waitForLine } from './procs.js';
import { nsExec } from './sh.js';
import type { NatSpec } from './topology.js';

/*
 * The CLI's failure exits through the lab: every case is real `p2p-node`
 * processes in the namespaces (dialer behind a NAT, DHT and introducers on
 * the lab internet), each checked by exit code and by the line on stderr
 * that says why. Codes from packages/node/src/exit-codes.ts.
 */
const CLOCK_SHIFT = fileURLToPath(new URL('./clock-shift.js', import.meta.url));
const DIAL_TIMEOUT_MS = 90_000;

/** NAT boxes the failure cases need, besides whatever the pairs build. */
export const FAILURE_NATS: NatSpec[] = [
  { name: 'pp1', kind: 'pp', hosts: 1 },
  { name: 'pp2', kind: 'pp', hosts: 1 },
  { name: 'rand1', kind: 'rand', hosts: 1 },
  { name: 'rand2', kind: 'rand', hosts: 1 },
];

export interface FailureRow {
  id: string;
  label: string;
  /** The exit code the case must end with, and what its stderr must say. */
  wantExit: number;
  wantStderr: string;
  exitCode: number | null;
  /** The dial's `p2p-node: ...` line (or its stderr's end). */
  stderr: string;
  wallMs: number;
  pass: boolean;
}

interface Case {
  id: string;
  label: string;
  wantExit: number;
  wantStderr: RegExp;
  /** Sets the case up; resolves with who dials which key (with which extra dial options), and a cleanup. */
  prepare(lab: DialLab): Promise<{ from: string; key: string; dialArgs?: string[]; undo?: () => Promise<void> }>;
}

const CASES: Case[] = [
  {
    id: 'not-found',
    label: 'key that never published (pp1 dials)',
    wantExit: 3,
    wantStderr: /no record found in the DHT for/,
    prepare: async (lab) => ({ from: 'pp1', key: lab.newKey('pp2').publicKey }),
  },
  {
    id: 'refused',
    label: 'listener behind pp2 with --allow of another key',
    wantExit: 8,
    wantStderr: /refused the connection: this key is not in its allow list/,
    prepare: async (lab) => {
      const { publicKey, child } = await lab.startListener('pp2', ['--allow', lab.newKey('pp1').publicKey]);
      return { from: 'pp1', key: publicKey, undo: () => stopProcess(child, 3_000) };
    },
  },
  {
    id: 'signal-failed',
    label: 'listener behind pp2 stopped: its record stays, no introducer reaches it',
    wantExit: 9,
    wantStderr: /could not signal|names no introducer/,
    prepare: async (lab) => {
      const { publicKey, child } = await lab.startListener('pp2');
      await stopProcess(child, 3_000);
      return { from: 'pp1', key: publicKey };
    },
  },
  {
    id: 'punch-failed',
    label: 'random NAT -> random NAT, dial --no-relay (rand1 dials rand2)',
    wantExit: 6,
    wantStderr: /no path to \S+: no punch can reach it \(both NATs map ports unpredictably\); relaying is off/,
    prepare: async (lab) => {
      const { publicKey, child } = await lab.startListener('rand2');
      return { from: 'rand1', key: publicKey, dialArgs: ['--no-relay'], undo: () => stopProcess(child, 3_000) };
    },
  },
  {
    id: 'wrong-key',
    label: "public listener's port redirected to another key's listener",
    wantExit: 7,
    wantStderr: /did not prove it holds/,
    prepare: hijackedListener,
  },
  {
    id: 'invalid-record',
    label: 'record from a publisher whose clock is 1 h ahead (issued in the future)',
    wantExit: 4,
    wantStderr: /record refused \(issued-in-future\)/,
    prepare: (lab) => skewedPublisher(lab, 3600, []),
  },
  {
    id: 'expired-record',
    label: 'record from a publisher whose clock is 1 h behind (--lifetime 600)',
    wantExit: 5,
    wantStderr: /the newest record for \S+ expired at/,
    prepare: (lab) => skewedPublisher(lab, -3600, ['--lifetime', '600']),
  },
];

export const FAILURE_IDS = CASES.map((c) => c.id);

/** Runs every case in turn (each cleans up after itself); never throws for a case that went wrong, it fails the row. */
export async function runFailures(lab: DialLab): Promise<FailureRow[]> {
  const rows: FailureRow[] = [];
  for (const c of CASES) {
    const row: FailureRow = { id: c.id, label: c.label, wantExit: c.wantExit, wantStderr: c.wantStderr.source, exitCode: null, stderr: '', wallMs: 0, pass: false };
    let undo: (() => Promise<void>) | undefined;
    try {
      const setup = await c.prepare(lab);
      undo = setup.undo;
      const r = await lab.dial(setup.from, setup.key, 1024, DIAL_TIMEOUT_MS, setup.dialArgs ?? []);
      row.exitCode = r.exitCode;
      row.stderr = r.stderr.split('\n').filter((l) => l.startsWith('p2p-node:')).pop() ?? r.stderr.slice(-300);
      row.wallMs = Math.round(r.wallMs);
      row.pass = r.exitCode === c.wantExit && c.wantStderr.test(r.stderr);
    } catch (err) {
      row.stderr = `case set-up failed: ${(err as Error).message}`;
    } finally {
      await undo?.().catch(() => undefined);
    }
    rows.push(row);
  }
  return rows;
}

/**
 * Key A listens on the public host refl2 (no NAT: it accepts on its punch
 * port); key B listens there too. A kernel redirect in refl2 sends A's port
 * to B's: signaling reaches A (whose Noise reply proves A), but the TCP
 * endpoint A named answers as B, which cannot open the stream with A's
 * session keys.
 */
async function hijackedListener(lab: DialLab): Promise<{ from: string; key: string; undo: () => Promise<void> }> {
  const a = await lab.startListener('refl2');
  const b = await lab.startListener('refl2');
  const port = (s: string) => {
    const m = /accepting on port (\d+)/.exec(s);
    if (!m) throw new Error(`listener did not say its port: ${s.slice(-300)}`);
    return m[1]!;
  };
  const ns = lab.host('refl2').ns;
  nsExec(ns, 'nft', ['-f', '-'], {
    input: `table ip labhijack {\n  chain pre {\n    type nat hook prerouting priority -100;\n    tcp dport ${port(a.stderr)} redirect to :${port(b.stderr)}\n  }\n}\n`,
  });
  return {
    from: 'pp1',
    key: a.publicKey,
    undo: async () => {
      nsExec(ns, 'nft', ['delete', 'table', 'ip', 'labhijack'], { allowFail: true });
      await Promise.all([stopProcess(a.child, 3_000), stopProcess(b.child, 3_000)]);
    },
  };
}

/** The real `p2p-node publish` behind pp2, its clock shifted by `shiftSec`; resolves once the record is stored. */
async function skewedPublisher(lab: DialLab, shiftSec: number, extra: string[]): Promise<{ from: string; key: string; undo: () => Promise<void> }> {
  const { publicKey, keyFile } = lab.newKey('pp2');
  const child = spawnInNs(lab.host('pp2').ns, 'env', [
    `LAB_CLOCK_SHIFT_SEC=${shiftSec}`,
    process.execPath,
    '--import',
    CLOCK_SHIFT,
    CLI,
    'publish',
    '--key',
    keyFile,
    '--bootstrap',
    lab.bootstrap,
    ...extra,
  ]);
  await waitForLine(child, /^published /, 30_000);
  return { from: 'pp1', key: publicKey, undo: () => stopProcess(child, 3_000) };
}
