// The full-count fuzz run (CI runs smaller counts in packages/*/test): what
// strangers can send a p2p-node node, at the counts issue 9 asks for.
//
//   decoders: --count random and mutated inputs to each decoder of untrusted
//             bytes, in this process: decodeBounded for every wire message
//             (records, reflector replies, offers, signals, relay frames),
//             and the signaling codec (readSignal, openSignal, decodeOffer).
//             Only their typed errors may come out.
//   krpc:     --count random and mutated KRPC datagrams (every query name,
//             ours included, with fields of the wrong types, flipped bytes,
//             cut short) sent to a real `p2p-node bootstrap` process.
//   tcp:      --tcp connections with random or mutated first bytes to its
//             reflector and relay ports and to a `p2p-node listen --echo`.
//   after:    both processes still run, and a real `p2p-node dial` still
//             gets its bytes echoed through them.
//
// Seeded (printed; --seed S replays). Usage: pnpm build && node bench/fuzz.mjs [--count 100000] [--tcp 2000] [--seed S]
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import net from 'node:net';
import { decodeOffer, encodeOffer, generateIdentity, openSignal, readSignal, sealSignal, SignalDecodeError } from '@p2p-node/dht-signal';
import { decodeBounded, p2pnode, WireDecodeError } from '@p2p-node/protos';
import { fuzzer, krpcSamples } from './lib/fuzz-inputs.mjs';
import { join } from 'node:path';
import { CliProcs, dialEcho, lookupRecord, pingsBack, startLoopbackNet } from './lib/loopback-cli.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const count = Number(arg('count', '100000'));
const tcpCount = Number(arg('tcp', '2000'));
const seed = Number(arg('seed', String(randomBytes(4).readUInt32BE(0)))) >>> 0;
console.log(`fuzz seed ${seed} (replay: --seed ${seed}); ${count} inputs per decoder and KRPC, ${tcpCount} TCP connections`);
const f = fuzzer(seed);
const { bytes, pick } = f;
const fuzzInput = f.input;

/** Runs `decode` on `count` fuzzed inputs; counts typed refusals, accepted inputs and anything else thrown. */
function fuzzDecoder(name, valid, decode, isTyped) {
  let refused = 0;
  let accepted = 0;
  const crashes = [];
  for (let i = 0; i < count; i++) {
    const input = fuzzInput(valid);
    try {
      decode(input);
      accepted++;
    } catch (err) {
      if (isTyped(err)) refused++;
      else if (crashes.length < 3) crashes.push(`${err?.constructor?.name}: ${err?.message} (input ${input.toString('hex').slice(0, 80)})`);
      else crashes.push('');
    }
  }
  return { name, refused, accepted, crashes };
}

function decoderRows() {
  const id = generateIdentity();
  const ip = Buffer.from([203, 0, 113, 7]);
  const endpoint = { ip, port: 4000 };
  const nat = { mapping: 1, portPreserving: true, delta: 0 };
  const samples = {
    PeerRecord: p2pnode.PeerRecord.encode({ publicKey: id.publicKey, issuedAt: 1_800_000_000, lifetime: 600, publicEndpoints: [endpoint], lanEndpoints: [endpoint] }).finish(),
    ReflectorReply: p2pnode.ReflectorReply.encode({ observed: endpoint }).finish(),
    PunchOffer: encodeOffer({ localPort: 4000, publicEndpoints: [{ host: '203.0.113.7', port: 4000 }], lanEndpoints: [], nat: { mapping: 'port-preserving' }, rttMs: 20 }),
    NatProfile: p2pnode.NatProfile.encode(nat).finish(),
    RelayHello: p2pnode.RelayHello.encode({ token: bytes(32) }).finish(),
    RelayVerdict: p2pnode.RelayVerdict.encode({ reason: 'busy' }).finish(),
  };
  const signed = sealSignal(id, { kind: 'request', targetKey: generateIdentity().publicKey, offerBytes: samples.PunchOffer });
  const isWire = (e) => e instanceof WireDecodeError;
  const rows = Object.entries(samples).map(([name, valid]) => fuzzDecoder(`decodeBounded(${name})`, [valid], (b) => decodeBounded(p2pnode[name], b), isWire));
  // The signaling codec throws its own typed error (SignalDecodeError) or WireDecodeError.
  const isSignal = (e) => isWire(e) || e instanceof SignalDecodeError;
  rows.push(fuzzDecoder('decodeOffer', [samples.PunchOffer], decodeOffer, isSignal));
  rows.push(fuzzDecoder('readSignal', [signed], readSignal, isSignal));
  rows.push(fuzzDecoder('openSignal', [signed], openSignal, isSignal));
  return rows;
}

