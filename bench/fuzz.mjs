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
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bencode from 'bencode';
import { decodeOffer, encodeOffer, generateIdentity, openSignal, readSignal, sealSignal, SignalDecodeError } from '@p2p-node/dht-signal';
import { CLI_PATH } from '@p2p-node/node/child-cli';
import { decodeBounded, p2pnode, WireDecodeError } from '@p2p-node/protos';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const count = Number(arg('count', '100000'));
const tcpCount = Number(arg('tcp', '2000'));
const seed = Number(arg('seed', String(randomBytes(4).readUInt32BE(0)))) >>> 0;
console.log(`fuzz seed ${seed} (replay: --seed ${seed}); ${count} inputs per decoder and KRPC, ${tcpCount} TCP connections`);

// mulberry32: small, seeded, good enough to spread inputs.
let state = seed;
const rand = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const int = (n) => Math.floor(rand() * n);
const bytes = (n) => Buffer.from(Array.from({ length: n }, () => int(256)));
const pick = (xs) => xs[int(xs.length)];

/** A valid input changed a little: bytes flipped, cut short, a slice repeated, or bytes inserted. */
function mutate(valid) {
  const b = Buffer.from(valid);
  switch (int(4)) {
    case 0:
      for (let i = 0, n = 1 + int(4); i < n && b.length; i++) b[int(b.length)] = int(256);
      return b;
    case 1:
      return b.subarray(0, int(b.length));
    case 2: {
      const at = int(b.length);
      return Buffer.concat([b.subarray(0, at), b.subarray(int(at + 1)), b.subarray(at)]);
    }
    default: {
      const at = int(b.length + 1);
      return Buffer.concat([b.subarray(0, at), bytes(1 + int(16)), b.subarray(at)]);
    }
  }
}
const fuzzInput = (valid) => (rand() < 0.3 ? bytes(int(1200)) : mutate(pick(valid)));

const children = [];
const dir = mkdtempSync(join(tmpdir(), 'p2p-fuzz-'));
const stopChildren = () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
};
process.once('SIGINT', () => {
  stopChildren();
  process.exit(130);
});

/** Starts a CLI verb; resolves with the first match of `re` in its `stream`, and keeps all its stderr. */
function startCli(args, re, stream = 'stdout') {
  const child = spawn(process.execPath, [CLI_PATH, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  child.stderrText = '';
  child.stderr.on('data', (d) => (child.stderrText += d.toString()));
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`${args[0]}: no ${re} within 30 s: ${buf.slice(-400)}`)), 30_000);
    child[stream].on('data', (d) => {
      buf += d.toString();
      const m = re.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.stdout.resume();
    child.once('exit', (code) => reject(new Error(`${args[0]} exited ${code}: ${buf.slice(-400)}`)));
  });
}

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

/** Valid KRPC messages of every kind a node answers, to mutate. */
function krpcSamples() {
  const id = bytes(20);
  const target = bytes(20);
  const t = Buffer.from('fz');
  const q = (name, a) => bencode.encode({ t, y: 'q', q: name, a: { id, ...a } });
  const signed = Buffer.from(sealSignal(generateIdentity(), { kind: 'request', targetKey: generateIdentity().publicKey, offerBytes: encodeOffer({ localPort: 1, publicEndpoints: [], lanEndpoints: [], nat: { mapping: 'none' }, rttMs: 1 }) }));
  return [
    q('ping', {}),
    q('find_node', { target }),
    q('get_peers', { info_hash: target }),
    q('announce_peer', { info_hash: target, port: 6881, token: bytes(8) }),
    q('get', { target }),
    q('put', { v: bytes(100), token: bytes(8) }),
    q('put', { v: bytes(200), k: bytes(32), sig: bytes(64), seq: 3, salt: bytes(8), token: bytes(8) }),
    q('p2p_node_observed_addr', {}),
    q('p2p_node_sig_reg', { m: signed }),
    q('p2p_node_sig_req', { m: signed, n: 0 }),
    q('p2p_node_sig_fwd', { m: signed }),
    bencode.encode({ t, y: 'r', r: { id, nodes: bytes(26 * 3) } }),
    bencode.encode({ t, y: 'e', e: [201, 'x'] }),
  ];
}

