// A bootstrap node under a steady mix of abuse and real use for --minutes:
// its memory and file descriptors must stay flat and every real dial and
// lookup must succeed. Not in CI (it takes minutes); issue 9's soak.
//
//   abuse, all at the first of two loopback bootstrap nodes (and its
//   listener): ~2,000 fuzzed KRPC datagrams a second (bench/lib/fuzz-inputs),
//   ~1,000 well-formed floods a second from four source IPs (signal requests
//   for unknown keys, 1,000-byte immutable puts, get_peers/announce_peer,
//   find_node with random targets), and 300 idle TCP connections held open
//   against its reflector and relay ports and the listener's port (each one
//   dropped is opened again).
//   use: a real `p2p-node dial` echo every 5 s and a `p2p-node lookup` of
//   the listener every 10 s, as separate processes.
//   measured every --sample-s: VmRSS and open file descriptors of the
//   bootstrap and listener processes (from /proc), dials and lookups so far.
//
// Usage: pnpm build && node bench/soak.mjs [--minutes 10] [--sample-s 30] [--seed S]
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import bencode from 'bencode';
import { encodeOffer, generateIdentity, sealSignal } from '@p2p-node/dht-signal';
import { fuzzer, krpcSamples } from './lib/fuzz-inputs.mjs';
import { CliProcs, dialEcho, lookupRecord, pingsBack, startLoopbackNet } from './lib/loopback-cli.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const minutes = Number(arg('minutes', '10'));
const sampleMs = Number(arg('sample-s', '30')) * 1000;
const seed = Number(arg('seed', String(randomBytes(4).readUInt32BE(0)))) >>> 0;
const f = fuzzer(seed);
console.log(`soak: ${minutes} min, seed ${seed}`);

const procs = new CliProcs();
const timers = [];
const sockets = [];
const idleSockets = new Set();
let running = true;

function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return { rssMiB: rssKb / 1024, fds: readdirSync(`/proc/${pid}/fd`).length };
}

async function udpFrom(host) {
  const s = createSocket('udp4');
  s.on('error', () => undefined);
  s.on('message', () => undefined);
  await new Promise((r) => s.bind(0, host, r));
  sockets.push(s);
  return s;
}

/** Well-formed queries a flooder sends: valid shapes, junk content. */
function floodQuery(i) {
  const t = Buffer.from([i & 0xff, (i >> 8) & 0xff]);
  const id = f.bytes(20);
  const q = (name, a) => bencode.encode({ t, y: 'q', q: name, a: { id, ...a } });
  switch (i % 5) {
    case 0: {
      const offerBytes = encodeOffer({ localPort: 1 + f.int(65535), publicEndpoints: [], lanEndpoints: [], nat: { mapping: 'none' }, rttMs: 1 });
      const m = Buffer.from(sealSignal(flooder, { kind: 'request', targetKey: f.bytes(32), offerBytes }));
      return q('p2p_node_sig_req', { m, n: 0 });
    }
    case 1:
      return q('put', { v: f.bytes(1000), token: f.bytes(8) });
    case 2:
      return q('get_peers', { info_hash: f.bytes(20) });
    case 3:
      return q('announce_peer', { info_hash: f.bytes(20), port: 1 + f.int(65535), token: f.bytes(8) });
    default:
      return q('find_node', { target: f.bytes(20) });
  }
}
const flooder = generateIdentity();

/** Keeps `n` silent TCP connections open against `port`, opening a new one for each that closes. */
function holdIdle(n, port) {
  const hold = () => {
    if (!running) return;
    const s = net.connect({ host: '127.0.0.1', port, localAddress: '127.0.0.3' });
    idleSockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => {
      idleSockets.delete(s);
      setTimeout(hold, 50);
    });
  };
  for (let i = 0; i < n; i++) hold();
}

