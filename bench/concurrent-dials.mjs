// Many dialers at once against one listener, all from one source IP (as
// dialers behind one carrier NAT would be), on loopback: two `p2p-node
// bootstrap` processes (127.0.0.1 and 127.0.0.2: profiling needs two
// reflector addresses), one `p2p-node listen --echo` process, and the
// dialers as PeerNodes in this process (200 dial processes would measure
// Node start-up on two cores, not the listener).
//
// Each dialer dials, writes 1 KiB, reads it back, checks SHA-256 and closes.
// Printed per wave: dials ok, the failures by code, the time until every
// dial of the wave has echoed, and the median/p95 dial time.
//
// With --idle N, then: one dialer's dial time (median of --probes dials)
// unloaded, and again while N idle TCP connections from 127.0.0.2 are held
// open against the listener's port (each one the listener drops is opened
// again), and the ratio of the two; --idle-from 127.0.0.1 sends them from
// the dialer's own IP instead.
//
// Usage: pnpm build && node bench/concurrent-dials.mjs [--dials 200] [--waves 1] [--idle 1000] [--idle-from 127.0.0.2] [--probes 10]
//        (the second figure: --waves 5, 1,000 dials in waves of 200)
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { generateIdentity, parseHostPortList } from '@p2p-node/dht-signal';
import { PeerNode } from '@p2p-node/node';
import { CliProcs, startLoopbackNet } from './lib/loopback-cli.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const dials = Number(arg('dials', '200'));
const waves = Number(arg('waves', '1'));
const idleCount = Number(arg('idle', '0'));
const probes = Number(arg('probes', '10'));
// 127.0.0.1 puts the idle connections behind the dialer's own IP (one carrier NAT for both).
const idleFrom = arg('idle-from', '127.0.0.2');
const PAYLOAD = 1024;
const DIAL_LIMIT_MS = 60_000;

const procs = new CliProcs();

const sha = (b) => createHash('sha256').update(b).digest('hex');
const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};

/** One dial: connect, echo 1 KiB, check it. Resolves with { ok, ms, code }. */
async function dialOnce(node, publicKey) {
  const t0 = performance.now();
  try {
    let timer;
    const limit = new Promise((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error('no stream'), { code: `no stream within ${DIAL_LIMIT_MS / 1000} s` })), DIAL_LIMIT_MS);
    });
    const stream = await Promise.race([node.dial(Buffer.from(publicKey, 'hex')), limit]).finally(() => clearTimeout(timer));
    const ms = performance.now() - t0;
    const payload = randomBytes(PAYLOAD);
    const echoed = await new Promise((resolve, reject) => {
      const parts = [];
      stream.on('data', (c) => parts.push(c));
      stream.once('end', () => resolve(Buffer.concat(parts)));
      stream.once('error', reject);
      stream.end(payload);
    });
    return sha(echoed) === sha(payload) ? { ok: true, ms } : { ok: false, code: 'corrupt' };
  } catch (err) {
    return { ok: false, code: err.code ?? 'untyped', message: err.message };
  }
}

/** `probes` dials one after another from one node: the ok ones' times. */
async function probeDials(node, publicKey) {
  const times = [];
  for (let i = 0; i < probes; i++) {
    const r = await dialOnce(node, publicKey);
    if (r.ok) times.push(r.ms);
    else console.error(`  probe dial failed: ${r.code}: ${r.message}`);
  }
  return times;
}

/** Holds N silent connections to 127.0.0.1:PORT from FROM, opening a new one for each the listener drops; prints the count at SIGTERM. */
const HOLDER = `
const net = require('node:net');
const [n, port] = process.argv.slice(1, 3).map(Number);
const from = process.argv[3];
let holding = true;
let reopened = 0;
const hold = () => {
  const s = net.connect({ host: '127.0.0.1', port, localAddress: from });
  s.on('error', () => undefined);
  s.on('close', () => {
    if (!holding) return;
    reopened++;
    setTimeout(hold, 20);
  });
};
for (let i = 0; i < n; i++) hold();
process.on('SIGTERM', () => {
  holding = false;
  process.stdout.write('reopened ' + reopened + '\\n', () => process.exit(0));
});
`;

