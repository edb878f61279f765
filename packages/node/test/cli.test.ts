// The CLI as users run it: every verb is its own process, talking real UDP on
// 127.0.0.1 to a private DHT of bootstrap processes.
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildCli } from '../src/child-cli.js';
import { ExitCode } from '../src/exit-codes.js';

const HOST = '127.0.0.1';
const DHT_SIZE = 8;
let dir: string;
const dht: ChildCli[] = [];
let bootstrap: string;

async function run(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 20_000) {
  const c = new ChildCli(args, { env });
  const timer = setTimeout(() => c.child.kill('SIGKILL'), timeoutMs);
  const code = await c.exited;
  clearTimeout(timer);
  return { code, stdout: c.stdoutLines.join('\n'), stderr: c.stderr };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2p-node-cli-'));
  // Lookups remember seen seqs in this run's folder, not in the user's home.
  process.env.P2P_NODE_SEEN = join(dir, 'seen.json');
  const first = new ChildCli(['bootstrap', '--host', HOST, '--port', '0']);
  dht.push(first);
  const addr = (await first.waitForLine(/^ready (\S+)/, 15_000))[1]!;
  const rest = Array.from({ length: DHT_SIZE - 1 }, () => new ChildCli(['bootstrap', '--host', HOST, '--port', '0', '--bootstrap', addr]));
  dht.push(...rest);
  const addrs = await Promise.all(rest.map(async (c) => (await c.waitForLine(/^ready (\S+)/, 15_000))[1]!));
  bootstrap = [addr, ...addrs.slice(0, 3)].join(',');
});

afterAll(async () => {
  const codes = await Promise.all(dht.map((c) => c.stop()));
  await rm(dir, { recursive: true, force: true });
  // Every bootstrap node shut down cleanly on SIGTERM (exit 0, not killed).
  expect(codes).toEqual(codes.map(() => 0));
});

describe('keygen', () => {
  it('writes a 0600 key file and prints the public key as 64 lowercase hex characters', async () => {
    const file = join(dir, 'k1.json');
    const r = await run(['keygen', '--out', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^[0-9a-f]{64}$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8')).publicKey).toBe(r.stdout);
  });

  it('refuses to overwrite without --force, and overwrites with it', async () => {
    const file = join(dir, 'k2.json');
    const first = await run(['keygen', '--out', file]);
    const again = await run(['keygen', '--out', file]);
    expect(again.code).toBe(ExitCode.usage);
    expect(again.stderr).toMatch(/already exists.*--force/);
    expect(JSON.parse(await readFile(file, 'utf8')).publicKey).toBe(first.stdout);
    const forced = await run(['keygen', '--out', file, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).not.toBe(first.stdout);
  });

  it('refuses a corrupt key file with a clear error', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, '{"kind":"p2p-node-ed25519","secretKey":"nothex"}', { mode: 0o600 });
    const r = await run(['publish', '--key', file, '--bootstrap', bootstrap]);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.stderr).toMatch(/not a p2p-node key file/);
  });
});