try {
  const n = await startLoopbackNet(procs);
  const fuzzSocket = await udpFrom('127.0.0.1');
  const floodSockets = await Promise.all(['127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7'].map(udpFrom));
  const samples = krpcSamples(f);
  let fuzzed = 0;
  let flooded = 0;
  timers.push(
    setInterval(() => {
      for (let i = 0; i < 20; i++, fuzzed++) fuzzSocket.send(f.input(samples), n.udpPort, '127.0.0.1');
      for (let i = 0; i < 10; i++, flooded++) f.pick(floodSockets).send(floodQuery(flooded), n.udpPort, '127.0.0.1');
    }, 10),
  );
  holdIdle(100, n.udpPort);
  holdIdle(100, n.relayPort);
  holdIdle(100, n.listenPort);

  const use = { dial: { done: 0, ok: 0 }, lookup: { done: 0, ok: 0 }, failures: [] };
  /** Runs `once` every `everyMs` while the soak lasts, tallying into use[name]. */
  const keepDoing = async (name, everyMs, once) => {
    while (running) {
      const r = await once();
      use[name].done++;
      if (r.ok) use[name].ok++;
      else use.failures.push(`${name}: ${r.detail}`);
      await new Promise((res) => setTimeout(res, everyMs));
    }
  };
  const dialLoop = keepDoing('dial', 5000, () => dialEcho(n.key, n.bootstrap));
  const lookupLoop = keepDoing('lookup', 10_000, () => lookupRecord(n.key, n.bootstrap, join(procs.dir, 'seen.json')));

  console.log('\n| min | bootstrap RSS MiB | bootstrap fds | bootstrap answers a ping | listener RSS MiB | listener fds | fuzzed / flooded datagrams | dials ok | lookups ok |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  let silent = 0;
  const rows = [];
  const t0 = performance.now();
  const end = t0 + minutes * 60_000;
  while (performance.now() < end) {
    await new Promise((res) => setTimeout(res, Math.min(sampleMs, end - performance.now())));
    if (n.firstProc.exitCode !== null || n.listenerProc.exitCode !== null) {
      use.failures.push(`a process exited: bootstrap ${n.firstProc.exitCode}, listener ${n.listenerProc.exitCode}`);
      break;
    }
    const b = memory(n.firstProc.pid);
    const l = memory(n.listenerProc.pid);
    rows.push({ b, l });
    // The soaked node itself must keep answering: the dials and lookups could be served by the other one.
    const answers = await pingsBack(n.udpPort, 2000);
    if (!answers) silent++;
    const min = ((performance.now() - t0) / 60_000).toFixed(1);
    console.log(`| ${min} | ${b.rssMiB.toFixed(1)} | ${b.fds} | ${answers ? 'yes' : 'NO'} | ${l.rssMiB.toFixed(1)} | ${l.fds} | ${fuzzed} / ${flooded} | ${use.dial.ok}/${use.dial.done} | ${use.lookup.ok}/${use.lookup.done} |`);
  }
  running = false;
  for (const t of timers) clearInterval(t);
  await Promise.all([dialLoop, lookupLoop]);

  // Flat: after the first sample (warm-up: tables and buffers filling), RSS grows at most 25% and fds at most 20.
  const warm = rows[0];
  const last = rows.at(-1);
  const flat = (w, x) => x.rssMiB <= w.rssMiB * 1.25 && x.fds <= w.fds + 20;
  const bFlat = warm && last && flat(warm.b, last.b);
  const lFlat = warm && last && flat(warm.l, last.l);
  const allUsed = use.dial.done > 0 && use.dial.ok === use.dial.done && use.lookup.ok === use.lookup.done;
  console.log(`\nbootstrap: RSS ${warm?.b.rssMiB.toFixed(1)} -> ${last?.b.rssMiB.toFixed(1)} MiB, fds ${warm?.b.fds} -> ${last?.b.fds}: ${bFlat ? 'flat' : 'GREW'}`);
  console.log(`listener:  RSS ${warm?.l.rssMiB.toFixed(1)} -> ${last?.l.rssMiB.toFixed(1)} MiB, fds ${warm?.l.fds} -> ${last?.l.fds}: ${lFlat ? 'flat' : 'GREW'}`);
  console.log(`use: ${use.dial.ok}/${use.dial.done} dials echoed, ${use.lookup.ok}/${use.lookup.done} lookups found the record`);
  for (const x of use.failures.slice(0, 5)) console.log(`    ${x}`);
  console.log(`the soaked node answered a ping at ${rows.length - silent} of ${rows.length} samples`);
  process.exitCode = bFlat && lFlat && allUsed && silent === 0 ? 0 : 1;
} finally {
  running = false;
  for (const t of timers) clearInterval(t);
  for (const s of sockets) s.close();
  // Open idle connections would keep this process, and the nodes' servers closing, waiting forever.
  for (const s of idleSockets) s.destroy();
  procs.stopAll();
}
