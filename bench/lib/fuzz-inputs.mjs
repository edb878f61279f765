// Seeded fuzz inputs for the benches: random bytes, and valid messages
// changed a little (bytes flipped, cut short, a slice repeated, bytes added).
import bencode from 'bencode';
import { encodeOffer, generateIdentity, sealSignal } from '@p2p-node/dht-signal';

/** mulberry32 from `seed`: small, seeded, good enough to spread inputs. */
export function fuzzer(seed) {
  let state = seed >>> 0;
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
  const mutate = (valid) => {
    const b = Buffer.from(valid);
    switch (int(5)) {
      case 4: {
        // A string length made negative: what froze bencode 2.0.3 (see krpc-guard's bencode-shape).
        const colons = [...b.keys()].filter((i) => b[i] === 0x3a && i > 0 && b[i - 1] >= 0x30 && b[i - 1] <= 0x39);
        if (colons.length === 0) return b;
        let at = pick(colons) - 1;
        while (at > 0 && b[at - 1] >= 0x30 && b[at - 1] <= 0x39) at--;
        return Buffer.concat([b.subarray(0, at), Buffer.from('-'), b.subarray(at)]);
      }
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
  };
  /** 30% random bytes (up to 1,200), else one of `valid` mutated. */
  const input = (valid) => (rand() < 0.3 ? bytes(int(1200)) : mutate(pick(valid)));
  return { rand, int, bytes, pick, mutate, input };
}

/** Valid KRPC messages of every kind a p2p-node node answers (ours included), to mutate. */
export function krpcSamples(f) {
  const id = f.bytes(20);
  const target = f.bytes(20);
  const t = Buffer.from('fz');
  const q = (name, a) => bencode.encode({ t, y: 'q', q: name, a: { id, ...a } });
  const offerBytes = encodeOffer({ localPort: 1, publicEndpoints: [], lanEndpoints: [], nat: { mapping: 'none' }, rttMs: 1 });
  const signed = Buffer.from(sealSignal(generateIdentity(), { kind: 'request', targetKey: generateIdentity().publicKey, offerBytes }));
  return [
    q('ping', {}),
    q('find_node', { target }),
    q('get_peers', { info_hash: target }),
    q('announce_peer', { info_hash: target, port: 6881, token: f.bytes(8) }),
    q('get', { target }),
    q('put', { v: f.bytes(100), token: f.bytes(8) }),
    q('put', { v: f.bytes(200), k: f.bytes(32), sig: f.bytes(64), seq: 3, salt: f.bytes(8), token: f.bytes(8) }),
    q('p2p_node_observed_addr', {}),
    q('p2p_node_sig_reg', { m: signed }),
    q('p2p_node_sig_req', { m: signed, n: 0 }),
    q('p2p_node_sig_fwd', { m: signed }),
    bencode.encode({ t, y: 'r', r: { id, nodes: f.bytes(26 * 3) } }),
    bencode.encode({ t, y: 'e', e: [201, 'x'] }),
  ];
}
