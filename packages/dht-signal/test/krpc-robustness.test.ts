import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import bencode from 'bencode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DhtNode } from '../src/dht-node.js';
import { RecordNotFoundError } from '../src/errors.js';
import { generateIdentity } from '../src/identity.js';
import { checkDatagram } from '../src/krpc-guard.js';
import { OBSERVED_ADDRESS_QUERY } from '../src/observed-address.js';
import { RecordResolver } from '../src/records.js';
import { seededRandom } from './lossy-relay.js';
import { LOOPBACK, startSwarm, stopAll } from './swarm.js';

// The fuzz inputs come from one seed, printed so a failure can be replayed: KRPC_FUZZ_SEED=<seed>.
const SEED = process.env.KRPC_FUZZ_SEED !== undefined ? Number(process.env.KRPC_FUZZ_SEED) >>> 0 : randomBytes(4).readUInt32BE(0);
console.log(`krpc-robustness fuzz seed ${SEED} (replay: KRPC_FUZZ_SEED=${SEED})`);
const rand = seededRandom(SEED);
const fuzzBytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256)));

const ID = fuzzBytes(20);
const KEY = fuzzBytes(32);
const SIG = fuzzBytes(64);

let swarm: DhtNode[];
let victim: DhtNode;
let attacker: Socket;
const uncaught: unknown[] = [];
const onUncaught = (err: unknown): void => {
  uncaught.push(err);
};

beforeAll(async () => {
  process.on('uncaughtException', onUncaught);
  swarm = await startSwarm(4);
  victim = swarm[3]!;
  attacker = createSocket('udp4');
  await new Promise<void>((r) => attacker.bind(0, LOOPBACK, () => r()));
});

afterAll(async () => {
  attacker.close();
  await stopAll(swarm);
  process.off('uncaughtException', onUncaught);
});

function fire(datagrams: Buffer[]): Promise<void> {
  const { host, port } = victim.address();
  for (const d of datagrams) attacker.send(d, port, host);
  return new Promise((r) => setTimeout(r, 100));
}

/** Sends a ping from a fresh socket and resolves with the reply, or rejects after 1 s. */
async function pingVictim(): Promise<Record<string, unknown>> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, LOOPBACK, () => r()));
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no pong')), 1000);
      s.on('message', (buf) => {
        clearTimeout(timer);
        resolve(bencode.decode(buf) as Record<string, unknown>);
      });
      const { host, port } = victim.address();
      s.send(bencode.encode({ t: 'pp', y: 'q', q: 'ping', a: { id: randomBytes(20) } }), port, host);
    });
  } finally {
    s.close();
  }
}

const q = (name: unknown, a: unknown, extra: Record<string, unknown> = {}): Buffer =>
  bencode.encode({ t: Buffer.from('aa'), y: 'q', q: name, a, ...extra });

/** Queries whose fields have the wrong types, for every query name bittorrent-dht knows and some it does not. */
function badQueries(): Buffer[] {
  const names = ['ping', 'find_node', 'get_peers', 'announce_peer', 'get', 'put', OBSERVED_ADDRESS_QUERY, 'no_such_query'];
  const badArgs: unknown[] = [
    undefined,
    5,
    'a string',
    [1, 2],
    { id: 5 },
    { id: Buffer.alloc(3) },
    { id: { nested: 1 } },
    { id: ID, target: 5 },
    { id: ID, target: { x: 1 } },
    { id: ID, target: [1] },
    { id: ID, target: Buffer.alloc(3) },
    { id: ID, info_hash: 7 },
    { id: ID, info_hash: ID, token: 7, port: 80 },
    { id: ID, info_hash: ID, token: Buffer.alloc(20), implied_port: 'yes' },
    { id: ID, token: Buffer.alloc(20), v: 'x', sig: SIG },
    { id: ID, token: Buffer.alloc(20), v: 'x', k: 5, sig: SIG, seq: 1 },
    { id: ID, token: Buffer.alloc(20), v: 'x', k: KEY, sig: SIG, seq: 'one' },
    { id: ID, token: Buffer.alloc(20), v: 'x', k: KEY, sig: SIG, seq: 1, salt: 9 },
    { id: ID, token: Buffer.alloc(20), v: 'x', k: KEY, sig: SIG, seq: 1, salt: Buffer.alloc(500) },
    { id: ID, token: Buffer.alloc(20), v: { deep: { er: [1, 2, { x: 'y' }] } }, k: KEY, sig: SIG, seq: 1 },
    { id: ID, token: Buffer.alloc(20), v: Buffer.alloc(1500) },
    { id: ID, token: 5, v: 'x' },
  ];
  const out: Buffer[] = [];
  for (const name of names) for (const a of badArgs) out.push(q(name, a));
  out.push(q(5, { id: ID }), q(['ping'], { id: ID }), q({ x: 1 }, { id: ID }));
  return out;
}

