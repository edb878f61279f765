/*
 * Interop with a mainline DHT client nobody here wrote: libtorrent-rasterbar
 * (Debian's python3-libtorrent, 2.0.8 on bookworm), driven by
 * fixtures/libtorrent-node.py. A private DHT of `p2p-node bootstrap`
 * processes holds a record from `p2p-node publish`; in 3 rounds, each with a
 * fresh libtorrent session, libtorrent joins through the bootstrap nodes and
 * reads the record as a BEP 44 mutable item (it checks the signature before
 * it reports an item; the test checks it again), then `p2p-node lookup`
 * finds the record with that libtorrent node as its only entry point.
 * Prints how long libtorrent took to its first verified item; durations are
 * reported, never judged (the deadlines only catch hangs).
 *
 * Then BEP 43: 20 `p2p-node lookup`s (read-only one-shot nodes, `ro: 1` on
 * every query) through a fresh libtorrent session as their only entry point.
 * libtorrent's routing table (dht_live_nodes) must hold none of their ports
 * or ids, though it holds the bootstrap nodes, and it must send nothing to
 * their dead ports in the 5 s after. The control, showing the check can
 * fail: an in-process DhtNode without readOnly doing the same lookup through
 * libtorrent is in its table afterwards. Prints the counts.
 *
 * Without python3-libtorrent the tests are SKIPPED, loudly, never passed;
 * under CI=true that is a failure instead (.ci/run installs it).
 *
 * Network: every socket here talks to 127.0.0.1 only. libtorrent runs with
 * no default routers (its stock settings would contact dht.libtorrent.org
 * and others), with LSD, UPnP and NAT-PMP off (they send to multicast and
 * gateway addresses), listening on 127.0.0.1; its only contacts are our
 * bootstrap nodes. The script refuses a bootstrap node that is not
 * 127.0.0.1 and checks that libtorrent took these settings; each round
 * asserts its DHT sent nothing to an address outside 127.0.0.1.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DhtNode, mutableTarget, RECORD_SALT, RecordResolver } from '@p2p-node/dht-signal';
import { endpointFromWire, formatHostPort, p2pnode } from '@p2p-node/protos';
import { ChildCli } from '../src/child-cli.js';

/** Debian's interpreter: python3-libtorrent installs its module for it, not for a pyenv or venv python on PATH. */
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./fixtures/libtorrent-node.py', import.meta.url));
const HOST = '127.0.0.1';
const DHT_SIZE = 4;
const ROUNDS = 3;
/** The TCP port the record advertises; nothing listens on it, the test only reads it back. */
const TCP_PORT = 4717;
/** BEP 43 test: one-shot lookups through libtorrent, how many at once, and how long to watch what libtorrent sends after them. */
const RO_LOOKUPS = 20;
const RO_AT_ONCE = 4;
const RO_WATCH_MS = 5000;

