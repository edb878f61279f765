import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from './cli-path.js';
import { removeStaleNamespaces } from './cleanup.js';
import { ImpairedBox, type ImpairTarget } from './impair.js';
import { buildDelayq } from './lab.js';
import { newRunId } from './names.js';
import { nsExec } from './sh.js';
import { spawnInNs, stopAll, stopProcess, waitForLine, waitForStderr } from './procs.js';
import { buildTopology, destroyNamespaces, flushConntrack, type NatSpec, type Topology } from './topology.js';
import { startMiniupnpd, startStun, upnpUnavailable } from './upnp.js';
import { MAPPING_KINDS } from './nat-rules.js';

/*
 * The whole p2p-node path through real kernel NATs: `p2p-node bootstrap` on
 * the lab's public hosts (DHT node + introducer + TCP reflector), `p2p-node
 * listen --echo` behind one NAT and `p2p-node dial` behind another, each its
 * own process in its own namespace, exactly as a user runs them.
 */
const DHT_PORT = 6881;

export interface DialResult {
  ok: boolean;
  exitCode: number | null;
  /** SHA-256 of what came back equals what was sent. */
  intact: boolean;
  bytes: number;
  /** The end of the dial's stderr (its `p2p-node: ...` line on failure). */
  stderr: string;
  /** Wall time of the dial process, start to exit. */
  wallMs: number;
  /** The dial's --json stats (timings per phase, path, method), when it printed them. */
  stats?: { path: string; method: string; strategy: string; candidate: string; timings: Record<string, number> };
  error?: string;
}

export class DialLab {
  readonly topo: Topology;
  private boxes = new Map<string, ImpairedBox>();
  /** Delay on the public hosts themselves, so their distance from the peers is its own knob. */
  private publicBoxes: ImpairedBox<ImpairTarget>[] = [];
  private listeners: ChildProcess[] = [];
  private keys = 0;
  private inputs = 0;
  private dir = mkdtempSync(join(tmpdir(), 'p2p-dial-lab-'));
  private down: Promise<void> | undefined;

  constructor(private readonly log: (s: string) => void = () => undefined) {
    this.topo = { run: newRunId(), inet: '', reflectors: [], nats: new Map(), namespaces: [] };
  }

  get bootstrap(): string {
    return this.topo.reflectors.map((r) => `${r.ip}:${DHT_PORT}`).join(',');
  }

  /** `bootstrapArgs` go to every `p2p-node bootstrap` (e.g. relay limits for a bench). */
  async setUp(specs: NatSpec[], opts: { bootstrapArgs?: string[] } = {}): Promise<void> {
    const upnpMissing = specs.some((s) => MAPPING_KINDS.includes(s.kind)) ? upnpUnavailable() : undefined;
    if (upnpMissing) throw new Error(`the lab cannot build a upnp NAT box: ${upnpMissing}`);
    removeStaleNamespaces();
    buildDelayq();
    buildTopology(this.topo, specs);
    let seed = '';
    for (const r of this.topo.reflectors) {
      const args = ['bootstrap', '--host', r.ip, '--port', String(DHT_PORT), ...(seed ? ['--bootstrap', seed] : []), ...(opts.bootstrapArgs ?? [])];
      const child = spawnInNs(r.ns, process.execPath, [CLI, ...args]);
      await waitForLine(child, /^ready /, 15_000);
      seed = `${r.ip}:${DHT_PORT}`;
    }
    const upnpBoxes = [...this.topo.nats.values()].filter((b) => MAPPING_KINDS.includes(b.kind));
    if (upnpBoxes.length > 0) {
      const stun = this.topo.reflectors[0]!;
      await startStun(stun);
      for (const box of upnpBoxes) await startMiniupnpd(box, stun, this.dir);
    }
    for (const box of this.topo.nats.values()) this.boxes.set(box.name, await ImpairedBox.start(box));
    for (const r of this.topo.reflectors) this.publicBoxes.push(await ImpairedBox.start({ ns: r.ns, endpoint: true }));
    this.log(`dial lab ${this.topo.run}: ${this.topo.namespaces.length} namespaces, bootstrap ${this.bootstrap}`);
  }

