// hyperdht and p2p-node side by side in one run, through the same real NATs
// of the lab (lab/src/dial-lab.ts), with the same bootstrap layout: each
// system's bootstrap nodes on the lab's two public hosts (p2p-node on 6881;
// hyperdht on 49737, which the peers bootstrap from, plus --hyper-nodes - 1
// more non-ephemeral nodes per host on the next ports: hyperdht will not punch
// before 4 DHT nodes have told it its address), an echo listener behind one NAT, and one fresh dialer
// process per dial behind another, alternating hyperdht and p2p-node dials.
// Per dial: time from the dial call (hyperdht connect(), p2p-node dial()) to
// an open stream, and to the first byte of a 1 KiB echo; also the dialer
// process's wall time (spawn to exit). hyperdht's clock starts at connect()
// on a node just constructed, so it includes the node's own bootstrap;
// p2p-node's starts at dial(), which a fresh `p2p-node dial` calls once its
// DHT node has heard from one bootstrap node. --hyper-ready starts hyperdht's
// clock only after its node is fully bootstrapped.
//
// Geometries (one-way delays): peer<->peer through both NATs, and
// peer<->public host (DHT nodes, introducer, reflectors):
//   none  0 / 0      even  25 / 25      far  25 / 50      near  25 / 12.5
//
// Usage (root): pnpm install && pnpm build &&
//   node bench/vs-hyperdht.mjs [--dials 20] [--pairs pp-pp,pp-rst] [--geometries none,even,far] [--hyper-nodes 3] [--hyper-ready] [--json]
// --json prints one JSON object on stdout instead of the table (progress stays on stderr).
import { DialLab } from '@p2p-node/lab/dial-lab';
import { labUnavailable } from '@p2p-node/lab/lab';
import { median, percentile } from '@p2p-node/lab/stats';
import { hyperDial, startHyperBootstrap, startHyperServer } from './hyperdht-lab.mjs';

const PAIRS = {
  'pp-pp': { label: 'pp -> pp', dialer: 'pp1', listener: 'pp2' },
  'pp-rst': { label: 'pp -> rst', dialer: 'pp1', listener: 'rst1' },
};
const GEOMETRIES = {
  none: { peerMs: 0, publicMs: 0 },
  even: { peerMs: 25, publicMs: 25 },
  far: { peerMs: 25, publicMs: 50 },
  near: { peerMs: 25, publicMs: 12.5 },
};
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const dials = Number(arg('dials', '20'));
const pairs = arg('pairs', 'pp-pp,pp-rst').split(',').map((id) => ({ id, ...PAIRS[id] }));
const geometries = arg('geometries', 'none,even,far').split(',').map((id) => ({ id, ...GEOMETRIES[id] }));
const hyperPerHost = Number(arg('hyper-nodes', '3'));
const asJson = process.argv.includes('--json');
const hyperReady = process.argv.includes('--hyper-ready');
const BYTES = 1024;
if (pairs.some((p) => !p.dialer) || geometries.some((g) => g.peerMs === undefined)) {
  console.error(`unknown pair or geometry; pairs: ${Object.keys(PAIRS).join(',')}; geometries: ${Object.keys(GEOMETRIES).join(',')}`);
  process.exit(2);
}
const why = labUnavailable();
if (why) {
  console.error(`bench/vs-hyperdht needs the NAT lab: ${why}`);
  process.exit(2);
}
const log = (s) => console.error(s);

/** One dial of each system, as comparable rows: ok, open, first byte, wall. */
async function dialBoth(lab, pair, hyper, p2pKey, hyperBootstrap) {
  const host = lab.host(pair.dialer);
  lab.forget(pair.dialer);
  const h = await hyperDial(host, hyperBootstrap, hyper.publicKey, BYTES, { ready: hyperReady });
  lab.forget(pair.dialer);
  const p = await lab.dial(pair.dialer, p2pKey, BYTES, 60_000);
  return {
    hyperdht: { ok: h.ok, openMs: h.openMs, firstByteMs: h.firstByteMs, wallMs: h.wallMs, error: h.error },
    'p2p-node': { ok: p.ok, openMs: p.stats?.timings.totalMs, firstByteMs: p.stats?.firstByteMs, wallMs: p.wallMs, error: p.error },
  };
}