function libtorrentMissing(): string | null {
  try {
    const version = execFileSync(PYTHON, ['-c', 'import libtorrent; print(libtorrent.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    console.log(`libtorrent interop: libtorrent-rasterbar ${version.trim()} (${PYTHON})`);
    return null;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const why = (e.stderr || e.message).trim().split('\n').pop();
    return `${PYTHON} cannot import libtorrent (apt-get install python3-libtorrent): ${why}`;
  }
}

const missing = libtorrentMissing();
const skip = missing !== null;
if (missing && process.env.CI !== 'true') {
  const banner = '!'.repeat(78);
  console.warn(`\n${banner}\n!!! LIBTORRENT INTEROP TESTS SKIPPED: ${missing}\n!!! Nothing was checked against a mainline DHT client. CI installs it.\n${banner}\n`);
}

interface LtItem {
  key: string;
  salt: string;
  seq: number;
  sig: string;
  /** `v` bencoded, as the signature covers it, in hex. */
  v: string;
  authoritative: boolean;
}
interface LtServed {
  served: Record<string, number>;
  getTargets: string[];
  errors: { from: string; q: string | null; code: number; msg: string }[];
  /** Addresses outside 127.0.0.1 that libtorrent's DHT sent to. */
  offLoopback: string[];
}

interface LtLive {
  /** libtorrent's routing table (dht_live_nodes): endpoints and node ids. */
  live: string[];
  liveIds: string[];
  /** Every endpoint that sent libtorrent a query so far: the node ids it used, its queries, and how many of them had `ro: 1`. */
  queriers: Record<string, { ids: string[]; queries: number; ro: number }>;
  /** Packets libtorrent's DHT sent, by address, since the previous request, over windowMs. */
  sentTo: Record<string, number>;
  /** Of them, libtorrent's own queries (pings, searches), not answers. */
  queriedTo: Record<string, number>;
  windowMs: number;
}

/** One run of fixtures/libtorrent-node.py: its JSON lines, waited for by key. */
class LibtorrentNode {
  readonly child: ChildProcess;
  readonly events: Record<string, unknown>[] = [];
  stderr = '';
  readonly exited: Promise<number | null>;
  private waiters: { key: string; resolve: (e: Record<string, unknown>) => void }[] = [];

  constructor(args: string[]) {
    // stdin stays open: the script stops when it closes.
    this.child = spawn(PYTHON, [SCRIPT, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(line) as Record<string, unknown>;
      } catch {
        this.stderr += `(not JSON on stdout) ${line}\n`;
        return;
      }
      this.events.push(event);
      this.waiters = this.waiters.filter((w) => (w.key in event ? (w.resolve(event), false) : true));
    });
    // 'close', not 'exit': stdout is read to its end by then, last line included.
    this.exited = new Promise((resolve) => this.child.once('close', (code) => resolve(code)));
  }

  /** The first event with `key` (from the `from`-th on); fails on an {"error"} event, an exit or a timeout. */
  waitFor(key: string, timeoutMs: number, from = 0): Promise<Record<string, unknown>> {
    const failed = this.events.find((e) => 'error' in e);
    if (failed) return Promise.reject(new Error(`libtorrent-node: ${String(failed.error)}`));
    const seen = this.events.slice(from).find((e) => key in e);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`libtorrent-node printed no "${key}" within ${timeoutMs} ms; events: ${JSON.stringify(this.events)}; stderr: ${this.stderr.trim()}`)), timeoutMs);
      const done = (e: Record<string, unknown>) => {
        clearTimeout(timer);
        if ('error' in e) reject(new Error(`libtorrent-node: ${String(e.error)}`));
        else resolve(e);
      };
      this.waiters.push({ key, resolve: done }, { key: 'error', resolve: done });
      void this.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`libtorrent-node exited (${code}) before printing "${key}"; events: ${JSON.stringify(this.events)}; stderr: ${this.stderr.trim()}`));
      });
    });
  }

  /** libtorrent's routing table now, who queried it, and what it sent where since the previous call. */
  async live(timeoutMs = 5000): Promise<LtLive> {
    const from = this.events.length;
    this.child.stdin!.write('live\n');
    return (await this.waitFor('live', timeoutMs, from)) as unknown as LtLive;
  }

  /** Closes stdin (the script's signal to stop), then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 5000): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.stdin!.end();
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      const code = await this.exited;
      clearTimeout(timer);
      return code;
    }
    return this.exited;
  }
}

/** BEP 44: ed25519 over "4:salt<len>:<salt>3:seqi<seq>e1:v<bencoded v>" (salt part only when not empty). */
function bep44Verify(publicKeyHex: string, salt: Buffer, seq: number, vBencoded: Buffer, sigHex: string): boolean {
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKeyHex, 'hex').toString('base64url') }, format: 'jwk' });
  const signed = Buffer.concat([salt.length > 0 ? Buffer.from(`4:salt${salt.length}:`) : Buffer.alloc(0), salt, Buffer.from(`3:seqi${seq}e1:v`), vBencoded]);
  return verify(null, signed, key, Buffer.from(sigHex, 'hex'));
}

