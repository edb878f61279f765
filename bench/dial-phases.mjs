// Time from dial() to the open stream and to the first echoed byte through
// two real NATs, split into phases, beside the physical minimum of each
// phase (the round trips the protocol cannot avoid on that path), for
// several lab geometries: the distance between the peers and the distance
// from a peer to the public hosts (DHT nodes, introducers, reflectors) vary
// apart, so that one layout cannot flatter the design.
//
// Each geometry is measured twice: as dials go by default (the first request
// through a bootstrap introducer, beside the lookup) and with
// `--first-introducers none` (wait for the record, then signal through the
// introducers it names: what a dial costs when no early introducer holds the
// listener).
//
// Usage (root): pnpm build && node bench/dial-phases.mjs [--dials 20] [--one-way 25] [--public 12.5,25,50]
import { DialLab } from '@p2p-node/lab/dial-lab';
import { labUnavailable } from '@p2p-node/lab/lab';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const dials = Number(arg('dials', '20'));
const oneWay = Number(arg('one-way', '25'));
const publics = arg('public', '12.5,25,50').split(',').map(Number);
const why = labUnavailable();
if (why) {
  console.error(`bench/dial-phases needs the NAT lab: ${why}`);
  process.exit(2);
}

const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

// Round trips a dial cannot avoid, per phase, with the first request (and
// the first Noise message) sent at once through a bootstrap introducer, the
// lookup and the profile beside it (the profile is a TCP exchange with a
// reflector, which can only answer once its handshake completed: 2 round
// trips; it matters only when it is slower than signaling).
function minimum(rttPublic, rttPeers, recordFirst) {
  const lookup = recordFirst ? rttPublic : 0; // one get to a storer of the record
  // dialer -> introducer -> listener -> introducer -> dialer, Noise IK inside (after the lookup when waiting for the record)
  const signal = lookup + 2 * rttPublic;
  const punch = rttPeers; // SYN across, SYN-ACK back
  const total = Math.max(signal, 2 * rttPublic) + punch;
  return { lookupMs: lookup, profileMs: 2 * rttPublic, signalMs: signal, punchMs: punch, openMs: 0, totalMs: total, firstByteMs: total + rttPeers };
}

const lab = new DialLab((s) => console.error(s));
process.once('SIGINT', () => void lab.tearDown().then(() => process.exit(130)));
const tables = [];
try {
  await lab.setUp([
    { name: 'pp1', kind: 'pp', hosts: 1 },
    { name: 'pp2', kind: 'pp', hosts: 1 },
  ]);
  for (const publicOneWay of publics) {
    await lab.impair(['pp1', 'pp2'], oneWay, 0, { publicOneWayMs: publicOneWay });
    const { publicKey } = await lab.startListener('pp2');
    for (const mode of ['early request', 'record first']) {
      const extra = mode === 'record first' ? ['--first-introducers', 'none'] : [];
      const rows = [];
      for (let i = 0; i < dials; i++) {
        const r = await lab.dial('pp1', publicKey, 1024, 120_000, extra);
        if (r.ok && r.stats) rows.push({ ...r.stats.timings, firstByteMs: r.stats.firstByteMs });
        else console.error(`dial ${i} failed: ${r.error}`);
      }
      tables.push({ publicOneWay, mode, rows });
    }
    await lab.stopListeners();
  }
} finally {
  await lab.tearDown();
}

for (const { publicOneWay, mode, rows } of tables) {
  const min = minimum(2 * publicOneWay, 2 * oneWay, mode === 'record first');
  console.log(`\nbench/dial-phases (${mode}): ${rows.length}/${dials} dials pp -> pp through two Linux NATs, ${oneWay} ms one-way between peers, ${publicOneWay} ms from a peer to the public hosts, node ${process.version}`);
  console.log('| phase | median ms | p95 ms | physical minimum ms | median / minimum |');
  console.log('|---|---|---|---|---|');
  for (const k of ['lookupMs', 'profileMs', 'signalMs', 'punchMs', 'openMs', 'totalMs', 'firstByteMs']) {
    const v = rows.map((r) => r[k]).filter((x) => typeof x === 'number');
    if (!v.length) continue;
    const m = q(v, 50);
    const ratio = min[k] ? `${(m / min[k]).toFixed(2)}x` : '-';
    console.log(`| ${k.replace('Ms', '')} | ${Math.round(m)} | ${Math.round(q(v, 95))} | ${min[k] || '-'} | ${ratio} |`);
  }
}
console.log('\n(lookup and profile run beside signaling and say when each finished; lookup 0: the record was never waited for. total = signal + punch + open; firstByte adds one round trip between the peers)');