function summarise(results) {
  const ok = results.filter((r) => r.ok);
  const stat = (k) => {
    const v = ok.map((r) => r[k]).filter((x) => typeof x === 'number');
    return { median: v.length ? median(v) : null, p95: v.length ? percentile(v, 95) : null };
  };
  const errors = [...new Set(results.filter((r) => !r.ok).map((r) => r.error ?? 'failed'))].slice(0, 3);
  return { dials: results.length, ok: ok.length, open: stat('openMs'), firstByte: stat('firstByteMs'), wall: stat('wallMs'), errors };
}

async function runCell(lab, pair, geo, hyperBootstrap) {
  await lab.impair([pair.dialer, pair.listener], geo.peerMs, 0, { publicOneWayMs: geo.publicMs });
  const listenerHost = lab.host(pair.listener);
  const [p2p, hyper] = await Promise.all([lab.startListener(pair.listener), startHyperServer(listenerHost, hyperBootstrap)]);
  const rows = { hyperdht: [], 'p2p-node': [] };
  try {
    for (let i = 0; i < dials; i++) {
      const r = await dialBoth(lab, pair, hyper, p2p.publicKey, hyperBootstrap);
      for (const sys of Object.keys(rows)) rows[sys].push(r[sys]);
      log(`${pair.id} ${geo.id} dial ${i + 1}/${dials}: hyperdht ${fmt(r.hyperdht)}, p2p-node ${fmt(r['p2p-node'])}`);
    }
  } finally {
    await Promise.all([lab.stopListeners(), hyper.stop()]);
  }
  return { pair: pair.id, geometry: geo.id, peerOneWayMs: geo.peerMs, publicOneWayMs: geo.publicMs, hyperdht: summarise(rows.hyperdht), p2pNode: summarise(rows['p2p-node']) };
}

const fmt = (r) => (r.ok ? `open ${Math.round(r.openMs)} ms` : `FAILED (${r.error})`);
const n = (x) => (x === null ? '-' : String(Math.round(x)));
const ratio = (a, b) => (a === null || b === null || b === 0 ? '-' : `${(a / b).toFixed(2)}x`);

function printTable(cells) {
  console.log(`\nbench/vs-hyperdht: ${dials} dials per system and row, ${BYTES} B echoed, hyperdht clock from connect() on a ${hyperReady ? 'bootstrapped' : 'fresh'} node, node ${process.version}`);
  console.log('| pair | one-way peer / public ms | system | dials ok | open median | open p95 | first byte median | first byte p95 | wall median | p2p-node / hyperdht (open, first byte) |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const c of cells) {
    for (const [name, s] of [['hyperdht', c.hyperdht], ['p2p-node', c.p2pNode]]) {
      const r = name === 'p2p-node' ? `${ratio(c.p2pNode.open.median, c.hyperdht.open.median)}, ${ratio(c.p2pNode.firstByte.median, c.hyperdht.firstByte.median)}` : '';
      console.log(`| ${PAIRS[c.pair].label} | ${c.peerOneWayMs} / ${c.publicOneWayMs} | ${name} | ${s.ok}/${s.dials} | ${n(s.open.median)} | ${n(s.open.p95)} | ${n(s.firstByte.median)} | ${n(s.firstByte.p95)} | ${n(s.wall.median)} | ${r} |`);
    }
  }
  for (const c of cells) {
    for (const [name, s] of [['hyperdht', c.hyperdht], ['p2p-node', c.p2pNode]]) for (const e of s.errors) console.log(`  ${c.pair} ${c.geometry} ${name} failure: ${e}`);
  }
  console.log('open: from connect()/dial() in the dialer process to an open stream; first byte: to the first echoed byte; wall: dialer process spawn to exit (ms).');
}

const lab = new DialLab(log);
const onSignal = () => void lab.tearDown().then(() => process.exit(130));
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);
const cells = [];
try {
  const nats = [...new Set(pairs.flatMap((p) => [p.dialer, p.listener]))];
  await lab.setUp(nats.map((name) => ({ name, kind: name.replace(/\d+$/, ''), hosts: 1 })));
  const hyperBootstrap = await startHyperBootstrap(lab.topo.reflectors, hyperPerHost);
  log(`hyperdht bootstrap ${hyperBootstrap}`);
  for (const geo of geometries) for (const pair of pairs) cells.push(await runCell(lab, pair, geo, hyperBootstrap));
} finally {
  await lab.tearDown();
}
if (asJson) console.log(JSON.stringify({ dials, bytes: BYTES, hyperReady, hyperNodesPerHost: hyperPerHost, node: process.version, cells }, null, 2));
else printTable(cells);