  /**
   * One-way delay and loss between the peers, split over the two NAT boxes they
   * cross. A peer is then oneWayMs / 2 from a public host, unless
   * `publicOneWayMs` says otherwise: the public hosts make up the difference
   * (and two public hosts are twice that apart).
   */
  async impair(where: string[], oneWayMs: number, loss: number, opts: { publicOneWayMs?: number; passesPerPath?: number } = {}): Promise<void> {
    // Hosts are named `nat` or `nat#2`: the delay sits on their NAT boxes.
    const nats = where.map((w) => w.split('#')[0]!);
    // How many of these boxes one peer-to-peer path crosses (all of them, unless several pairs share the boxes).
    const passes = opts.passesPerPath ?? nats.length;
    // No peers named (a reset before another section): no delay anywhere.
    const natPassMs = passes > 0 ? oneWayMs / passes : 0;
    const publicPassMs = (opts.publicOneWayMs ?? natPassMs) - natPassMs;
    if (publicPassMs < 0) throw new Error(`a peer is at least ${natPassMs} ms from a public host here (its own NAT), not ${opts.publicOneWayMs}`);
    for (const [name, box] of this.boxes) {
      const on = nats.includes(name);
      await box.set(on ? { delayUs: natPassMs * 1000, loss: loss > 0 ? 1 - Math.pow(1 - loss, 1 / passes) : 0 } : { delayUs: 0, loss: 0 });
      flushConntrack(box.box);
    }
    for (const box of this.publicBoxes) await box.set({ delayUs: publicPassMs * 1000, loss: 0 });
  }

  /** Forgets the NAT state of one box (a fresh dialer finds no mapping left by the one before). */
  forget(nat: string): void {
    const box = this.topo.nats.get(nat);
    if (!box) throw new Error(`no NAT ${nat}`);
    flushConntrack(box);
  }

  /**
   * The host behind NAT `where` (the first, or the one `where` names as
   * `nat#2`), or the public host of that name (refl1, refl2: no NAT in front).
   */
  /**
   * Draws `where`'s local ports (TCP and UDP) from [low, high] only: two
   * hosts behind one NAT given the same range use the same port numbers at
   * once, and the NAT must map one of them elsewhere (CGN port overloading).
   */
  setLocalPortRange(where: string, low: number, high: number): void {
    nsExec(this.host(where).ns, 'sh', ['-c', `echo "${low} ${high}" > /proc/sys/net/ipv4/ip_local_port_range`]);
  }

  /**
   * Makes the circuit relay on public host `refl` (refl1, refl2) go silent:
   * its TCP port drops every packet, as a relay host that died would, while
   * its DHT node and introducer keep serving. `false` lets it through again.
   */
  silenceRelay(refl: string, silent: boolean): void {
    const ns = this.host(refl).ns;
    if (silent) nsExec(ns, 'nft', ['-f', '-'], { input: `table inet labrelaydown {\n  chain input {\n    type filter hook input priority 0;\n    tcp dport ${DHT_PORT + 1} drop\n  }\n}\n` });
    else nsExec(ns, 'nft', ['delete', 'table', 'inet', 'labrelaydown']);
  }

  /** The TCP endpoint of the circuit relay on public host `refl`. */
  relayOf(refl: string): string {
    const r = this.topo.reflectors.find((x) => x.name === refl);
    if (!r) throw new Error(`no public host ${refl}`);
    return `${r.ip}:${DHT_PORT + 1}`;
  }

  host(where: string, index = 1): { name: string; ns: string } {
    const [nat, hash] = where.split('#');
    if (hash !== undefined) index = Number(hash);
    const h = this.topo.nats.get(nat!)?.hosts[index - 1] ?? this.topo.reflectors.find((r) => r.name === where);
    if (!h) throw new Error(`no host ${index} behind ${where}`);
    return h;
  }

  /** A fresh key file made by `p2p-node keygen` on `where`; nothing is published for it. */
  newKey(where: string): { publicKey: string; keyFile: string } {
    const h = this.host(where);
    const keyFile = join(this.dir, `${h.name}-${this.keys++}.key`);
    return { publicKey: nsExec(h.ns, process.execPath, [CLI, 'keygen', '--out', keyFile]).trim(), keyFile };
  }

  /** Runs any `p2p-node` verb on `where` as a long-lived process (stopped by tearDown). */
  spawnCli(where: string, args: string[], nodeFlags: string[] = []): ChildProcess {
    return spawnInNs(this.host(where).ns, process.execPath, [...nodeFlags, CLI, ...args]);
  }

  /**
   * Starts `p2p-node listen --echo` behind `nat`; resolves with its public
   * key once it is listening (and, behind a upnp box, once its port is mapped).
   */
  async startListener(nat: string, extra: string[] = []): Promise<{ publicKey: string; child: ChildProcess; stderr: string }> {
    const { publicKey, keyFile } = this.newKey(nat);
    const child = this.spawnCli(nat, ['listen', '--echo', '--key', keyFile, '--bootstrap', this.bootstrap, ...extra]);
    this.listeners.push(child);
    const mapping = MAPPING_KINDS.includes(this.topo.nats.get(nat.split('#')[0]!)?.kind ?? 'pp') && !extra.includes('--no-port-mapping');
    const ready = mapping ? /^listening as [\s\S]*^listen: port mapped by |^listen: port mapped by [\s\S]*^listening as /m : /^listening as /m;
    const stderr = await waitForStderr(child, ready, 30_000);
    return { publicKey, child, stderr };
  }

