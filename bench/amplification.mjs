// How many bytes a p2p-node DHT node sends back per byte a stranger sends it,
// per query type: the reflection a spoofed source could turn against a victim.
// One real DhtNode on loopback (its KRPC guard and all), one raw UDP client.
// Prints each query's request and answer size and ratio, then the worst, with
// the issue-9 bounds (answers at most 1,200 bytes; at most 4x to a source that
// has not proven its address). Figures, not a verdict: exit 0 either way.
//
//   node bench/amplification.mjs [--announces 2000]
import { createSocket } from 'node:dgram';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DhtNode, encodeOffer, generateIdentity, OBSERVED_ADDRESS_QUERY, sealSignal, serveIntroducer, SignalListener } from '@p2p-node/dht-signal';

// The bencode that bittorrent-dht and the guard use; bench has no copy of its own.
const { default: bencode } = await import(new URL('../node_modules/bencode/lib/index.js', import.meta.resolve('@p2p-node/dht-signal')).href);

const { values: args } = parseArgs({ options: { announces: { type: 'string', default: '2000' } } });
const ANNOUNCES = Math.min(20_000, Math.max(1, Number(args.announces) || 2000));
const MAX_ANSWER = 1200;
const MAX_UNPROVEN_RATIO = 4;

const node = await DhtNode.start({ port: 0, host: '127.0.0.1', bootstrap: [] });
const { port } = node.address();
// Eight real neighbours on loopback, so find_node and get answers carry full node lists.
const neighbours = await Promise.all(Array.from({ length: 8 }, () => DhtNode.start({ port: 0, host: '127.0.0.1', bootstrap: [{ host: '127.0.0.1', port }] })));
await new Promise((resolve) => setTimeout(resolve, 500));

const sock = createSocket('udp4');
await new Promise((resolve) => sock.bind(0, '127.0.0.1', resolve));
let tid = 0;
/** Sends one query and waits (bounded) for the datagram answering its transaction. */
function ask(q, a, timeoutMs = 1000) {
  const t = Buffer.alloc(2);
  t.writeUInt16BE(tid++ & 0xffff);
  const request = bencode.encode({ t, y: 'q', q, a: { id: Buffer.alloc(20, 7), ...a } });
  return new Promise((resolve) => {
    const onMessage = (buf) => {
      let msg;
      try {
        msg = bencode.decode(buf);
      } catch {
        return;
      }
      if (!Buffer.isBuffer(msg.t) || !msg.t.equals(t)) return;
      done({ request: request.length, answer: buf.length, msg });
    };
    const timer = setTimeout(() => done({ request: request.length, answer: 0, msg: undefined }), timeoutMs);
    const done = (r) => {
      clearTimeout(timer);
      sock.off('message', onMessage);
      resolve(r);
    };
    sock.on('message', onMessage);
    sock.send(request, port, '127.0.0.1');
  });
}
const sha1 = (b) => createHash('sha1').update(b).digest();
const token = async (target) => (await ask('get', { target })).msg?.r?.token;

const rows = [];
const measure = async (name, q, a) => {
  const r = await ask(q, a);
  rows.push({ name, ...r });
};

await measure('ping', 'ping', {});
await measure('find_node', 'find_node', { target: Buffer.alloc(20, 1) });
await measure('get (nothing stored)', 'get', { target: Buffer.alloc(20, 2) });
await measure(OBSERVED_ADDRESS_QUERY, OBSERVED_ADDRESS_QUERY, {});

// A mutable item at the BEP 44 limit, signed as a record is.
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const k = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url');
const v = Buffer.alloc(1000, 0x61);
const sig = sign(null, Buffer.concat([Buffer.from('3:seqi1e1:v'), bencode.encode(v)]), privateKey);
const mutableTarget = sha1(k);
await ask('put', { token: await token(mutableTarget), k, sig, seq: 1, v });
await measure('get (1,000-byte mutable item), bare', 'get', { target: mutableTarget });
// As p2p-node's own lookups ask: padded, so the full item comes back within 4x.
await measure('get (1,000-byte mutable item), padded', 'get', { target: mutableTarget, pad: Buffer.alloc(224) });