function malformedEnvelopes(): Buffer[] {
  const raw = (s: string) => Buffer.from(s, 'latin1');
  return [
    Buffer.alloc(0),
    raw('d'),
    raw('d1:t'),
    raw('i123e'),
    raw('i99999999999999999999999999999e'),
    raw('l'.repeat(20000) + 'e'.repeat(20000)),
    raw('d1:ti5e1:y1:q1:q4:ping1:ad2:id20:aaaaaaaaaaaaaaaaaaaaee'),
    raw('d1:t2:aa1:yi5e1:q4:ping1:ad2:id20:aaaaaaaaaaaaaaaaaaaaee'),
    raw('d1:t2:aa1:y1:x1:q4:ping1:ad2:id20:aaaaaaaaaaaaaaaaaaaaee'),
    raw('d1:t2:aa1:y1:q1:q4:ping1:ad2:id20:aaaaaaaaaaaaaaaaaaaa9:__proto__d1:xi1eeee'),
    raw('d9:__proto__d1:y1:qe1:t2:aa1:q4:ping1:ad2:id20:aaaaaaaaaaaaaaaaaaaaee'),
    raw('d1:t2:aa1:y1:q1:q4:ping1:ad2:id99999:aee'),
    raw(`d1:ad2:id20:${'a'.repeat(20)}9:info_hash20:${'a'.repeat(20)}4:porti99999999999999999999999e5:token20:${'a'.repeat(20)}e1:q13:announce_peer1:t2:aa1:y1:qe`),
    raw(`d1:ad2:id20:${'a'.repeat(20)}3:seqi-99999999999999999999999e6:target20:${'a'.repeat(20)}e1:q3:get1:t2:aa1:y1:qe`),
    raw('d1:t2:aa1:y1:q1:q4:ping1:ad2:id-5:aee'),
    bencode.encode({ t: 'aa', y: 'r', r: { id: 5 } }),
    bencode.encode({ t: 'aa', y: 'r', r: 'not a dict' }),
    bencode.encode({ t: 'aa', y: 'e', e: 'not a list' }),
    bencode.encode({ t: 'aa', y: 'e', e: [{ a: 1 }, [2]] }),
    bencode.encode({ t: 5, y: 'r', r: { id: ID } }),
    bencode.encode({ t: Buffer.alloc(1), y: 'r', r: { id: ID } }),
  ];
}

