/*
 * `pnpm lab:dial`: `p2p-node dial` -> `p2p-node listen --echo` through real
 * NATs, as separate processes, for each NAT pair and link condition; prints
 * the table and exits non-zero when a cell falls short of every trial.
 *
 * Options: --trials N (20), --bytes N (1 MiB per trial), --big-bytes N (100 MiB
 * once per cell; 0 skips), --big-on all|undelayed|lossless, --pairs pp-pp,pp-rst, --json FILE,
 * --conditions none,d25,d25l5 (each in the order given, a repeated one run again: to chase a flaky cell),
 * --failures on|off|only (on: after the table, each failure exit through the
 * lab, see dial-failures.ts; only: just those).
 */
import { writeFileSync } from 'node:fs';
import { DialLab, type DialResult } from './dial-lab.js';
import { FAILURE_NATS, runFailures, type FailureRow } from './dial-failures.js';
import { labUnavailable } from './lab.js';
import { median, percentile } from './stats.js';
import { MAPPING_KINDS, type NatKind } from './nat-rules.js';
import type { NatSpec } from './topology.js';
import { mappedPorts } from './upnp.js';

interface Pair {
  id: string;
  label: string;
  dialer: string;
  listener: string;
  /** The path every dial of the pair must take: direct (or LAN) where a punch can work, relayed where none can. */
  path?: 'relayed';
  /** The method every direct dial must win by: the listener's mapped port (upnp box), or IPv6 (both behind IPv6 firewalls). */
  method?: 'port-mapped' | 'ipv6';
  /** A second dial run at the same moment as every trial's, from another host (behind the same NAT) to another listener. */
  alongside?: { dialer: string; listener: string };
  /** Both dialers draw their local ports from this one range, so they often hold the same port numbers at once. */
  sharedPortRange?: [low: number, high: number];
  /** Why a direct pair's dial may also end relayed without loss (the relay is then the right answer, not a failure). */
  mayRelay?: string;
  /** The public host whose relay is silenced for the cell (the listener's first relay): every dial must meet at the next one. */
  relayDown?: string;
  /** Extra `p2p-node dial` options for every dial of the pair. */
  dialArgs?: string[];
}
const PAIRS: Pair[] = [
  { id: 'pp-pp', label: 'port-preserving -> port-preserving', dialer: 'pp1', listener: 'pp2' },
  { id: 'pp-rst', label: 'port-preserving -> RST-answering', dialer: 'pp1', listener: 'rst1' },
  // Beyond what the test suite runs by default (--pairs selects them):
  { id: 'rst-rst', label: 'RST-answering -> RST-answering', dialer: 'rst1', listener: 'rst2' },
  { id: 'pp-seq', label: 'port-preserving -> sequential', dialer: 'pp1', listener: 'seq1' },
  { id: 'seq-pp', label: 'sequential -> port-preserving', dialer: 'seq1', listener: 'pp2' },
  { id: 'pp-rand', label: 'port-preserving -> random', dialer: 'pp1', listener: 'rand1' },
  { id: 'rand-pp', label: 'random -> port-preserving', dialer: 'rand1', listener: 'pp2' },
  // Two hosts behind one hairpinning NAT: LAN candidates win (the delay sits on the NAT box, which a LAN path does not cross).
  { id: 'same-nat', label: 'both behind one NAT (hairpin box)', dialer: 'hp#2', listener: 'hp' },
  // CGN port overloading: two hosts behind one port-preserving NAT dial two peers at the same moment, their
  // local ports drawn from one shared 64-port range, so the NAT often has to map one of two equal ports elsewhere.
  {
    id: 'cgn',
    label: 'CGN: 2 hosts behind one NAT dial at once, same local port range',
    dialer: 'pp3',
    listener: 'pp2',
    alongside: { dialer: 'pp3#2', listener: 'pp1' },
    sharedPortRange: [45000, 45063],
    // Seen here: 3 of 50 such dials at 25 ms, none with ports from the whole range.
    mayRelay: 'the NAT mapped a port both hosts held to another number, so the punch missed and the relay joined them',
  },
  // No port prediction can meet: the dial goes through a bootstrap node's relay at once.
  { id: 'rand-rand', label: 'random -> random (relay)', dialer: 'rand1', listener: 'rand2', path: 'relayed' },
  { id: 'seq-rand', label: 'sequential -> random (relay)', dialer: 'seq1', listener: 'rand1', path: 'relayed' },
  { id: 'rand-seq', label: 'random -> sequential (relay)', dialer: 'rand1', listener: 'seq1', path: 'relayed' },
  // The listener's first relay gone silent (its host drops the relay port): both ends take its second relay.
  { id: 'rand-rand-relay2', label: 'random -> random, first relay silent (second relay)', dialer: 'rand1', listener: 'rand2', path: 'relayed', relayDown: 'refl1' },
  // NAT444: a port-preserving home NAT (n4X) behind a carrier NAT of kind X (cgX); the profile sees both layers as one.
  { id: 'n4pp-pp', label: 'home pp behind carrier pp -> port-preserving', dialer: 'n4pp', listener: 'pp2' },
  { id: 'n4seq-pp', label: 'home pp behind carrier sequential -> port-preserving', dialer: 'n4seq', listener: 'pp2' },
  { id: 'n4rand-pp', label: 'home pp behind carrier random -> port-preserving (birthday)', dialer: 'n4rand', listener: 'pp2' },
  { id: 'pp-n4rand', label: 'port-preserving -> home pp behind carrier random (birthday)', dialer: 'pp1', listener: 'n4rand' },
  { id: 'n4rand-rand', label: 'home pp behind carrier random -> random (relay)', dialer: 'n4rand', listener: 'rand2', path: 'relayed' },
  // A home NAT that is not port-preserving (Hn4X: home of kind H behind carrier cgX): the outer layer keeps what the inner one does.
  { id: 'seqn4pp-pp', label: 'home sequential behind carrier pp -> port-preserving', dialer: 'seqn4pp', listener: 'pp2' },
  { id: 'randn4pp-pp', label: 'home random behind carrier pp -> port-preserving (birthday)', dialer: 'randn4pp', listener: 'pp2' },
  { id: 'randn4rand-pp', label: 'home random behind carrier random -> port-preserving (birthday)', dialer: 'randn4rand', listener: 'pp2' },
  { id: 'seqn4seq-pp', label: 'home sequential behind carrier sequential -> port-preserving', dialer: 'seqn4seq', listener: 'pp2' },
  { id: 'pp-randn4pp', label: 'port-preserving -> home random behind carrier pp (birthday)', dialer: 'pp1', listener: 'randn4pp' },
  { id: 'randn4pp-rand', label: 'home random behind carrier pp -> random (relay)', dialer: 'randn4pp', listener: 'rand2', path: 'relayed' },
  // A random NAT running miniupnpd: the listener asks it for a port (UPnP-IGD or NAT-PMP) and is dialed there, not relayed.
  { id: 'pp-upnp', label: 'port-preserving -> random with a mapped port (UPnP/NAT-PMP)', dialer: 'pp1', listener: 'upnp1', method: 'port-mapped' },
  { id: 'rand-upnp', label: 'random -> random with a mapped port (UPnP/NAT-PMP)', dialer: 'rand1', listener: 'upnp1', method: 'port-mapped' },
  { id: 'rand-igd', label: 'random -> random with a mapped port (UPnP-IGD only)', dialer: 'rand1', listener: 'igd1', method: 'port-mapped' },
  // The dialer's NAT maps a port on request (dial --port-mapping): the random listener connects to it instead of meeting at the relay.
  { id: 'upnp-rand', label: 'random with a mapped port (dial --port-mapping) -> random', dialer: 'upnp1', listener: 'rand1', method: 'port-mapped', dialArgs: ['--port-mapping'] },
  // Global IPv6 behind stateful firewalls (v6X: a box of kind X that also routes IPv6): IPv4 alone could only relay these.
  { id: 'v6-v6', label: 'random + IPv6 -> random + IPv6 (IPv6 firewalls)', dialer: 'v6rand1', listener: 'v6rand2', method: 'ipv6' },
  // Both IPv4 NATs port-preserving: an IPv4 punch would work too, and IPv6 is preferred.
  { id: 'v6pp-v6pp', label: 'port-preserving + IPv6 -> port-preserving + IPv6 (IPv6 preferred)', dialer: 'v6pp1', listener: 'v6pp2', method: 'ipv6' },
  { id: 'v6-rand', label: 'random + IPv6 -> random, IPv4 only (relay)', dialer: 'v6rand1', listener: 'rand2', path: 'relayed' },
];
const DEFAULT_PAIRS = 'pp-pp,pp-rst';
const CONDITIONS = [
  { id: 'none', label: 'no delay', oneWayMs: 0, loss: 0 },
  { id: 'd25', label: '25 ms one-way', oneWayMs: 25, loss: 0 },
  { id: 'd25l5', label: '25 ms + 5% loss', oneWayMs: 25, loss: 0.05 },
];
type Condition = (typeof CONDITIONS)[number];

