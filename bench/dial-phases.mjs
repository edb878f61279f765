// Time from dial() to the first echoed byte through two real NATs on the
// lab's links (25 ms one-way between the peers, 12.5 ms from a peer to a
// public host), split into phases, beside the physical minimum of each phase:
// the round trips the protocol cannot avoid on that path.
//
// Usage (root): pnpm build && node bench/dial-phases.mjs [--dials 20] [--one-way 25]
import { DialLab } from '../lab/dist/dial-lab.js';
import { labUnavailable } from '../lab/dist/lab.js';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const dials = Number(arg('dials', '20'));
const oneWay = Number(arg('one-way', '25'));
const why = labUnavailable();
if (why) {
  console.error(`bench/dial-phases needs the NAT lab: ${why}`);
  process.exit(2);
}

const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

const lab = new DialLab((s) => console.error(s));
process.once('SIGINT', () => void lab.tearDown().then(() => process.exit(130)));
const rows = [];
try {
  await lab.setUp([
    { name: 'pp1', kind: 'pp', hosts: 1 },
    { name: 'pp2', kind: 'pp', hosts: 1 },
  ]);
  await lab.impair(['pp1', 'pp2'], oneWay, 0);
  const { publicKey } = await lab.startListener('pp2');
  for (let i = 0; i < dials; i++) {
    const r = await lab.dial('pp1', publicKey, 1024);
    if (r.ok && r.stats) rows.push({ ...r.stats.timings, firstByteMs: r.stats.firstByteMs });
    else console.error(`dial ${i} failed: ${r.error}`);
  }
} finally {
  await lab.tearDown();
}

const rttPeers = 2 * oneWay; // peer <-> peer, through both NATs
const rttPublic = oneWay; // peer <-> public host (DHT node, introducer, reflector): half the path each way
// Round trips a dial cannot avoid, per phase. The first request (with the
// first Noise message) leaves at once through a bootstrap introducer; the
// lookup and the profile run beside it and are only waited for when the
// early flight finds no introducer holding the listener, or the provisional
// guess must be confirmed (the profile: a TCP exchange with a reflector, which
// can only answer once its handshake completed: 2 round trips).
const minimum = {
  lookupMs: rttPublic, // one get to a storer of the record (0 when not waited for)
  profileMs: 2 * rttPublic, // beside signaling
  signalMs: 2 * rttPublic, // dialer -> introducer -> listener -> introducer -> dialer, Noise IK inside
  punchMs: rttPeers, // SYN across, SYN-ACK back
  openMs: rttPeers / 2, // both ends' OPEN messages cross
  totalMs: 2 * rttPublic + rttPeers + rttPeers / 2,
  firstByteMs: 2 * rttPublic + rttPeers + rttPeers / 2 + rttPeers, // + data there and echoed back
};
console.log(`\nbench/dial-phases: ${rows.length}/${dials} dials pp -> pp through two Linux NATs, ${oneWay} ms one-way between peers, node ${process.version}`);
console.log('| phase | median ms | p95 ms | physical minimum ms | median / minimum |');
console.log('|---|---|---|---|---|');
for (const k of ['lookupMs', 'profileMs', 'signalMs', 'punchMs', 'openMs', 'totalMs', 'firstByteMs']) {
  const v = rows.map((r) => r[k]).filter((x) => typeof x === 'number');
  if (!v.length) continue;
  const m = q(v, 50);
  if (!minimum[k]) { console.log(`| ${k.replace('Ms', '')} | ${Math.round(m)} | ${Math.round(q(v, 95))} | - | - |`); continue; }
  console.log(`| ${k.replace('Ms', '')} | ${Math.round(m)} | ${Math.round(q(v, 95))} | ${minimum[k]} | ${(m / minimum[k]).toFixed(2)}x |`);
}
console.log('(lookup and profile run beside signaling; total = signal (+ waits for lookup or profile when needed) + punch + open)');