/** Holds `idleCount` silent connections open against `port` (reopening what the listener drops) while probing. */
async function underIdleConnections(bootstrap, publicKey, port) {
  const node = await PeerNode.create({ identity: generateIdentity(), bootstrap: parseHostPortList(bootstrap), host: '127.0.0.1' });
  await dialOnce(node, publicKey); // warm: the first dial also profiles our NAT
  const unloaded = await probeDials(node, publicKey);
  // The idle connections come from their own process, as an attacker's would: its churn must not slow our dialer's process.
  const holder = spawn(process.execPath, ['-e', HOLDER, String(idleCount), String(port), idleFrom], { stdio: ['ignore', 'pipe', 'inherit'] });
  procs.children.push(holder);
  let holderOut = '';
  holder.stdout.on('data', (d) => (holderOut += d.toString()));
  await new Promise((r) => setTimeout(r, 2000));
  const loaded = await probeDials(node, publicKey);
  holder.kill('SIGTERM');
  await new Promise((r) => holder.once('exit', r));
  await node.close();
  const reopened = /reopened (\d+)/.exec(holderOut)?.[1] ?? '?';
  const u = q(unloaded, 50);
  const l = q(loaded, 50);
  console.log(`\n| idle connections held (from) | dials ok | unloaded median ms | loaded median ms | loaded / unloaded | idle connections the listener dropped (reopened) |`);
  console.log('|---|---|---|---|---|---|');
  console.log(`| ${idleCount} (${idleFrom === '127.0.0.1' ? 'the dialer\'s IP' : 'another IP'}) | ${loaded.length}/${probes} | ${u.toFixed(1)} | ${l.toFixed(1)} | ${(l / u).toFixed(2)}x | ${reopened} |`);
  return loaded.length === probes;
}

try {
  const { bootstrap, key: publicKey, listenPort: port } = await startLoopbackNet(procs);
  console.log(`listener ${publicKey.slice(0, 16)}... on loopback; ${dials} dialers per wave from 127.0.0.1, ${waves} wave(s), ${PAYLOAD} B echoed each`);
  console.log('| wave | ok | failed (by code) | all echoed ms | dial median ms | dial p95 ms |');
  console.log('|---|---|---|---|---|---|');
  let okAll = 0;
  for (let w = 1; w <= waves; w++) {
    const nodes = await Promise.all(
      Array.from({ length: dials }, () => PeerNode.create({ identity: generateIdentity(), bootstrap: parseHostPortList(bootstrap), host: '127.0.0.1' })),
    );
    const t0 = performance.now();
    const results = await Promise.all(nodes.map((n) => dialOnce(n, publicKey)));
    const allMs = performance.now() - t0;
    await Promise.all(nodes.map((n) => n.close()));
    const ok = results.filter((r) => r.ok);
    okAll += ok.length;
    const byCode = {};
    for (const r of results) if (!r.ok) byCode[r.code] = (byCode[r.code] ?? 0) + 1;
    const failed = Object.entries(byCode).map(([c, n]) => `${c} x${n}`).join(', ') || 'none';
    for (const code of Object.keys(byCode)) console.error(`  ${code}: ${results.find((r) => r.code === code).message}`);
    console.log(`| ${w} | ${ok.length}/${dials} | ${failed} | ${Math.round(allMs)} | ${Math.round(q(ok.map((r) => r.ms), 50))} | ${Math.round(q(ok.map((r) => r.ms), 95))} |`);
  }
  console.log(`total: ${okAll}/${dials * waves} dials connected and echoed intact`);
  let idleOk = true;
  if (idleCount > 0) idleOk = await underIdleConnections(bootstrap, publicKey, port);
  process.exitCode = okAll === dials * waves && idleOk ? 0 : 1;
} finally {
  procs.stopAll();
}