export interface DialCell {
  pair: string;
  condition: string;
  trials: number;
  successes: number;
  direct: number;
  /** Dials that took the pair's expected path (direct or LAN, or relayed for pairs no punch can join). */
  onPath: number;
  expectedPath: 'direct' | 'relayed';
  /** Dials that went through a relay (for a direct pair: the punch lost the race to the relay). */
  relayed: number;
  /** Direct dials won by the pair's method (port-mapped, ipv6), if it names one. */
  onMethod: number;
  /** For an IPv6 pair: a connect from the dialer's host to the listener's over IPv6 with nothing sent first (must be 'blocked': a real firewall). */
  unsolicitedIpv6?: { fromOutside: string; fromItself: string };
  /** With a silenced relay: the dials that still named it as their path (must be none). */
  viaSilencedRelay?: number;
  /** Behind a upnp box: the ports miniupnpd forwarded while the listener ran, and after it stopped (must be none). */
  mappings?: { whileListening: number[]; afterStop: number[] };
  /** Behind a upnp box on the dialer side: ports miniupnpd still forwards once the dials ended (must be none). */
  dialerMappingsLeft?: number[];
  medianMs: number;
  p95Ms: number;
  phases: Record<string, number>;
  bytes: number;
  failures: string[];
  /** The one large echo of the cell: intact or not (null when not run), and its wall time. */
  bigIntact: boolean | null;
  bigMs: number | null;
  pass: boolean;
}

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : dflt;
};

