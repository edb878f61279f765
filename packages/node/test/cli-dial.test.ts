// `p2p-node listen` and `p2p-node dial` as users run them: separate
// processes on loopback (no NAT; through real NATs: lab/test/dial.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildCli, CLI_PATH } from '../src/child-cli.js';
import { startBootstrapPair } from './bootstrap-pair.js';
import { dialProcess } from './dial-process.js';
import { ExitCode } from '../src/exit-codes.js';

let dir: string;
let bootstrap: string;
const infra: ChildCli[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2p-node-dial-'));
  bootstrap = await startBootstrapPair(infra);
});

afterAll(async () => {
  await Promise.all(infra.map((c) => c.stop()));
  await rm(dir, { recursive: true, force: true });
});

async function keygen(name: string): Promise<{ file: string; key: string }> {
  const file = join(dir, `${name}.json`);
  const c = new ChildCli(['keygen', '--out', file]);
  await c.exited;
  return { file, key: c.stdoutLines[0]! };
}

async function startListener(extra: string[] = []): Promise<{ key: string; child: ChildCli }> {
  const { file, key } = await keygen(`l${Math.random()}`);
  const child = new ChildCli(['listen', '--echo', '--key', file, '--bootstrap', bootstrap, '--host', '127.0.0.1', ...extra]);
  const t0 = Date.now();
  while (!/listening as/.test(child.stderr)) {
    if (child.child.exitCode !== null || Date.now() - t0 > 15_000) throw new Error(`listener not ready: ${child.stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { key, child };
}

/** Runs `dial` against this file's DHT, feeding `input` on stdin. */
const dial = (args: string[], input: Buffer, timeoutMs = 20_000) => dialProcess(args, bootstrap, input, timeoutMs);

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('listen --echo and dial', () => {
  it('pipes stdin through the encrypted stream and back, exits 0, reports phases with --json; five dials in a row', async () => {
    const { key, child } = await startListener();
    try {
      for (let i = 0; i < 5; i++) {
        const input = randomBytes(i === 0 ? 8 * 1024 * 1024 : 64 * 1024);
        const r = await dial([key, '--json'], input);
        expect(r.code, r.err).toBe(0);
        expect(sha(r.out)).toBe(sha(input));
        const stats = JSON.parse(r.err.split('\n').find((l) => l.startsWith('{'))!);
        expect(stats).toMatchObject({ remotePublicKey: key, path: 'direct', bytesIn: input.length, bytesOut: input.length });
        for (const phase of ['lookupMs', 'signalMs', 'punchMs', 'openMs', 'totalMs']) expect(stats.timings[phase]).toBeGreaterThanOrEqual(0);
        expect(r.err).toMatch(/^connected: /m);
      }
    } finally {
      expect(await child.stop()).toBe(0);
    }
  });

  it('reaches the listener through the early first request (no record needed), and through the record with --first-introducers none', async () => {
    const { key, child } = await startListener();
    try {
      const early = await dial([key, '--json'], Buffer.from('early'));
      expect(early.code, early.err).toBe(0);
      expect(early.out.toString()).toBe('early');
      // The first request went to the bootstrap nodes, which are the listener's introducers: the record was never waited for.
      expect(JSON.parse(early.err.split('\n').find((l) => l.startsWith('{'))!).timings.lookupMs).toBe(0);
      const viaRecord = await dial([key, '--json', '--first-introducers', 'none'], Buffer.from('via the record'));
      expect(viaRecord.code, viaRecord.err).toBe(0);
      expect(viaRecord.out.toString()).toBe('via the record');
      expect(viaRecord.err).toMatch(/^signal: record found \(seq \d+\); signaling through /m);
      expect(JSON.parse(viaRecord.err.split('\n').find((l) => l.startsWith('{'))!).timings.lookupMs).toBeGreaterThan(0);
      const bad = await dial([key, '--first-introducers', 'nonsense'], Buffer.alloc(0));
      expect(bad.code).toBe(ExitCode.usage);
      expect(bad.err).toMatch(/bad --first-introducers/);
    } finally {
      expect(await child.stop()).toBe(0);
    }
  });

  it('a dialer outside --allow is refused with exit 8, and the listener keeps serving', async () => {
    const allowed = await keygen('allowed');
    const stranger = await keygen('stranger');
    const { key, child } = await startListener(['--allow', allowed.key]);
    try {
      const refused = await dial([key, '--key', stranger.file], Buffer.from('hello'));
      expect(refused.code).toBe(ExitCode.refused);
      expect(refused.err).toMatch(/not in its allow list/);
      const ok = await dial([key, '--key', allowed.file], Buffer.from('hello'));
      expect(ok.code, ok.err).toBe(0);
      expect(ok.out.toString()).toBe('hello');
    } finally {
      expect(await child.stop()).toBe(0);
    }
  });

  it('a key with no record fails with exit 3 within a few seconds', async () => {
    const r = await dial(['ab'.repeat(32)], Buffer.alloc(0));
    expect(r.code).toBe(ExitCode.notFound);
    expect(r.err).toMatch(/no record found/);
    expect(r.ms).toBeLessThan(5000);
  });

  it('a listener that has stopped is reported as unreachable (exit 9), not a hang', async () => {
    const { key, child } = await startListener();
    await child.stop();
    const r = await dial([key], Buffer.from('x'));
    expect(r.code).toBe(ExitCode.signalFailed);
    expect(r.ms).toBeLessThan(12_000);
  });

  it('without --echo, listen pipes its stdin to the dialer and the dialer\'s bytes to its stdout, then exits 0', async () => {
    const { file, key } = await keygen('plain');
    const listener = spawn(process.execPath, [CLI_PATH, 'listen', '--key', file, '--bootstrap', bootstrap, '--host', '127.0.0.1'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let lOut = '';
    let lErr = '';
    listener.stdout.on('data', (d: Buffer) => (lOut += d.toString()));
    listener.stderr.on('data', (d: Buffer) => (lErr += d.toString()));
    // 'close', not 'exit': lOut is read to its end by then.
    const listenerExit = new Promise<number | null>((r) => listener.on('close', r));
    try {
      const t0 = Date.now();
      while (!/listening as/.test(lErr)) {
        if (listener.exitCode !== null || Date.now() - t0 > 15_000) throw new Error(`listener not ready: ${lErr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      listener.stdin.end('hello from the listener\n');
      const r = await dial([key], Buffer.from('hello from the dialer\n'));
      expect(r.code, `${r.err}\nlistener: ${lErr}`).toBe(0);
      expect(r.out.toString()).toBe('hello from the listener\n');
      expect(await listenerExit).toBe(0);
      expect(lOut).toBe('hello from the dialer\n');
    } finally {
      listener.kill('SIGKILL');
    }
  });
});