/** The bytes of a bencoded byte string ("<len>:<bytes>"), or null when it is not exactly one. */
function bencodedString(b: Buffer): Buffer | null {
  const colon = b.indexOf(0x3a);
  if (colon < 1 || !/^(0|[1-9]\d*)$/.test(b.subarray(0, colon).toString('latin1'))) return null;
  const len = Number(b.subarray(0, colon).toString('latin1'));
  return b.length === colon + 1 + len ? b.subarray(colon + 1) : null;
}

async function run(args: string[], timeoutMs = 20_000) {
  const c = new ChildCli(args);
  procs.push(c);
  const timer = setTimeout(() => c.child.kill('SIGKILL'), timeoutMs);
  const code = await c.exited;
  clearTimeout(timer);
  return { code, stdout: c.stdoutLines.join('\n'), stderr: c.stderr };
}

const procs: ChildCli[] = [];
/** The DHT ports of the rounds' libtorrent sessions (stopped at each round's end). */
const roundLtPorts: number[] = [];
/** In-process DHT nodes (the BEP 43 control), stopped in afterAll too. */
const nodes: DhtNode[] = [];
const libtorrents: LibtorrentNode[] = [];
let dir: string;
let bootstrap: string;
let pubkey: string;
let publishedSeq: number;
let publisher: ChildCli;
/** Per round: ms from libtorrent's get to its first verified item, and from a fresh session. */
const times: { get: number; session: number; bootstrapped: number }[] = [];
/** Per round: the queries libtorrent answered for p2p-node's processes, by method. */
const servedLog: string[] = [];