async function main(): Promise<number> {
  const why = labUnavailable();
  if (why) {
    console.error(`lab:dial cannot run: ${why}`);
    return 2;
  }
  const trials = Number(arg('trials', '20'));
  const bytes = Number(arg('bytes', String(1 << 20)));
  const bigBytes = Number(arg('big-bytes', String(100 << 20)));
  const bigOn = arg('big-on', 'all');
  const failuresArg = arg('failures', 'on');
  const wanted = failuresArg === 'only' ? [] : arg('pairs', DEFAULT_PAIRS).split(',');
  const pairs = PAIRS.filter((p) => wanted.includes(p.id));
  const conditions = arg('conditions', CONDITIONS.map((c) => c.id).join(',')).split(',').map((id) => CONDITIONS.find((c) => c.id === id));
  if (conditions.includes(undefined)) {
    console.error(`lab:dial: --conditions takes ${CONDITIONS.map((c) => c.id).join(', ')}`);
    return 2;
  }
  const lab = new DialLab((s) => console.log(s));
  const onSignal = () => void lab.tearDown().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const cells: DialCell[] = [];
  let failures: FailureRow[] = [];
  // What stopped the run before its end (the lab would not build, say): written to the JSON and printed, never lost.
  let stopped: string | null = null;
  try {
    const wanted = [...pairs.flatMap((p) => [p.dialer, p.listener, ...(p.alongside ? [p.alongside.dialer, p.alongside.listener] : [])]), ...(failuresArg === 'off' ? [] : FAILURE_NATS.map((n) => n.name))];
    // `hp#2` is the second host behind box `hp`: a box gets as many hosts as its highest index.
    const hosts = new Map<string, number>();
    for (const w of wanted) {
      const [name, index] = w.split('#');
      hosts.set(name!, Math.max(hosts.get(name!) ?? 1, Number(index ?? 1)));
    }
    await lab.setUp(natSpecs(hosts));
    if (pairs.length) await dialTable(lab, pairs, cells, { trials, bytes, bigBytes, bigOn, conditions: conditions as Condition[] });
    if (failuresArg !== 'off') failures = await failureTable(lab);
  } catch (err) {
    stopped = (err as Error).stack ?? String(err);
    console.log(`lab:dial: stopped early: ${stopped}`);
  } finally {
    await lab.tearDown();
  }
  const json = arg('json', '');
  if (json) writeFileSync(json, JSON.stringify({ cells, failures, stopped }, null, 2));
  const short = cells.filter((c) => !c.pass);
  const wrong = failures.filter((f) => !f.pass);
  if (pairs.length) console.log(short.length ? `lab:dial: ${short.length} cell(s) fell short` : 'lab:dial: every cell connected in every trial');
  if (failures.length) console.log(wrong.length ? `lab:dial: ${wrong.length} failure case(s) did not end as they must` : 'lab:dial: every failure case ended with its exit code');
  return short.length || wrong.length || stopped ? 1 : 0;
}