// The list that bittorrent-dht's own check counts as 60 "bytes".
const list = Array.from({ length: 60 }, () => Buffer.alloc(1000, 0x62));
const listTarget = sha1(bencode.encode(list));
const listPut = await ask('put', { token: await token(listTarget), v: list });
await measure(`get (after a put of a 60 KB list: ${listPut.answer ? 'stored' : 'dropped'})`, 'get', { target: listTarget });

// Many announces of one info_hash from one IP, each with another port.
const infoHash = Buffer.alloc(20, 3);
const peersToken = (await ask('get_peers', { info_hash: infoHash })).msg?.r?.token;
for (let i = 0; i < ANNOUNCES; i++) {
  // Paced in small batches so the loopback socket buffer does not drop them.
  sock.send(bencode.encode({ t: Buffer.from('an'), y: 'q', q: 'announce_peer', a: { id: Buffer.alloc(20, 7), info_hash: infoHash, port: 10_000 + i, token: peersToken } }), port, '127.0.0.1');
  if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 5));
}
await new Promise((resolve) => setTimeout(resolve, 200));
await measure(`get_peers (after ${ANNOUNCES} announces from one IP)`, 'get_peers', { info_hash: infoHash });

// Signaling: the node as an introducer, a listener registered with it. A stranger's smallest signed
// request draws the listener's answer (a realistic largest offer: 4 public and 4 LAN endpoints,
// 2 relays, 2 IPv6, and a Noise reply) relayed back; an unknown key draws an error.
const introducer = serveIntroducer(node, { relayPort: port + 1 });
const listenerNode = await DhtNode.start({ port: 0, host: '127.0.0.1', bootstrap: [{ host: '127.0.0.1', port }] });
const listenerId = generateIdentity();
const ep = (i) => ({ host: `203.0.113.${i}`, port: 40_000 + i });
const bigOffer = {
  localPort: 40_000,
  publicEndpoints: [1, 2, 3, 4].map(ep),
  lanEndpoints: [5, 6, 7, 8].map(ep),
  relays: [9, 10].map(ep),
  ipv6Endpoints: [{ host: '2001:db8::1', port: 40_000 }, { host: '2001:db8::2', port: 40_001 }],
  nat: { mapping: 'port-preserving', publicIp: '203.0.113.1', portPreserving: true },
  rttMs: 20,
};
const listener = await SignalListener.start(listenerNode, { identity: listenerId, introducers: [{ host: '127.0.0.1', port }] }, async () => ({ offer: bigOffer, session: Buffer.alloc(48, 1) }));
const smallOffer = encodeOffer({ localPort: 1, publicEndpoints: [], lanEndpoints: [], nat: { mapping: 'none' }, rttMs: 0 });
const request = (target) => Buffer.from(sealSignal(generateIdentity(), { kind: 'request', targetKey: target, offerBytes: smallOffer }));
await measure('p2p_node_sig_req (registered listener)', 'p2p_node_sig_req', { m: request(listenerId.publicKey), n: 0 });
await measure('p2p_node_sig_req (unknown key)', 'p2p_node_sig_req', { m: request(generateIdentity().publicKey), n: 0 });
listener.stop();
introducer.stop();
await listenerNode.stop();

console.log('query'.padEnd(52), 'request B'.padStart(10), 'answer B'.padStart(10), 'ratio'.padStart(8), '  over');
let worst = rows[0];
for (const r of rows) {
  const ratio = r.answer / r.request;
  if (ratio > worst.answer / worst.request) worst = r;
  const over = [r.answer > MAX_ANSWER ? `>${MAX_ANSWER} B` : '', ratio > MAX_UNPROVEN_RATIO ? `>${MAX_UNPROVEN_RATIO}x` : ''].filter(Boolean).join(' ');
  console.log(r.name.padEnd(52), String(r.request).padStart(10), String(r.answer || 'none').padStart(10), ratio.toFixed(1).padStart(7) + 'x', ' ', over);
}
console.log(`worst: ${worst.name}, ${(worst.answer / worst.request).toFixed(1)}x (bound for unproven sources: ${MAX_UNPROVEN_RATIO}x; largest answer allowed: ${MAX_ANSWER} B)`);
sock.close();
await Promise.all([node, ...neighbours].map((n) => n.stop()));