async function fireKrpc(port) {
  const s = createSocket('udp4');
  await new Promise((r) => s.bind(0, '127.0.0.1', r));
  const valid = krpcSamples(f);
  // Paced in bursts so our own socket's buffer, not the target, is never what drops them.
  for (let i = 0; i < count; i += 200) {
    for (let j = i; j < Math.min(count, i + 200); j++) s.send(fuzzInput(valid), port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 2));
  }
  await new Promise((r) => setTimeout(r, 500));
  s.close();
}

/** `tcpCount` connections spread over `ports`, each sending random or mutated first bytes, then closing. */
async function fireTcp(ports, samples) {
  let done = 0;
  const one = (port) =>
    new Promise((resolve) => {
      const sock = net.connect({ host: '127.0.0.1', port });
      const timer = setTimeout(() => sock.destroy(), 2000);
      sock.on('error', () => undefined);
      sock.on('close', () => {
        clearTimeout(timer);
        done++;
        resolve();
      });
      sock.on('connect', () => sock.end(fuzzInput(samples)));
      sock.resume();
    });
  for (let i = 0; i < tcpCount; i += 200) await Promise.all(Array.from({ length: Math.min(200, tcpCount - i) }, () => one(pick(ports))));
  return done;
}

const procs = new CliProcs();
let failed = false;
try {
  console.log('\n| decoder | inputs | refused (typed) | accepted | other throws |');
  console.log('|---|---|---|---|---|');
  for (const r of decoderRows()) {
    failed ||= r.crashes.length > 0;
    console.log(`| ${r.name} | ${count} | ${r.refused} | ${r.accepted} | ${r.crashes.length} |`);
    for (const c of r.crashes.slice(0, 3)) console.log(`    ${c}`);
  }

  // The fuzzed node is the first bootstrap node (UDP, its reflector and relay) and the listener.
  const net0 = await startLoopbackNet(procs);
  const { bootstrap, udpPort, relayPort, listenPort, key, firstProc: bootstrapProc, listenerProc } = net0;
  const t0 = performance.now();
  await fireKrpc(udpPort);
  const krpcMs = performance.now() - t0;
  const tcpSamples = [Buffer.concat([Buffer.from([56, 0, 0]), bytes(56)]), Buffer.concat([Buffer.from([34, 0, 0]), bytes(34)]), bytes(64)];
  const t1 = performance.now();
  const connections = await fireTcp([udpPort, relayPort, listenPort], tcpSamples);
  const tcpMs = performance.now() - t1;

  // Alive is not enough: a node stuck in a loop keeps running; it must answer.
  const alive = bootstrapProc.exitCode === null && listenerProc.exitCode === null && (await pingsBack(udpPort));
  const echo = alive ? await dialEcho(key, bootstrap) : { ok: false, detail: 'a process died' };
  // Through the fuzzed node only: the other bootstrap node could serve it otherwise.
  const found = alive ? await lookupRecord(key, `127.0.0.1:${udpPort}`, join(procs.dir, 'seen.json')) : { ok: false, detail: 'a process died' };
  const crashed = [bootstrapProc, listenerProc].filter((c) => /uncaught|unhandled|TypeError|RangeError/i.test(c.stderrText));
  console.log('\n| target | sent | ms | processes alive, fuzzed node answers a ping | a dial echoes afterwards | a lookup through the fuzzed node finds the record |');
  console.log('|---|---|---|---|---|---|');
  console.log(`| bootstrap UDP (DHT, introducer) | ${count} datagrams | ${Math.round(krpcMs)} | ${alive ? 'yes' : 'NO'} | | |`);
  console.log(`| reflector, relay, listener TCP | ${connections} connections | ${Math.round(tcpMs)} | ${alive ? 'yes' : 'NO'} | ${echo.ok ? 'yes' : `NO (${echo.detail})`} | ${found.ok ? 'yes' : `NO (${found.detail})`} |`);
  for (const c of crashed) console.log(`    crash text in stderr of ${c.spawnargs.slice(2, 3)}: ${c.stderrText.slice(-400)}`);
  failed ||= !alive || !echo.ok || !found.ok || crashed.length > 0;
  console.log(failed ? '\nfuzz: FAILED' : '\nfuzz: no crash, no untyped throw, still serving');
} finally {
  procs.stopAll();
}
process.exitCode = failed ? 1 : 0;