/**
 * The NAT boxes for the hosts wanted: a name's kind is the name without its
 * digits (`hp` is the hairpin box); `v6X` is a box of kind X that also
 * routes global IPv6 behind a stateful firewall; `n4X` is a port-preserving home NAT
 * behind carrier box `cgX` of kind X, built first, and `Hn4X` the same with a
 * home NAT of kind H (seq, rand).
 */
function natSpecs(hosts: Map<string, number>): NatSpec[] {
  const kindOf = (name: string) => (name === 'hp' ? 'hairpin' : name.replace(/\d+$/, '')) as NatKind;
  const carriers: NatSpec[] = [];
  const boxes: NatSpec[] = [];
  for (const [name, n] of hosts) {
    const layered = /^(seq|rand)?n4([a-z]+)$/.exec(name);
    const dual = /^v6([a-z]+\d*)$/.exec(name);
    if (dual) {
      boxes.push({ name, kind: kindOf(dual[1]!), hosts: n, ipv6: true });
      continue;
    }
    if (!layered) {
      boxes.push({ name, kind: kindOf(name), hosts: n });
      continue;
    }
    const carrier = `cg${layered[2]}`;
    if (!carriers.some((c) => c.name === carrier)) carriers.push({ name: carrier, kind: layered[2] as NatKind, hosts: 0 });
    boxes.push({ name, kind: (layered[1] ?? 'pp') as NatKind, hosts: n, behind: carrier });
  }
  return [...carriers, ...boxes];
}

async function failureTable(lab: DialLab): Promise<FailureRow[]> {
  await lab.impair([], 0, 0);
  console.log('\n| failure | case | exit (want) | dial ms | stderr |');
  console.log('|---|---|---|---|---|');
  const rows = await runFailures(lab);
  for (const r of rows) console.log(`| ${r.id} | ${r.label} | ${r.exitCode} (${r.wantExit})${r.pass ? '' : ' FAILED'} | ${r.wallMs} | ${r.stderr.replace(/\|/g, '/')} |`);
  return rows;
}

interface CellOptions {
  trials: number;
  bytes: number;
  bigBytes: number;
  bigOn: string;
  conditions: Condition[];
}

async function dialTable(lab: DialLab, pairs: Pair[], cells: DialCell[], o: CellOptions): Promise<void> {
  console.log(`| pair | condition | connected | on its path (direct; port-mapped behind a upnp box; relayed where no punch works) | median ms | p95 ms | lookup / profile / signal / punch / open (median ms) | bytes echoed intact |`);
  console.log('|---|---|---|---|---|---|---|---|');
  for (const pair of pairs) {
    for (const cond of o.conditions) {
      try {
        await dialCell(lab, pair, cond, cells, o);
      } catch (err) {
        // One cell that could not run (a listener that never came up) fails that cell, not the whole table.
        const why = `cell aborted: ${(err as Error).message}`;
        console.log(`| ${pair.label} | ${cond.label} | ${why} |`);
        cells.push({ ...cell(pair, cond.label, [], undefined, cond.loss > 0), failures: [why], pass: false });
        await lab.stopListeners();
      }
    }
  }
}

