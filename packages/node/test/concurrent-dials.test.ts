// 200 dials at once to one `p2p-node listen --echo`, all from one source IP
// (a crowd behind one carrier NAT): every one connects and echoes intact.
// Real `p2p-node bootstrap` introducers and listener as processes on
// loopback; the dialers are PeerNodes in this process. Before the gate's
// grace and the "not now" backoff, 51 of 200 got through. (Times: bench/concurrent-dials.mjs.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdentity, parseHostPortList } from '@p2p-node/dht-signal';
import { ChildCli } from '../src/child-cli.js';
import { startBootstrapPair } from './bootstrap-pair.js';
import { PeerNode } from '../src/peer-node.js';

const DIALERS = 200;
let dir: string;
let bootstrap: string;
let listenerKey: string;
const children: ChildCli[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2p-node-crowd-'));
  bootstrap = await startBootstrapPair(children);
  const keyFile = join(dir, 'listener.json');
  const keygen = new ChildCli(['keygen', '--out', keyFile]);
  await keygen.exited;
  listenerKey = keygen.stdoutLines[0]!;
  const listener = new ChildCli(['listen', '--echo', '--key', keyFile, '--bootstrap', bootstrap, '--host', '127.0.0.1']);
  children.push(listener);
  const t0 = Date.now();
  while (!/listening as/.test(listener.stderr)) {
    if (listener.child.exitCode !== null || Date.now() - t0 > 15_000) throw new Error(`listener not ready: ${listener.stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(children.map((c) => c.stop()));
  await rm(dir, { recursive: true, force: true });
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Dials, sends 1 KiB, reads the echo to its end; resolves with what went wrong, or null. */
async function dialAndEcho(node: PeerNode): Promise<string | null> {
  try {
    const stream = await node.dial(Buffer.from(listenerKey, 'hex'));
    const payload = randomBytes(1024);
    const echoed = await new Promise<Buffer>((resolve, reject) => {
      const parts: Buffer[] = [];
      stream.on('data', (c: Buffer) => parts.push(c));
      stream.once('end', () => resolve(Buffer.concat(parts)));
      stream.once('error', reject);
      stream.end(payload);
    });
    return sha(echoed) === sha(payload) ? null : `echo differs (${echoed.length} bytes back)`;
  } catch (err) {
    return `${(err as { code?: string }).code ?? 'untyped'}: ${(err as Error).message}`;
  }
}

describe(`${DIALERS} dialers behind one IP`, () => {
  it('all connect to one listener at once and get their bytes back intact', async () => {
    const nodes = await Promise.all(
      Array.from({ length: DIALERS }, () => PeerNode.create({ identity: generateIdentity(), bootstrap: parseHostPortList(bootstrap), host: '127.0.0.1' })),
    );
    try {
      const outcomes = await Promise.all(nodes.map(dialAndEcho));
      const failures = outcomes.filter((o): o is string => o !== null);
      expect(failures.slice(0, 5), `${failures.length} of ${DIALERS} failed`).toEqual([]);
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
    }
  }, 120_000);
});