describe('a node under garbage', () => {
  it('survives random datagrams, malformed bencode and mistyped KRPC, and still answers', async () => {
    const random = Array.from({ length: 200 }, () => fuzzBytes(1 + Math.floor(rand() * 1400)));
    await fire(random);
    await fire(malformedEnvelopes());
    await fire(badQueries());

    expect(uncaught, `fuzz seed ${SEED}`).toEqual([]);
    const pong = await pingVictim();
    expect((pong.r as { id: Buffer }).id.equals(Buffer.from(victim.nodeId()))).toBe(true);
    expect(victim.stats().droppedDatagrams).toBeGreaterThan(100);
    // The rest of the DHT is still usable from the victim.
    expect(await victim.observedAddress()).toEqual(victim.address());
  });

  it('survives peers that answer its own queries with mistyped replies, and its lookups still end', async () => {
    // An evil node: joins the victim's table with a well-formed ping, then
    // answers every query the victim sends with a reply of the wrong shape.
    const replies: Array<(t: Buffer) => Buffer> = [
      (t) => bencode.encode({ t, y: 'r', r: { id: 5 } }),
      (t) => bencode.encode({ t, y: 'r', r: { id: { x: 1 } } }),
      (t) => bencode.encode({ t, y: 'r', r: { id: ID, nodes: 5 } }),
      (t) => bencode.encode({ t, y: 'r', r: { id: ID, token: 5, v: { x: 1 }, k: 1, sig: 2, seq: 'x' } }),
      (t) => bencode.encode({ t, y: 'r', r: { id: ID, values: [1, { a: 2 }] } }),
      (t) => bencode.encode({ t, y: 'r', r: { id: ID, nodes: Buffer.alloc(27, 1) } }),
      (t) => bencode.encode({ t, y: 'e', e: [{ no: 1 }] }),
    ];
    const evil: Socket[] = [];
    for (const reply of replies) {
      const s = createSocket('udp4');
      await new Promise<void>((r) => s.bind(0, LOOPBACK, () => r()));
      const evilId = randomBytes(20);
      s.on('message', (buf, rinfo) => {
        try {
          const msg = bencode.decode(buf) as { t?: Buffer; y?: Buffer };
          if (Buffer.isBuffer(msg.t) && msg.y?.toString() === 'q') s.send(reply(msg.t), rinfo.port, rinfo.address);
        } catch {
          /* ignore */
        }
      });
      s.send(bencode.encode({ t: 'zz', y: 'q', q: 'ping', a: { id: evilId } }), victim.address().port, victim.address().host);
      evil.push(s);
    }
    await new Promise((r) => setTimeout(r, 100));
    try {
      for (let i = 0; i < 3; i++) {
        // The resolver's own deadline is out of reach: a lookup stuck on the evil replies is a hang the test deadline catches.
        await expect(new RecordResolver(victim, { timeoutMs: 600_000 }).lookup(generateIdentity().publicKey)).rejects.toBeInstanceOf(RecordNotFoundError);
      }
      expect((await pingVictim()).y?.toString()).toBe('r');
      expect(uncaught, `fuzz seed ${SEED}`).toEqual([]);
    } finally {
      evil.forEach((s) => s.close());
    }
  });

  it('survives 3,000 random KRPC-shaped messages built from the real field names', async () => {
    const names = ['ping', 'find_node', 'get_peers', 'announce_peer', 'get', 'put', OBSERVED_ADDRESS_QUERY];
    const fields = ['id', 'target', 'info_hash', 'token', 'port', 'implied_port', 'v', 'k', 'sig', 'seq', 'salt', 'cas', 'nodes', 'values', 'ip'];
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const value = (depth: number): unknown => {
      switch (Math.floor(rand() * (depth > 1 ? 4 : 6))) {
        case 0:
          return Math.floor((rand() - 0.5) * 2 ** (rand() * 60));
        case 1:
          return fuzzBytes(pick([0, 1, 2, 6, 20, 26, 32, 64, 65, 300]));
        case 2:
          return pick([ID, KEY, SIG, Buffer.from('q'), Buffer.from('r')]);
        case 3:
          return Buffer.from(pick(names));
        case 4:
          return Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1));
        default:
          return Object.fromEntries(Array.from({ length: Math.floor(rand() * 5) }, () => [pick(fields), value(depth + 1)]));
      }
    };
    const messages = Array.from({ length: 3000 }, () => {
      const body = Object.fromEntries(Array.from({ length: 1 + Math.floor(rand() * 6) }, () => [pick(fields), value(1)]));
      const y = pick(['q', 'q', 'r', 'e', 'x']);
      const msg: Record<string, unknown> = { t: rand() < 0.9 ? Buffer.from('aa') : value(1), y: rand() < 0.9 ? y : value(1) };
      if (y === 'q') Object.assign(msg, { q: rand() < 0.9 ? pick(names) : value(1), a: rand() < 0.9 ? { id: ID, ...body } : value(1) });
      else if (y === 'r') msg.r = rand() < 0.9 ? { id: ID, ...body } : value(1);
      else msg.e = value(1);
      return bencode.encode(msg);
    });
    for (let i = 0; i < messages.length; i += 500) await fire(messages.slice(i, i + 500));
    expect(uncaught, `fuzz seed ${SEED}`).toEqual([]);
    expect((await pingVictim()).y?.toString()).toBe('r');
  });

  it('the guard passes well-formed KRPC through unchanged', () => {
    expect(checkDatagram(bencode.encode({ t: 'aa', y: 'q', q: 'ping', a: { id: ID } }))).toBeNull();
    expect(checkDatagram(bencode.encode({ t: 'aa', y: 'q', q: 'put', a: { id: ID, token: 'tok', v: 'x', k: KEY, sig: SIG, seq: 3, salt: 's' } }))).toBeNull();
    expect(checkDatagram(bencode.encode({ t: 'aa', y: 'r', r: { id: ID, nodes: Buffer.alloc(26), token: 'x', ip: Buffer.alloc(6) } }))).toBeNull();
    expect(checkDatagram(bencode.encode({ t: 'aa', y: 'e', e: [201, 'Generic Error'] }))).toBeNull();
  });

  it('the guard bounds a put by bytes, not by list items (the 716x amplification)', () => {
    const put = (v: unknown) => checkDatagram(bencode.encode({ t: 'aa', y: 'q', q: 'put', a: { id: ID, token: 'tok', v } }));
    expect(put(Buffer.alloc(1000, 1))).toBeNull();
    expect(put([Buffer.alloc(400), Buffer.alloc(400)])).toBeNull();
    expect(put(Buffer.alloc(1001, 1))).toBe('v is over 1000 bytes');
    // Two items, 2 KB: bittorrent-dht's own check (v.length, here 2) lets it through.
    expect(put([Buffer.alloc(1000), Buffer.alloc(1000)])).toBe('v is over 1000 bytes');
    expect(put({ a: Buffer.alloc(1200) })).toBe('v is over 1000 bytes');
  });
});