/** One cell: a fresh listener behind the pair's NAT, `trials` dials back to back, the optional large echo, and the pair's own checks. */
async function dialCell(lab: DialLab, pair: Pair, cond: Condition, cells: DialCell[], o: CellOptions): Promise<void> {
  const { trials, bytes, bigBytes, bigOn } = o;
  const along = pair.alongside;
  // Each path crosses two boxes (the dialers' shared one and its listener's), whatever the alongside pair adds.
  await lab.impair([pair.dialer, pair.listener, ...(along ? [along.listener] : [])], cond.oneWayMs, cond.loss, { passesPerPath: 2 });
  if (pair.sharedPortRange && along) for (const host of [pair.dialer, along.dialer]) lab.setLocalPortRange(host, ...pair.sharedPortRange);
  const { publicKey } = await lab.startListener(pair.listener);
  const second = along ? await lab.startListener(along.listener) : undefined;
  const results: DialResult[] = [];
  let bigOk = true;
  let big: DialResult | undefined;
  if (pair.relayDown) lab.silenceRelay(pair.relayDown, true);
  try {
    // Back to back against one listener: each dial starts right after the previous stream closed.
    for (let t = 0; t < trials; t++) {
      if (along && second) results.push(...(await Promise.all([lab.dial(pair.dialer, publicKey, bytes), lab.dial(along.dialer, second.publicKey, bytes)])));
      else results.push(await lab.dial(pair.dialer, publicKey, bytes, undefined, pair.dialArgs));
    }
    if (bigBytes > 0 && (bigOn === 'all' || (bigOn === 'lossless' ? cond.loss === 0 : cond.oneWayMs === 0))) {
      // 5% loss holds TCP to about 0.3 MB/s each way here: 100 MiB echoed takes ~5 min.
      big = await lab.dial(pair.dialer, publicKey, bigBytes, 15 * 60_000, pair.dialArgs);
      bigOk = big.ok;
    }
  } finally {
    if (pair.relayDown) lab.silenceRelay(pair.relayDown, false);
  }
  const box = lab.topo.nats.get(pair.listener.split('#')[0]!);
  const upnp = box && MAPPING_KINDS.includes(box.kind) ? box : undefined;
  const whileListening = upnp ? mappedPorts(upnp) : [];
  await lab.stopListeners();
  cells.push(cell(pair, cond.label, results, big, cond.loss > 0));
  const c = cells[cells.length - 1]!;
  if (pair.method === 'ipv6') {
    // The path must be a punch through a firewall, not an open door.
    c.unsolicitedIpv6 = await lab.unsolicitedIpv6(pair.dialer, pair.listener);
    c.pass &&= c.unsolicitedIpv6.fromOutside === 'blocked' && c.unsolicitedIpv6.fromItself === 'open';
  }
  if (upnp) {
    // The listener removes its mapping when it stops.
    c.mappings = { whileListening, afterStop: mappedPorts(upnp) };
    c.pass &&= whileListening.length > 0 && c.mappings.afterStop.length === 0;
  }
  const dialerBox = lab.topo.nats.get(pair.dialer.split('#')[0]!);
  if (dialerBox && MAPPING_KINDS.includes(dialerBox.kind)) {
    // Each dial removes the mapping it made when its stream closes.
    c.dialerMappingsLeft = mappedPorts(dialerBox);
    c.pass &&= c.dialerMappingsLeft.length === 0;
  }
  if (pair.relayDown) {
    // Not one dial through the silenced relay.
    const down = lab.relayOf(pair.relayDown);
    c.viaSilencedRelay = results.filter((r) => r.stats?.candidate === down).length;
    c.pass &&= c.viaSilencedRelay === 0;
  }
  c.pass &&= bigOk;
  c.bigIntact = big ? big.ok : null;
  c.bigMs = big ? Math.round(big.wallMs) : null;
  const ph = ['lookupMs', 'profileMs', 'signalMs', 'punchMs', 'openMs'].map((k) => Math.round(c.phases[k] ?? NaN)).join(' / ');
  console.log(
    `| ${pair.label} | ${cond.label} | ${c.successes}/${c.trials} | ${c.onPath}/${c.trials} ${c.expectedPath} | ${Math.round(c.medianMs)} | ${Math.round(c.p95Ms)} | ${ph} | ${bytes} B x ${c.successes}${big ? `, ${bigBytes} B ${big.ok ? `ok in ${Math.round(big.wallMs)} ms` : `FAILED (${big.error})`}` : ''} |`,
  );
  for (const f of c.failures.slice(0, 3)) console.log(`    failure: ${f}`);
  if (c.unsolicitedIpv6) console.log(`    unsolicited IPv6 connect to the listener's host: ${c.unsolicitedIpv6.fromOutside} from the dialer's host, ${c.unsolicitedIpv6.fromItself} from its own; ${c.onMethod} dials over IPv6`);
  if (c.viaSilencedRelay !== undefined) console.log(`    relay ${lab.relayOf(pair.relayDown!)} silenced: ${c.viaSilencedRelay} dials through it, ${c.onPath} through the next`);
  if (c.dialerMappingsLeft) console.log(`    dialer's NAT: ${c.onMethod} dials port-mapped, ports still mapped after the dials: ${c.dialerMappingsLeft.join(', ') || 'none'}`);
  if (c.mappings) console.log(`    mapped by miniupnpd: ports ${c.mappings.whileListening.join(', ') || 'none'} while listening, ${c.mappings.afterStop.join(', ') || 'none'} after the listener stopped; ${c.onMethod} dials port-mapped`);
}