  /**
   * What a TCP connect from `from`'s host to a server on `to`'s host over
   * IPv6 gets, with nothing sent the other way first: 'blocked' (the
   * firewall dropped it), 'open' or the error. The server is checked from
   * its own host first, so 'blocked' cannot mean "nothing listened".
   */
  async unsolicitedIpv6(from: string, to: string): Promise<{ fromOutside: string; fromItself: string }> {
    const target = this.host(to);
    const v6 = this.topo.nats.get(to.split('#')[0]!)?.hosts.find((h) => h.ns === target.ns)?.ipv6;
    if (!v6) throw new Error(`${to} has no IPv6 address`);
    const server = spawnInNs(target.ns, process.execPath, ['-e', "require('net').createServer((s) => s.end('x')).listen(5999, '::', () => console.log('ready'))"]);
    try {
      await waitForLine(server, /^ready$/, 5_000);
      const probe = (ns: string) =>
        nsExec(ns, process.execPath, ['-e', `const s = require('net').connect({ host: '${v6}', port: 5999 }); s.setTimeout(2000, () => { console.log('blocked'); process.exit(0); }); s.on('connect', () => { console.log('open'); process.exit(0); }); s.on('error', (e) => { console.log(e.code); process.exit(0); });`], { timeoutMs: 10_000 }).trim();
      return { fromItself: probe(target.ns), fromOutside: probe(this.host(from).ns) };
    } finally {
      await stopProcess(server);
    }
  }

  /** Runs one `p2p-node dial --json` behind `nat`, pipes `bytes` random bytes through the echo, checks them. */
  async dial(nat: string, publicKey: string, bytes: number, timeoutMs = 120_000, extra: string[] = []): Promise<DialResult> {
    const h = this.host(nat);
    const payload = randomBytes(bytes);
    // One file per dial: dials may run at once (two hosts behind one NAT), each with its own payload.
    const input = join(this.dir, `in-${this.inputs++}`);
    writeFileSync(input, payload);
    const sent = createHash('sha256').update(payload).digest('hex');
    const t0 = performance.now();
    const child = spawnInNs(h.ns, 'sh', ['-c', `exec "$0" "$@" < "${input}"`, process.execPath, CLI, 'dial', publicKey, '--bootstrap', this.bootstrap, '--json', ...extra]);
    const got = createHash('sha256');
    let received = 0;
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => {
      got.update(d);
      received += d.length;
    });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => void stopProcess(child), timeoutMs);
    // 'close', not 'exit': the pipes may still hold the last bytes at exit, and the stats line is written last.
    const exitCode = await new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    clearTimeout(timer);
    const wallMs = performance.now() - t0;
    rmSync(input, { force: true });
    const stats = statsLine(stderr);
    const intact = received === bytes && got.digest('hex') === sent;
    const ok = exitCode === 0 && intact;
    return {
      ok,
      exitCode,
      intact,
      bytes: received,
      wallMs,
      stderr: stderr.trim().slice(-800),
      ...(stats ? { stats } : {}),
      ...(ok ? {} : { error: stderr.split('\n').filter((l) => /p2p-node:|error|failed/i.test(l)).slice(-2).join(' | ') || `exit ${exitCode}, ${received}/${bytes} bytes` }),
    };
  }

  async stopListeners(): Promise<void> {
    await Promise.all(this.listeners.map((c) => stopProcess(c, 3_000)));
    this.listeners = [];
  }

  /** Stops every process and removes every namespace; safe to call twice. */
  tearDown(): Promise<void> {
    this.down ??= (async () => {
      await stopAll();
      const failed = destroyNamespaces(this.topo.namespaces);
      this.topo.namespaces = failed;
      rmSync(this.dir, { recursive: true, force: true });
      if (failed.length) this.log(`could not remove: ${failed.join(', ')}`);
    })();
    return this.down;
  }
}

/** The dial's `--json` stats: its line on stderr, or undefined when there is none or it does not parse (a failed dial, not a failed cell). */
function statsLine(stderr: string): DialResult['stats'] | undefined {
  const line = stderr.split('\n').find((l) => l.startsWith('{'));
  try {
    return line ? (JSON.parse(line) as DialResult['stats']) : undefined;
  } catch {
    return undefined;
  }
}
