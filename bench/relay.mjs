// What a relayed dial costs, measured beside a direct one in the same lab
// run: random NAT -> random NAT (no punch can work, the relay at once) and
// the same port-preserving pair three ways (punched; --relay-only through the
// same relay), for two distances to the public hosts (where the relay is).
//
//   time: dial() to the open stream and to the first echoed byte, median and
//         p95 over --dials fresh dial processes, beside the relayed path's
//         physical minimum: signaling (dialer -> introducer -> listener and
//         back, 2 round trips to the public hosts) then the TCP handshake
//         with the relay (1 more: the dialer's first flight rides behind its
//         hello, nothing waits for the relay's verdict); the first byte
//         crosses the relay to the listener and back (2 more).
//   hyperdht: the same random -> random pair through hyperdht's own relay (a
//         blind-relay node on the first public host, relayThrough on both
//         ends: hyperdht pairs there right after its handshake, beside its
//         punch), what a user would pick instead; its clock starts at connect()
//         on a node already fully bootstrapped (p2p-node's at dial(), once its
//         node has heard from one bootstrap node), and only dials whose stream
//         runs through the relay count.
//   bytes: --mib MiB each way through `listen --echo`, SHA-256 checked, MiB/s
//         from "connected" to the last byte, relayed vs punched, no delay. The
//         lab's relays run with --relay-rate 0 here (the default limit, 16
//         MiB/s per circuit, would be what is measured otherwise).
//
// Usage (root): pnpm build && node bench/relay.mjs [--dials 10] [--one-way 25] [--public 12.5,25] [--mib 100] [--runs 3]
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DialLab } from '@p2p-node/lab/dial-lab';
import { labUnavailable } from '@p2p-node/lab/lab';
import { spawnInNs } from '@p2p-node/lab/procs';
import { CLI_PATH } from '@p2p-node/node/child-cli';
import { hyperDial, startHyperBootstrap, startHyperRelay, startHyperServer } from './hyperdht-lab.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const dials = Number(arg('dials', '10'));
const oneWay = Number(arg('one-way', '25'));
const publics = arg('public', '12.5,25').split(',').map(Number);
const mib = Number(arg('mib', '100'));
const runs = Number(arg('runs', '3'));
const why = labUnavailable();
if (why) {
  console.error(`bench/relay needs the NAT lab: ${why}`);
  process.exit(2);
}

const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

const CASES = [
  { label: 'random -> random (relayed)', dialer: 'rand1', listener: 'rand2', extra: [], want: 'relayed' },
  { label: 'pp -> pp, --relay-only', dialer: 'pp1', listener: 'pp2', extra: ['--relay-only'], want: 'relayed' },
  { label: 'pp -> pp (punched)', dialer: 'pp1', listener: 'pp2', extra: [], want: 'direct' },
];

const dir = mkdtempSync(join(tmpdir(), 'p2p-relay-bench-'));
const lab = new DialLab((s) => console.error(s));
process.once('SIGINT', () => void lab.tearDown().then(() => process.exit(130)));
const timeRows = [];
const byteRows = [];
try {
  await lab.setUp(
    ['pp1', 'pp2', 'rand1', 'rand2'].map((name) => ({ name, kind: name.replace(/\d$/, ''), hosts: 1 })),
    { bootstrapArgs: ['--relay-rate', '0'] },
  );
  const hyperBootstrap = await startHyperBootstrap(lab.topo.reflectors);
  const refl1 = lab.topo.reflectors[0];
  const hyperRelay = { ...(await startHyperRelay(refl1, hyperBootstrap)), host: refl1.ip };
  for (const publicOneWay of publics) {
    for (const c of CASES) {
      await lab.impair([c.dialer, c.listener], oneWay, 0, { publicOneWayMs: publicOneWay });
      const { publicKey } = await lab.startListener(c.listener);
      const rows = [];
      for (let i = 0; i < dials; i++) {
        const r = await lab.dial(c.dialer, publicKey, 1024, 60_000, c.extra);
        const path = r.stats?.path === 'lan' ? 'direct' : r.stats?.path;
        if (r.ok && r.stats && path === c.want) rows.push({ total: r.stats.timings.totalMs, firstByte: r.stats.firstByteMs });
        else console.error(`${c.label} dial ${i}: ${r.ok ? `took the ${r.stats?.path} path` : r.error}`);
      }
      timeRows.push({ publicOneWay, label: c.label, want: c.want, rows });
      await lab.stopListeners();
    }
    await lab.impair(['rand1', 'rand2'], oneWay, 0, { publicOneWayMs: publicOneWay });
    const server = await startHyperServer(lab.host('rand2'), hyperBootstrap, hyperRelay.publicKey);
    const rows = [];
    for (let i = 0; i < dials; i++) {
      const r = await hyperDial(lab.host('rand1'), hyperBootstrap, server.publicKey, 1024, { ready: true, relay: hyperRelay });
      if (r.ok && r.relayed) rows.push({ total: r.openMs, firstByte: r.firstByteMs });
      else console.error(`hyperdht relayed dial ${i}: ${r.ok ? 'not through the relay' : r.error}`);
    }
    timeRows.push({ publicOneWay, label: 'random -> random, hyperdht relayThrough', want: 'relayed', rows });
    await server.stop();
  }
  await hyperRelay.stop();
  await lab.impair([], 0, 0);
  const payload = randomBytes(mib * 1024 * 1024);
  const input = join(dir, 'input');
  writeFileSync(input, payload);
  const sent = createHash('sha256').update(payload).digest('hex');
  const { publicKey } = await lab.startListener('pp2');
  const rates = { relayed: [], direct: [] };
  for (let i = 0; i < runs; i++) {
    for (const [name, extra] of [['relayed', ['--relay-only']], ['direct', []]]) {
      const r = await measure(lab.host('pp1').ns, publicKey, extra, input, sent, payload.length);
      console.error(`bytes ${name} run ${i + 1}: ${r.error ?? `${r.mibps.toFixed(1)} MiB/s`}`);
      if (!r.error) rates[name].push(r.mibps);
    }
  }
  byteRows.push(rates);
} finally {
  await lab.tearDown();
  rmSync(dir, { recursive: true, force: true });
}