function cell(pair: Pair, condition: string, results: DialResult[], big: DialResult | undefined, lossy: boolean): DialCell {
  const ok = results.filter((r) => r.ok);
  const times = ok.map((r) => r.stats?.timings.totalMs ?? r.wallMs);
  const phases: Record<string, number> = {};
  for (const k of ['lookupMs', 'profileMs', 'signalMs', 'punchMs', 'openMs', 'totalMs']) {
    const v = ok.map((r) => r.stats?.timings[k]).filter((x): x is number => typeof x === 'number');
    phases[k] = v.length ? median(v) : NaN;
  }
  const direct = ok.filter((r) => r.stats?.path === 'direct' || r.stats?.path === 'lan').length;
  const expectedPath = pair.path ?? 'direct';
  const relayed = ok.filter((r) => r.stats?.path === 'relayed').length;
  const onMethod = pair.method ? ok.filter((r) => r.stats?.method === pair.method).length : 0;
  const onPath = expectedPath === 'relayed' ? relayed : pair.method ? onMethod : direct;
  // Under loss a punch may lose SYNs past the relay's head start (before a sequential NAT a lost
  // SYN shifts every later port, and only a fresh port after 6 s helps): the relay raced in then
  // wins, as it should. Without loss every dial of a direct pair must be direct.
  const onAPath = onPath === results.length || ((lossy || pair.mayRelay !== undefined) && expectedPath === 'direct' && onPath + relayed === results.length);
  return {
    pair: pair.id,
    condition,
    trials: results.length,
    successes: ok.length,
    direct,
    onPath,
    expectedPath,
    relayed,
    onMethod,
    medianMs: times.length ? median(times) : NaN,
    p95Ms: times.length ? percentile(times, 95) : NaN,
    phases,
    bytes: results[0]?.bytes ?? 0,
    failures: [...results.filter((r) => !r.ok).map((r) => r.error ?? 'failed'), ...(big && !big.ok ? [`big transfer: ${big.error}`] : [])],
    bigIntact: null,
    bigMs: null,
    pass: ok.length === results.length && onAPath,
  };
}

process.exitCode = await main();
