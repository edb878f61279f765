// The operator's view of `bootstrap` and `listen`: the status line (every
// --status-interval seconds and on SIGUSR1), --log-level and --log-format
// json, as real processes on loopback. No assertion here is about how long
// anything takes; the waits only catch hangs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildCli } from '../src/child-cli.js';
import { ExitCode } from '../src/exit-codes.js';
import { dialProcess } from './dial-process.js';

const WAIT_MS = 20_000;
const LEVELS = ['error', 'warn', 'info', 'debug'];

let dir: string;
let bootstrap: string;
const infra: ChildCli[] = [];

interface JsonLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

const stderrLines = (c: ChildCli) => c.stderr.split('\n').filter((l) => l !== '');
const jsonLines = (c: ChildCli): JsonLine[] => stderrLines(c).map((l) => JSON.parse(l) as JsonLine);

/** Polls until `find` returns something; fails (with the child's stderr) if the process exits first or time runs out. */
async function waitFor<T>(c: ChildCli, what: string, find: () => T | undefined): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (c.child.exitCode !== null || c.child.signalCode !== null) throw new Error(`process exited (${c.child.exitCode ?? c.child.signalCode}) before ${what}; stderr: ${c.stderr}`);
    if (Date.now() - t0 > WAIT_MS) throw new Error(`no ${what} within ${WAIT_MS} ms; stderr: ${c.stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The status objects a json-mode process has logged so far. */
const statuses = (c: ChildCli) => jsonLines(c).filter((l) => l.event === 'status' && l.starting !== true);

/** Sends SIGUSR1 and waits for the status line it asks for. */
async function askStatus(c: ChildCli): Promise<JsonLine> {
  const before = statuses(c).length;
  c.child.kill('SIGUSR1');
  return waitFor(c, 'a status line after SIGUSR1', () => statuses(c)[before]);
}

async function keygen(name: string): Promise<{ file: string; key: string }> {
  const file = join(dir, `${name}.json`);
  const c = new ChildCli(['keygen', '--out', file]);
  expect(await c.exited).toBe(0);
  return { file, key: c.stdoutLines[0]! };
}

/** `dial` with `input` on stdin; resolves with its exit code, stdout and stderr. */
const dial = (key: string, input: Buffer) => dialProcess([key], bootstrap, input, WAIT_MS);

/** A CLI run expected to end by itself (usage errors). */
async function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const c = new ChildCli(args);
  const timer = setTimeout(() => c.child.kill('SIGKILL'), WAIT_MS);
  const code = await c.exited;
  clearTimeout(timer);
  return { code, stdout: c.stdoutLines.join('\n'), stderr: c.stderr };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2p-node-status-'));
  // Two bootstrap nodes in json mode, on 127.0.0.1 and 127.0.0.2 (NAT profiling needs reflectors on two addresses).
  const a = new ChildCli(['bootstrap', '--host', '127.0.0.1', '--port', '0', '--log-format', 'json', '--status-interval', '0']);
  infra.push(a);
  const aAddr = (await a.waitForLine(/^ready (\S+)/, WAIT_MS))[1]!;
  const b = new ChildCli(['bootstrap', '--host', '127.0.0.2', '--port', '0', '--bootstrap', aAddr, '--log-format', 'json', '--status-interval', '0']);
  infra.push(b);
  bootstrap = `${aAddr},${(await b.waitForLine(/^ready (\S+)/, WAIT_MS))[1]!}`;
});

afterAll(async () => {
  const codes = await Promise.all(infra.map((c) => c.stop()));
  await rm(dir, { recursive: true, force: true });
  // SIGUSR1 never ended them: each was still there for SIGTERM, and stopped cleanly.
  expect(codes).toEqual(codes.map(() => 0));
});

describe('status lines and json logs', () => {
  it('listen and bootstrap answer SIGUSR1 with a status line of plausible counts after an echo; every stderr line is a JSON object; the secret key is in none', async () => {
    const { file, key } = await keygen('listener');
    const listener = new ChildCli(['listen', '--echo', '--key', file, '--bootstrap', bootstrap, '--host', '127.0.0.1', '--log-format', 'json', '--log-level', 'debug', '--status-interval', '0']);
    try {
      await waitFor(listener, '"listening as"', () => jsonLines(listener).find((l) => /^listening as /.test(l.msg)));
      const input = randomBytes(256 * 1024);
      const r = await dial(key, input);
      expect(r.code, r.err).toBe(0);
      expect(r.out.equals(input)).toBe(true);

      const mine = await askStatus(listener);
      expect(mine.level).toBe('info');
      expect(mine.msg).toMatch(/^status: \d+ nodes? in table, \d+ records? stored, \d+ connections? \(\d+ direct, \d+ lan, \d+ relayed; \d+ open\), \d+ failed, [\d.]+ [KMGT]?i?B in \/ [\d.]+ [KMGT]?i?B out, up \S+$/);
      expect(mine.nodes).toBeGreaterThanOrEqual(1);
      expect(mine.connections).toBeGreaterThanOrEqual(1);
      expect(Number(mine.direct) + Number(mine.lan) + Number(mine.relayed)).toBe(mine.connections);
      // The echo's bytes, both ways (the dial may still be closing: at least what was sent).
      expect(mine.bytesIn).toBeGreaterThanOrEqual(input.length);
      expect(mine.bytesOut).toBeGreaterThanOrEqual(input.length);
      expect(mine.uptimeSec).toBeGreaterThanOrEqual(0);

      const [a, b] = await Promise.all(infra.map((c) => askStatus(c)));
      for (const s of [a!, b!]) {
        expect(s.msg).toMatch(/^status: \d+ nodes? in table, \d+ records? stored, \d+ listeners? registered, \d+ introductions? relayed, \d+ circuits? relayed \(\d+ open\), [\d.]+ [KMGT]?i?B relayed, up \S+$/);
        expect(s.nodes).toBeGreaterThanOrEqual(1);
        expect(s.records).toBeGreaterThanOrEqual(0);
      }
      // The listener registered with both; the dial's request went through at least one and was answered.
      expect(Number(a!.registrations) + Number(b!.registrations)).toBeGreaterThanOrEqual(1);
      expect(Number(a!.introductions) + Number(b!.introductions)).toBeGreaterThanOrEqual(1);
      // The listener's record is stored somewhere in this three-node DHT.
      expect(Number(a!.records) + Number(b!.records) + Number(mine.records)).toBeGreaterThanOrEqual(1);
      expect(listener.child.exitCode).toBeNull();
    } finally {
      expect(await listener.stop()).toBe(0);
    }

    for (const c of [listener, ...infra]) {
      for (const line of stderrLines(c)) {
        const obj = JSON.parse(line) as JsonLine;
        expect(LEVELS).toContain(obj.level);
        expect(typeof obj.msg).toBe('string');
      }
    }
    // The debug level did log something beyond info.
    expect(jsonLines(listener).some((l) => l.level === 'debug')).toBe(true);
    expect(jsonLines(listener).some((l) => l.msg === 'SIGTERM: stopping')).toBe(true);

    const seed = Buffer.from((JSON.parse(await readFile(file, 'utf8')) as { secretKey: string }).secretKey, 'hex');
    expect(seed.length).toBe(32);
    const forms = [seed.toString('hex'), seed.toString('base64'), seed.toString('base64').replace(/=+$/, ''), seed.toString('base64url')];
    const everything = (c: ChildCli) => `${c.stderr}\n${c.stdoutLines.join('\n')}`.toLowerCase();
    for (const c of [listener, ...infra]) {
      for (const form of forms) expect(everything(c)).not.toContain(form.toLowerCase());
    }
  });

  it('text mode keeps the plain lines; --status-interval 1 prints status lines by itself', async () => {
    const c = new ChildCli(['bootstrap', '--host', '127.0.0.1', '--port', '0', '--bootstrap', bootstrap.split(',')[0]!, '--status-interval', '1', '--relay-draining', '7']);
    try {
      await c.waitForLine(/^ready (\S+)/, WAIT_MS);
      // The ready line, exactly as before there was a logger.
      expect(c.stdoutLines[0]).toMatch(/^ready 127\.0\.0\.1:\d+ \(udp dht \+ introducer, tcp reflector, tcp relay \d+; \d+ peers known\)$/);
      await waitFor(c, 'two status lines', () => (stderrLines(c).filter((l) => l.startsWith('status: ')).length >= 2 ? true : undefined));
    } finally {
      expect(await c.stop()).toBe(0);
    }
    const lines = stderrLines(c);
    // The limits it runs with, the one set on the command line among them.
    expect(lines[0]).toMatch(/^relay on tcp 127\.0\.0\.1:\d+ \(at most 256 circuits, 32 per IP, 16\.0 MiB\/s each way per circuit, 3600 s per circuit, 7 refused draining at once\)$/);
    expect(lines.at(-1)).toBe('SIGTERM: stopping');
    for (const l of lines.filter((l) => l.startsWith('status: '))) {
      expect(l).toMatch(/^status: \d+ nodes? in table, \d+ records? stored, \d+ listeners? registered, \d+ introductions? relayed, \d+ circuits? relayed \(\d+ open\), [\d.]+ [KMGT]?i?B relayed, up \S+$/);
    }
    // Nothing on stderr is JSON in text mode.
    expect(lines.every((l) => !l.startsWith('{'))).toBe(true);
  });

  it('--log-level warn leaves out info lines (status included), in both formats; the ready line stays on stdout', async () => {
    for (const format of ['text', 'json']) {
      const c = new ChildCli(['bootstrap', '--host', '127.0.0.1', '--port', '0', '--log-level', 'warn', '--log-format', format, '--status-interval', '0']);
      try {
        await c.waitForLine(/^ready (\S+)/, WAIT_MS);
        c.child.kill('SIGUSR1');
        // A status line would follow the signal at once; give it the time the first test's took, then stop.
        await new Promise((r) => setTimeout(r, 300));
        expect(c.child.exitCode).toBeNull();
      } finally {
        expect(await c.stop()).toBe(0);
      }
      expect(c.stdoutLines).toHaveLength(1);
      expect(c.stderr).toBe('');
    }
  });
});

describe('bad log options', () => {
  let udp: Socket;
  let takenPort: number;

  beforeAll(async () => {
    // Held by us: a command that got as far as binding it would fail with a bind error, not a usage error.
    udp = createSocket('udp4');
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    takenPort = udp.address().port;
  });

  afterAll(() => udp.close());

  it.each([
    ['--log-level', 'loud', /--log-level must be one of error, warn, info, debug, got "loud"/],
    ['--log-format', 'xml', /--log-format must be text or json, got "xml"/],
    ['--status-interval', '-1', /--status-interval must be whole seconds/],
    ['--status-interval', '1.5', /--status-interval must be whole seconds/],
    ['--log-level', 'INFO', /--log-level must be one of/],
  ])('%s %s is a usage error (exit 2, one line) before any socket opens', async (flag, value, message) => {
    const bs = await run(['bootstrap', '--host', '127.0.0.1', '--port', String(takenPort), flag, value]);
    const ls = await run(['listen', '--key', join(dir, 'absent.json'), '--bootstrap', `127.0.0.1:${takenPort}`, '--host', '127.0.0.1', flag, value]);
    for (const r of [bs, ls]) {
      expect(r.code, r.stderr).toBe(ExitCode.usage);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^p2p-node: /);
      expect(lines[0]).toMatch(message);
    }
  });
});