describe.skipIf(skip)('libtorrent-rasterbar reads p2p-node records (BEP 44) and routes p2p-node lookups', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'p2p-node-libtorrent-'));
    const first = new ChildCli(['bootstrap', '--host', HOST, '--port', '0']);
    procs.push(first);
    const addr = (await first.waitForLine(/^ready (\S+)/, 15_000))[1]!;
    const rest = Array.from({ length: DHT_SIZE - 1 }, () => new ChildCli(['bootstrap', '--host', HOST, '--port', '0', '--bootstrap', addr]));
    procs.push(...rest);
    const addrs = await Promise.all(rest.map(async (c) => (await c.waitForLine(/^ready (\S+)/, 15_000))[1]!));
    bootstrap = [addr, ...addrs].join(',');

    const keyFile = join(dir, 'k.json');
    const keygen = await run(['keygen', '--out', keyFile]);
    expect(keygen.code, keygen.stderr).toBe(0);
    pubkey = keygen.stdout.trim();
    publisher = new ChildCli(['publish', '--key', keyFile, '--bootstrap', bootstrap, '--host', HOST, '--tcp-port', String(TCP_PORT)]);
    procs.push(publisher);
    const published = await publisher.waitForLine(/^published ([0-9a-f]{64}) seq (\d+) on (\d+) nodes/, 15_000);
    expect(published[1]).toBe(pubkey);
    expect(Number(published[3])).toBeGreaterThan(0);
    publishedSeq = Number(published[2]);
  });

  afterAll(async () => {
    // Everything this file started, by its own handle (PID), even after a failure.
    await Promise.all([...libtorrents.map((l) => l.stop()), ...procs.map((c) => c.stop()), ...nodes.map((n) => n.stop())]);
    if (dir) await rm(dir, { recursive: true, force: true });
    if (times.length > 0) {
      const list = (k: 'get' | 'session' | 'bootstrapped') => times.map((t) => t[k]).join(', ');
      console.log(
        `libtorrent interop: first verified item after ${list('get')} ms (from libtorrent's get; ${list('session')} ms from a fresh session, ` +
          `its routing table filled after ${list('bootstrapped')} ms) over ${times.length} of ${ROUNDS} rounds`,
      );
    }
    if (servedLog.length > 0) console.log(`libtorrent interop: queries libtorrent answered, per round: ${servedLog.join('; ')}`);
  });

  for (let round = 1; round <= ROUNDS; round++) {
    it(`round ${round}: a fresh libtorrent session finds and verifies the item, and a p2p-node lookup through it alone finds the record`, async () => {
      const salt = Buffer.from(RECORD_SALT);
      const lt = new LibtorrentNode(['--bootstrap', bootstrap, '--pubkey', pubkey, '--salt', salt.toString('utf8'), '--lifetime', '60']);
      libtorrents.push(lt);
      const ltPort = Number((await lt.waitFor('ready', 15_000)).ready);
      expect(ltPort).toBeGreaterThan(0);
      roundLtPorts.push(ltPort);
      const boot = await lt.waitFor('bootstrapped', 15_000);
      const got = await lt.waitFor('item', 20_000);
      const item = got.item as LtItem;

      // What libtorrent reports is the publisher's item, signed by its key.
      expect(item.key).toBe(pubkey);
      expect(Buffer.from(item.salt, 'hex').equals(salt)).toBe(true);
      expect(item.seq).toBe(publishedSeq);
      const v = Buffer.from(item.v, 'hex');
      expect(bep44Verify(pubkey, salt, item.seq, v, item.sig), 'ed25519 over the BEP 44 signed bytes').toBe(true);
      // The check can fail: one flipped byte of v, or another seq, breaks it.
      const flipped = Buffer.from(v);
      flipped[flipped.length - 1]! ^= 1;
      expect(bep44Verify(pubkey, salt, item.seq, flipped, item.sig)).toBe(false);
      expect(bep44Verify(pubkey, salt, item.seq + 1, v, item.sig)).toBe(false);
      // And v is the record: p2p-node's PeerRecord naming the publisher's key and port.
      const raw = bencodedString(v);
      expect(raw, 'v is one bencoded byte string').not.toBeNull();
      const rec = p2pnode.PeerRecord.decode(raw!);
      expect(Buffer.from(rec.publicKey).toString('hex')).toBe(pubkey);
      expect(rec.lanEndpoints.map((e, i) => formatHostPort(endpointFromWire(e, `LAN endpoint ${i}`)))).toContain(`${HOST}:${TCP_PORT}`);
      times.push({ get: Number(got.ms), session: Number(got.sinceStartMs), bootstrapped: Number(boot.bootstrapped) });

      // libtorrent as the lookup's only entry point: it must route the lookup to the storers.
      const found = await run(['lookup', pubkey, '--bootstrap', `${HOST}:${ltPort}`, '--json', '--no-seen', '--timeout', '10000']);
      expect(found.code, found.stderr).toBe(0);
      const looked = JSON.parse(found.stdout) as { publicKey: string; seq: number; lanEndpoints: string[] };
      expect(looked.publicKey).toBe(pubkey);
      expect(looked.seq).toBe(publishedSeq);
      expect(looked.lanEndpoints).toContain(`${HOST}:${TCP_PORT}`);

      expect(await lt.stop()).toBe(0);
      const served = (await lt.waitFor('served', 1000)) as unknown as LtServed;
      expect(served.offLoopback, 'libtorrent sent DHT packets off loopback').toEqual([]);
      servedLog.push(Object.entries(served.served).map(([q, n]) => `${q} ${n}`).join(', '));
      // The lookup really asked libtorrent for the record's target.
      expect(served.getTargets).toContain(mutableTarget(Buffer.from(pubkey, 'hex'), salt).toString('hex'));
      // libtorrent answered every standard query from p2p-node without an error; p2p-node's
      // own extensions (p2p_node_*) are unknown to it, and an error answer to them is expected.
      if (served.errors.length > 0) console.warn(`libtorrent interop: round ${round}: libtorrent answered errors: ${JSON.stringify(served.errors)}`);
      expect(served.errors.filter((e) => !e.q?.startsWith('p2p_node_'))).toEqual([]);
    }, 60_000);
  }

  // BEP 43. One-shot CLI nodes (lookup, publish, dial) mark every query `ro: 1`,
  // so that no routing table keeps their ports once they exit. Checked with a
  // node nobody here wrote: libtorrent, joined to the p2p-node DHT, is the
  // only entry point of RO_LOOKUPS lookups; its routing table (dht_live_nodes)
  // must hold none of them, while it holds the bootstrap nodes (the read works)
  // and, as the control, an in-process DhtNode without the flag that did the
  // same lookup.
  it(`BEP 43: ${RO_LOOKUPS} read-only \`p2p-node lookup\`s through libtorrent leave no port in its routing table, a node without ro does`, async () => {
    const salt = Buffer.from(RECORD_SALT);
    const lt = new LibtorrentNode(['--bootstrap', bootstrap, '--pubkey', pubkey, '--salt', salt.toString('utf8'), '--lifetime', '120']);
    libtorrents.push(lt);
    const ltPort = Number((await lt.waitFor('ready', 15_000)).ready);
    await lt.waitFor('bootstrapped', 15_000);
    // libtorrent has walked to the storers: it is in the DHT, and it can route a lookup to them.
    await lt.waitFor('item', 20_000);
    const ep = (port: number) => `${HOST}:${port}`;
    const bootstrapEps = bootstrap.split(',');
    const before = await lt.live();
    for (const b of bootstrapEps) expect(before.live, 'the bootstrap nodes are in libtorrent\'s table (the read works)').toContain(b);

    const codes: Array<number | null> = [];
    for (let i = 0; i < RO_LOOKUPS; i += RO_AT_ONCE) {
      const batch = Array.from({ length: Math.min(RO_AT_ONCE, RO_LOOKUPS - i) }, () =>
        run(['lookup', pubkey, '--bootstrap', ep(ltPort), '--json', '--no-seen', '--timeout', '10000']),
      );
      for (const found of await Promise.all(batch)) {
        codes.push(found.code);
        expect(found.code, found.stderr).toBe(0);
        expect((JSON.parse(found.stdout) as { seq: number }).seq).toBe(publishedSeq);
      }
    }
    expect(codes).toEqual(Array(RO_LOOKUPS).fill(0));

    // Right after the last lookup exited: whom libtorrent heard from, and its table.
    const after = await lt.live();
    const known = new Set([...bootstrapEps, ...Object.keys(before.queriers)]);
    const lookupQueriers = Object.entries(after.queriers).filter(([e]) => !known.has(e));
    const lookupEps = lookupQueriers.map(([e]) => e);
    const lookupIds = lookupQueriers.flatMap(([, q]) => q.ids);
    // Each lookup is a fresh node id; each asked libtorrent (its only entry point), every query read-only.
    // (An OS that hands a later lookup an earlier one's port merges two into one endpoint, never two ids.)
    expect(new Set(lookupIds).size, JSON.stringify(after.queriers)).toBe(RO_LOOKUPS);
    for (const [e, q] of lookupQueriers) expect(q.ro, `queries from ${e} without ro: 1`).toBe(q.queries);
    expect(after.live.filter((e) => lookupEps.includes(e)), 'lookup ports in libtorrent\'s routing table').toEqual([]);
    expect(after.liveIds.filter((id) => lookupIds.includes(id)), 'lookup node ids in libtorrent\'s routing table').toEqual([]);
    for (const b of bootstrapEps) expect(after.live).toContain(b);
    const sum = (counts: Record<string, number>, eps: string[]) => eps.reduce((n, e) => n + (counts[e] ?? 0), 0);
    const answered = sum(after.sentTo, lookupEps);
    // Nothing told libtorrent of them as contacts: it only answered them, never asked them anything.
    expect(sum(after.queriedTo, lookupEps), 'queries libtorrent sent to the lookups').toBe(0);

    // Then, with every lookup gone: libtorrent sends nothing to their dead ports, and does not learn them later.
    await sleep(RO_WATCH_MS);
    const watched = await lt.live();
    const toDead = Object.entries(watched.sentTo).filter(([e]) => lookupEps.includes(e));
    const deadPackets = toDead.reduce((n, [, c]) => n + c, 0);
    expect(toDead, `packets libtorrent sent to dead lookup ports in ${watched.windowMs} ms`).toEqual([]);
    expect(watched.live.filter((e) => lookupEps.includes(e))).toEqual([]);

    // The control: the same lookup by a node without the flag, through libtorrent alone. libtorrent must
    // keep its port (else the checks above could not fail), though it is as dead as the lookups' once stopped.
    const control = await DhtNode.start({ host: HOST, port: 0, bootstrap: [{ host: HOST, port: ltPort }] });
    nodes.push(control);
    const controlEp = ep(control.address().port);
    try {
      const record = await new RecordResolver(control).lookup(Buffer.from(pubkey, 'hex'));
      expect(record.seq).toBe(publishedSeq);
    } finally {
      await control.stop();
    }
    const withControl = await lt.live();
    const controlSent = withControl.sentTo[controlEp] ?? 0;
    const controlAsked = withControl.queriedTo[controlEp] ?? 0;
    const controlQueries = withControl.queriers[controlEp];
    expect(controlQueries?.queries, 'the control asked libtorrent').toBeGreaterThan(0);
    expect(controlQueries?.ro, 'the control\'s queries carry no ro').toBe(0);
    expect(withControl.live, 'libtorrent keeps the control (no ro) in its table').toContain(controlEp);
    // What libtorrent does with that dead entry: reported, not judged.
    await sleep(RO_WATCH_MS);
    const controlWatched = await lt.live();
    const toControl = controlWatched.sentTo[controlEp] ?? 0;
    const askedControl = controlWatched.queriedTo[controlEp] ?? 0;

    expect(await lt.stop()).toBe(0);
    const served = (await lt.waitFor('served', 1000)) as unknown as LtServed;
    expect(served.offLoopback, 'libtorrent sent DHT packets off loopback').toEqual([]);
    // The rest of its table: earlier rounds' libtorrent sessions (not read-only, so the bootstrap nodes kept them), now gone.
    const earlierLt = after.live.filter((e) => roundLtPorts.some((p) => ep(p) === e)).length;
    console.log(
      `libtorrent interop: BEP 43: ${RO_LOOKUPS} read-only lookups (${lookupEps.length} ports, ${lookupQueriers.reduce((n, [, q]) => n + q.queries, 0)} queries, all ro) ` +
        `left ${after.live.filter((e) => lookupEps.includes(e)).length} of their ports in libtorrent's table of ${after.live.length} ` +
        `(${bootstrapEps.length} bootstrap nodes, ${earlierLt} stopped libtorrent sessions of earlier rounds; ${watched.live.length} nodes ${watched.windowMs} ms later); libtorrent sent ${answered} packets to them while they ran, ${deadPackets} in the ${watched.windowMs} ms after; ` +
        `control without ro (${controlQueries?.queries} queries; libtorrent sent it ${controlSent} packets, ${controlAsked} of them queries, while it ran): ` +
        `in the table ${withControl.live.includes(controlEp) ? 'yes' : 'no'}, ${controlWatched.live.includes(controlEp) ? 'still' : 'no longer'} after ${controlWatched.windowMs} ms, ` +
        `in which libtorrent sent ${toControl} packets (${askedControl} queries) to its dead port`,
    );
  }, 120_000);
});

if (missing && process.env.CI === 'true') {
  it('runs in CI (CI=true: a missing libtorrent is a failure, never a skip)', () => {
    throw new Error(`CI=true but the libtorrent interop test cannot run: ${missing}`);
  });
}