/** One dial with `input` on stdin: MiB/s from its "connected" line to the last echoed byte, SHA-256 checked. */
function measure(ns, key, extra, input, sent, bytes) {
  const child = spawnInNs(ns, 'sh', ['-c', `exec "$0" "$@" < "${input}"`, process.execPath, CLI_PATH, 'dial', key, '--bootstrap', lab.bootstrap, ...extra]);
  const got = createHash('sha256');
  let received = 0;
  let stderr = '';
  let connectedAt;
  let lastAt;
  child.stderr.on('data', (d) => {
    stderr += d.toString();
    if (connectedAt === undefined && /^connected/m.test(stderr)) connectedAt = performance.now();
  });
  child.stdout.on('data', (d) => {
    got.update(d);
    received += d.length;
    lastAt = performance.now();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearTimeout(timer);
      const intact = received === bytes && got.digest('hex') === sent;
      if (code !== 0 || !intact || connectedAt === undefined) return resolve({ error: `exit ${code}, ${received}/${bytes} bytes: ${stderr.trim().split('\n').slice(-1)[0]}` });
      resolve({ mibps: bytes / 1048576 / ((lastAt - connectedAt) / 1000) });
    });
  });
}

console.log(`\nbench/relay: ${dials} dials per row, ${oneWay} ms one-way between the peers, node ${process.version}`);
console.log('| pair | public one-way ms | ok | open median / p95 ms | first byte median / p95 ms | relayed minimum open / first byte ms | open / minimum |');
console.log('|---|---|---|---|---|---|---|');
for (const { publicOneWay, label, want, rows } of timeRows) {
  const rtt = 2 * publicOneWay;
  // Relayed: 2 round trips of signaling, then the TCP handshake with the relay (the first flight rides
  // behind the hello, the verdict is not waited for); the first byte goes through the relay and back.
  const min = want === 'relayed' ? { open: 3 * rtt, firstByte: 5 * rtt } : undefined;
  const open = rows.map((r) => r.total);
  const fb = rows.map((r) => r.firstByte).filter((x) => typeof x === 'number');
  const fmt = (xs) => (xs.length ? `${Math.round(q(xs, 50))} / ${Math.round(q(xs, 95))}` : '-');
  console.log(`| ${label} | ${publicOneWay} | ${rows.length}/${dials} | ${fmt(open)} | ${fmt(fb)} | ${min ? `${min.open} / ${min.firstByte}` : '-'} | ${min && open.length ? `${(q(open, 50) / min.open).toFixed(2)}x` : '-'} |`);
}
for (const publicOneWay of publics) {
  const med = (label) => {
    const row = timeRows.find((t) => t.publicOneWay === publicOneWay && t.label === label);
    return row && row.rows.length ? { open: q(row.rows.map((r) => r.total), 50), firstByte: q(row.rows.map((r) => r.firstByte).filter((x) => typeof x === 'number'), 50) } : undefined;
  };
  const ours = med('random -> random (relayed)');
  const theirs = med('random -> random, hyperdht relayThrough');
  if (ours && theirs) console.log(`\nrelayed random -> random at ${publicOneWay} ms to the public hosts: p2p-node / hyperdht open ${(ours.open / theirs.open).toFixed(2)}x, first byte ${(ours.firstByte / theirs.firstByte).toFixed(2)}x`);
}
for (const rates of byteRows) {
  const m = (xs) => (xs.length ? q(xs, 50) : NaN);
  console.log(`\n${mib} MiB each way, no delay, median of ${runs}: relayed ${m(rates.relayed).toFixed(1)} MiB/s, punched ${m(rates.direct).toFixed(1)} MiB/s, relayed / punched ${(m(rates.relayed) / m(rates.direct)).toFixed(2)}x (runs: ${rates.relayed.length}/${rates.direct.length})`);
}