async function fireKrpc(port) {
  const s = createSocket('udp4');
  await new Promise((r) => s.bind(0, '127.0.0.1', r));
  const valid = krpcSamples();
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

/** A real `p2p-node dial` echo through the fuzzed bootstrap and listener. */
function dialEcho(key, bootstrap) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_PATH, 'dial', key, '--bootstrap', bootstrap, '--host', '127.0.0.1'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d.toString()));
    child.stderr.on('data', (d) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0 && out === 'still serving\n', detail: `exit ${code}: ${err.trim().split('\n').at(-1)}` });
    });
    child.stdin.end('still serving\n');
  });
}

let failed = false;
try {
  console.log('\n| decoder | inputs | refused (typed) | accepted | other throws |');
  console.log('|---|---|---|---|---|');
  for (const r of decoderRows()) {
    failed ||= r.crashes.length > 0;
    console.log(`| ${r.name} | ${count} | ${r.refused} | ${r.accepted} | ${r.crashes.length} |`);
    for (const c of r.crashes.slice(0, 3)) console.log(`    ${c}`);
  }

  // The fuzzed bootstrap node, and a second one (profiling needs reflectors on two addresses).
  const [, first, relayPort] = await startCli(['bootstrap', '--host', '127.0.0.1', '--port', '0'], /^ready (\S+) .*tcp relay (\d+)/m);
  const bootstrapProc = children.at(-1);
  const [, second] = await startCli(['bootstrap', '--host', '127.0.0.2', '--port', '0', '--bootstrap', first], /^ready (\S+)/m);
  const bootstrap = `${first},${second}`;
  const udpPort = Number(first.split(':')[1]);
  const keyFile = join(dir, 'listener.json');
  await startCli(['keygen', '--out', keyFile], /[0-9a-f]{64}/).catch(() => undefined);
  const [, listenPort, key] = await startCli(['listen', '--echo', '--key', keyFile, '--host', '127.0.0.1', '--bootstrap', bootstrap], /accepting on port (\d+)[\s\S]*^listening as ([0-9a-f]{64})/m, 'stderr');
  const listenerProc = children.at(-1);

  const t0 = performance.now();
  await fireKrpc(udpPort);
  const krpcMs = performance.now() - t0;
  const tcpSamples = [Buffer.concat([Buffer.from([56, 0, 0]), bytes(56)]), Buffer.concat([Buffer.from([34, 0, 0]), bytes(34)]), bytes(64)];
  const t1 = performance.now();
  const connections = await fireTcp([udpPort, Number(relayPort), Number(listenPort)], tcpSamples);
  const tcpMs = performance.now() - t1;

  const alive = bootstrapProc.exitCode === null && listenerProc.exitCode === null;
  const echo = alive ? await dialEcho(key, bootstrap) : { ok: false, detail: 'a process died' };
  const crashed = [bootstrapProc, listenerProc].filter((c) => /uncaught|unhandled|TypeError|RangeError/i.test(c.stderrText));
  console.log('\n| target | sent | ms | processes alive | a dial echoes afterwards |');
  console.log('|---|---|---|---|---|');
  console.log(`| bootstrap UDP (DHT, introducer) | ${count} datagrams | ${Math.round(krpcMs)} | ${alive ? 'yes' : 'NO'} | |`);
  console.log(`| reflector, relay, listener TCP | ${connections} connections | ${Math.round(tcpMs)} | ${alive ? 'yes' : 'NO'} | ${echo.ok ? 'yes' : `NO (${echo.detail})`} |`);
  for (const c of crashed) console.log(`    crash text in stderr of ${c.spawnargs.slice(2, 3)}: ${c.stderrText.slice(-400)}`);
  failed ||= !alive || !echo.ok || crashed.length > 0;
  console.log(failed ? '\nfuzz: FAILED' : '\nfuzz: no crash, no untyped throw, still serving');
} finally {
  stopChildren();
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