describe('help and usage errors', () => {
  it.each(['keygen', 'bootstrap', 'publish', 'lookup', 'nat', 'demo'])('%s --help exits 0 and describes the verb', async (verb) => {
    const r = await run([verb, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Usage: p2p-node ${verb}`));
  });

  it('a malformed public key is a usage error', async () => {
    const r = await run(['lookup', 'abc', '--bootstrap', bootstrap]);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.stderr).toMatch(/64 hex characters/);
  });

  it('no bootstrap list is a usage error, never a fallback to public hosts', async () => {
    const r = await run(['lookup', 'ab'.repeat(32)], { P2P_NODE_BOOTSTRAP: '' });
    expect(r.code).toBe(ExitCode.usage);
    expect(r.stderr).toMatch(/no bootstrap nodes/);
  });

  it('a bad bootstrap entry is a usage error', async () => {
    const r = await run(['lookup', 'ab'.repeat(32), '--bootstrap', 'localhost:notaport']);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.stderr).toMatch(/bad bootstrap list/);
  });
});

describe('publish and lookup across processes', () => {
  it('finds and verifies a published record, republishes with a higher seq, and stops cleanly', async () => {
    const keyFile = join(dir, 'peer.json');
    const pubkey = (await run(['keygen', '--out', keyFile])).stdout;
    const publisher = new ChildCli(['publish', '--key', keyFile, '--bootstrap', bootstrap, '--host', HOST, '--tcp-port', '4242', '--republish', '1']);
    try {
      const first = await publisher.waitForLine(/^published ([0-9a-f]{64}) seq (\d+) on (\d+) nodes/, 15_000);
      expect(first[1]).toBe(pubkey);
      expect(Number(first[3])).toBeGreaterThan(0);

      // The bootstrap list may also come from the environment.
      const found = await run(['lookup', pubkey, '--json'], { P2P_NODE_BOOTSTRAP: bootstrap });
      expect(found.code).toBe(0);
      const rec = JSON.parse(found.stdout);
      expect(rec.publicKey).toBe(pubkey);
      expect(rec.lanEndpoints).toContain(`${HOST}:4242`);
      expect(rec.seq).toBeGreaterThanOrEqual(Number(first[2]));

      // The timer republishes with a strictly higher seq, and lookups see it.
      const later = await publisher.waitForLine(/^republished seq (\d+)/, 10_000);
      expect(Number(later[1])).toBeGreaterThan(Number(first[2]));
      const again = await run(['lookup', pubkey, '--json', '--bootstrap', bootstrap]);
      expect(JSON.parse(again.stdout).seq).toBeGreaterThanOrEqual(Number(later[1]));

      const text = await run(['lookup', pubkey, '--bootstrap', bootstrap]);
      expect(text.stdout).toMatch(new RegExp(`public key\\s+${pubkey}`));
    } finally {
      expect(await publisher.stop()).toBe(0);
    }
  });

  it('a lookup remembers the seq it accepted: a later process refuses an older record as replayed (exit 4)', async () => {
    const keyFile = join(dir, 'remembered.json');
    const seenFile = join(dir, 'remembered-seen.json');
    const pubkey = (await run(['keygen', '--out', keyFile])).stdout;
    const publisher = new ChildCli(['publish', '--key', keyFile, '--bootstrap', bootstrap, '--host', HOST, '--tcp-port', '4243']);
    try {
      const published = Number((await publisher.waitForLine(/^published [0-9a-f]{64} seq (\d+)/, 15_000))[1]);
      const first = await run(['lookup', pubkey, '--json', '--bootstrap', bootstrap, '--seen', seenFile]);
      expect(first.code, first.stderr).toBe(0);
      const saved = JSON.parse(await readFile(seenFile, 'utf8'));
      expect(saved.seqs[pubkey]).toBe(published);
      expect((await stat(seenFile)).mode & 0o777).toBe(0o600);
      // As if an earlier lookup had seen a newer record: the one the DHT serves is now a replay.
      saved.seqs[pubkey] = published + 1000;
      await writeFile(seenFile, JSON.stringify(saved));
      const replayed = await run(['lookup', pubkey, '--bootstrap', bootstrap, '--seen', seenFile]);
      expect(replayed.code, replayed.stderr).toBe(ExitCode.invalidRecord);
      expect(replayed.stderr).toMatch(/record refused \(stale-seq\): seq \d+ is older than seq \d+ seen before/);
      // Without the memory a fresh process cannot tell.
      expect((await run(['lookup', pubkey, '--bootstrap', bootstrap, '--no-seen'])).code).toBe(0);
      // A file that is not ours is a warning, never a failed lookup; it is rewritten.
      await writeFile(seenFile, 'not json');
      const corrupt = await run(['lookup', pubkey, '--bootstrap', bootstrap, '--seen', seenFile]);
      expect(corrupt.code, corrupt.stderr).toBe(0);
      expect(corrupt.stderr).toMatch(/warning: .* is not JSON; starting with no memory of seen records/);
      expect(JSON.parse(await readFile(seenFile, 'utf8')).seqs[pubkey]).toBe(published);
    } finally {
      expect(await publisher.stop()).toBe(0);
    }
  });

  it('an unknown key ends with not-found (exit 3) within the timeout', async () => {
    const t0 = performance.now();
    const r = await run(['lookup', 'cd'.repeat(32), '--bootstrap', bootstrap, '--timeout', '5000']);
    expect(r.code).toBe(ExitCode.notFound);
    expect(r.stderr).toMatch(/no record found/);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it('a lookup no DHT node answers ends with "lookup incomplete" (exit 12), never not-found', async () => {
    // A bound UDP socket that never replies: a dead bootstrap node.
    const silent = createSocket('udp4');
    await new Promise<void>((r) => silent.bind(0, HOST, r));
    try {
      const r = await run(['lookup', 'cd'.repeat(32), '--bootstrap', `${HOST}:${silent.address().port}`, '--timeout', '5000']);
      expect(r.code, r.stderr).toBe(ExitCode.lookupIncomplete);
      expect(r.stderr.trim()).toMatch(new RegExp(`^p2p-node: no DHT node answered the lookup for ${'cd'.repeat(32)} \\(1 asked in \\d+ ms\\): are the bootstrap nodes up and reachable\\?$`));
    } finally {
      silent.close();
    }
  });

  it('a bootstrap node still answers after the 10-byte datagram that froze bencode 2.0.3 (d1:al-3:ee)', async () => {
    const node = new ChildCli(['bootstrap', '--host', HOST, '--port', '0']);
    const [, host, port] = await node.waitForLine(/^ready ([\d.]+):(\d+)/, 15_000);
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, HOST, r));
    try {
      for (let i = 0; i < 10; i++) s.send(Buffer.from('d1:al-3:ee'), Number(port), host);
      // A ping sent after them: a node stuck in the decoder never answers it. The node may
      // also query us (it asks new contacts for its public address): only our transaction counts.
      const pong = new Promise<Buffer>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no pong: the node is stuck')), 2000);
        const onMessage = (m: Buffer) => {
          if (!m.includes('1:t2:pp')) return;
          clearTimeout(timer);
          s.off('message', onMessage);
          resolve(m);
        };
        s.on('message', onMessage);
      });
      await new Promise((r) => setTimeout(r, 100));
      s.send(Buffer.from('d1:ad2:id20:aaaaaaaaaaaaaaaaaaaae1:q4:ping1:t2:pp1:y1:qe'), Number(port), host);
      expect((await pong).toString()).toContain('1:y1:r');
    } finally {
      s.close();
      expect(await node.stop()).toBe(0);
    }
  });

  it('an expired record is refused with exit 5', async () => {
    const keyFile = join(dir, 'short.json');
    const pubkey = (await run(['keygen', '--out', keyFile])).stdout;
    const publisher = new ChildCli(['publish', '--key', keyFile, '--bootstrap', bootstrap, '--host', HOST, '--lifetime', '2', '--republish', '1']);
    await publisher.waitForLine(/^published/, 15_000);
    const code = await publisher.stop();
    expect(`exit ${code} signal ${publisher.child.signalCode} stderr: ${publisher.stderr}`).toMatch(/^exit 0 signal null/);
    // Past the lifetime of the last record published (a republish may have run just before the stop).
    await new Promise((r) => setTimeout(r, 3100));
    const r = await run(['lookup', pubkey, '--bootstrap', bootstrap]);
    expect(r.code).toBe(ExitCode.expiredRecord);
    expect(r.stderr).toMatch(/expired/i);
  });
});

describe('nat', () => {
  it('profiles this host against the bootstrap nodes\' TCP reflectors (loopback: no NAT)', async () => {
    // A second reflector on another loopback IP: profiling needs two IPs.
    const other = new ChildCli(['bootstrap', '--host', '127.0.0.2', '--port', '0', '--bootstrap', bootstrap.split(',')[0]!]);
    try {
      const otherAddr = (await other.waitForLine(/^ready (\S+)/, 15_000))[1]!;
      const r = await run(['nat', '--json', '--bootstrap', `${bootstrap.split(',')[0]},${otherAddr}`]);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report).toMatchObject({ mapping: 'none', publicIp: HOST, portPreserving: true });
      expect(report.reflectors.length).toBeGreaterThanOrEqual(2);
    } finally {
      expect(await other.stop()).toBe(0);
    }
  });

  it('refuses reflectors that all share one IP', async () => {
    const r = await run(['nat', '--bootstrap', bootstrap]);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.stderr).toMatch(/two bootstrap nodes on different IPs/);
  });
});

