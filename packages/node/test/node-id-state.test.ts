// Long-lived nodes keep their DHT node id across restarts, as mainline
// clients do: `listen` in a state file beside its key file, `bootstrap` in
// the file --state names. Real processes on loopback; the id a process uses
// is read from its own JSON log (listen) or from the table of a node that
// met it (bootstrap), never from the file alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DhtNode } from '@p2p-node/dht-signal';
import { ChildCli } from '../src/child-cli.js';
import { ExitCode } from '../src/exit-codes.js';
import { nodeStatePathFor } from '../src/node-state.js';
import { startBootstrapPair } from './bootstrap-pair.js';

const WAIT_MS = 20_000;
let dir: string;
let bootstrap: string;
const infra: ChildCli[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2p-node-state-'));
  bootstrap = await startBootstrapPair(infra);
});

afterAll(async () => {
  await Promise.all(infra.map((c) => c.stop()));
  await rm(dir, { recursive: true, force: true });
});

async function until<T>(what: string, find: () => Promise<T | undefined> | T | undefined, child?: ChildCli): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (child && child.child.exitCode !== null) throw new Error(`exited (${child.child.exitCode}) before ${what}: ${child.stderr}`);
    if (Date.now() - t0 > WAIT_MS) throw new Error(`no ${what} within ${WAIT_MS} ms${child ? `: ${child.stderr}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs a listener until it says it listens; returns the DHT node id from that line, and stops it. */
async function listenOnce(keyFile: string): Promise<{ dhtNodeId: string; stderr: string }> {
  const child = new ChildCli(['listen', '--echo', '--key', keyFile, '--bootstrap', bootstrap, '--host', '127.0.0.1', '--log-format', 'json']);
  try {
    const line = await until(
      'the "listening as" line',
      () => child.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string; dhtNodeId?: string }).find((l) => l.msg.startsWith('listening as ')),
      child,
    );
    expect(line.dhtNodeId).toMatch(/^[0-9a-f]{40}$/);
    return { dhtNodeId: line.dhtNodeId!, stderr: child.stderr };
  } finally {
    expect(await child.stop()).toBe(0);
  }
}

const savedId = async (path: string) => (JSON.parse(await readFile(path, 'utf8')) as { nodeId: string }).nodeId;

describe('listen keeps its DHT node id beside its key file', () => {
  it('uses the same id after a restart, saved mode 0600 in <key>.node.json', async () => {
    const keyFile = join(dir, 'listener.json');
    expect(await new ChildCli(['keygen', '--out', keyFile]).exited).toBe(0);
    const statePath = nodeStatePathFor(keyFile);
    expect(statePath).toBe(join(dir, 'listener.node.json'));

    const first = await listenOnce(keyFile);
    expect(await savedId(statePath)).toBe(first.dhtNodeId);
    expect((await stat(statePath)).mode & 0o777).toBe(0o600);
    const second = await listenOnce(keyFile);
    expect(second.dhtNodeId).toBe(first.dhtNodeId);

    // Another key file: another id (the state is per key file, not per machine).
    const otherKey = join(dir, 'other.json');
    expect(await new ChildCli(['keygen', '--out', otherKey]).exited).toBe(0);
    expect((await listenOnce(otherKey)).dhtNodeId).not.toBe(first.dhtNodeId);
  });

  it('a damaged state file is a warning, and a new id is saved in its place', async () => {
    const keyFile = join(dir, 'damaged.json');
    expect(await new ChildCli(['keygen', '--out', keyFile]).exited).toBe(0);
    const statePath = nodeStatePathFor(keyFile);
    await writeFile(statePath, 'not json at all');
    const run = await listenOnce(keyFile);
    expect(run.stderr).toMatch(/damaged\.node\.json is not JSON; starting with a new DHT node id/);
    expect(await savedId(statePath)).toBe(run.dhtNodeId);
  });
});

describe('bootstrap --state', () => {
  /** The id the bootstrap node answers with, as a node that joins through it records it. */
  async function idSeenByAPeer(addr: string): Promise<string> {
    const [host, port] = addr.split(':');
    const peer = await DhtNode.start({ host: '127.0.0.1', port: 0, bootstrap: [{ host: host!, port: Number(port) }] });
    try {
      const contact = await until('the bootstrap node in a table', () => peer.contacts().find((c) => c.port === Number(port)));
      return Buffer.from(contact.id).toString('hex');
    } finally {
      await peer.stop();
    }
  }

  async function runBootstrap(statePath: string): Promise<string> {
    const child = new ChildCli(['bootstrap', '--host', '127.0.0.1', '--port', '0', '--no-relay', '--state', statePath]);
    try {
      const addr = (await child.waitForLine(/^ready (\S+)/, WAIT_MS))[1]!;
      const id = await idSeenByAPeer(addr);
      await until('the state file', async () => ((await savedId(statePath).catch(() => undefined)) === id ? true : undefined), child);
      return id;
    } finally {
      expect(await child.stop()).toBe(0);
    }
  }

  it('answers with the same id after a restart, and with another one without --state', async () => {
    const statePath = join(dir, 'state', 'bootstrap.json');
    const first = await runBootstrap(statePath);
    expect(await runBootstrap(statePath)).toBe(first);
    const fresh = new ChildCli(['bootstrap', '--host', '127.0.0.1', '--port', '0', '--no-relay']);
    try {
      const addr = (await fresh.waitForLine(/^ready (\S+)/, WAIT_MS))[1]!;
      expect(await idSeenByAPeer(addr)).not.toBe(first);
    } finally {
      await fresh.stop();
    }
  });

  it('an empty --state or a folder is a usage error before any socket opens', async () => {
    await mkdir(join(dir, 'a-folder'), { recursive: true });
    for (const bad of ['', join(dir, 'a-folder')]) {
      const child = new ChildCli(['bootstrap', '--host', '127.0.0.1', '--port', '0', '--state', bad]);
      expect(await child.exited).toBe(ExitCode.usage);
      expect(child.stdoutLines).toEqual([]);
      expect(child.stderr).toMatch(/--state/);
    }
  });
});
