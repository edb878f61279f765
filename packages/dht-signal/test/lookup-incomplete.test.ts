// A lookup that could not hear from the nodes closest to the key must not
// claim the record is absent: it says it ran out of time, or that no node
// answered. Real UDP on 127.0.0.1: silent nodes are bound sockets that
// never reply; the talking one is a raw KRPC responder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSocket, type Socket } from 'node:dgram';
import bencode from 'bencode';
import { DhtNode } from '../src/dht-node.js';
import { RecordLookupIncompleteError, RecordNotFoundError } from '../src/errors.js';
import { generateIdentity } from '../src/identity.js';
import { RecordResolver } from '../src/records.js';
import { targetOf } from './forge.js';
import { LOOPBACK } from './swarm.js';

const sockets: Socket[] = [];

async function bound(onMessage?: (msg: Buffer, from: { address: string; port: number }, socket: Socket) => void): Promise<Socket> {
  const s = createSocket('udp4');
  if (onMessage) s.on('message', (msg, rinfo) => onMessage(msg, rinfo, s));
  await new Promise<void>((r) => s.bind(0, LOOPBACK, r));
  sockets.push(s);
  return s;
}

afterAll(() => {
  for (const s of sockets) s.close();
});

/** Node id `target` with its last byte changed: closer to the target than any random id. */
function closeTo(target: Buffer, i: number): Buffer {
  const id = Buffer.from(target);
  id[19] = id[19]! ^ (i + 1);
  return id;
}

describe('a lookup that cannot finish', () => {
  let silentPorts: number[] = [];
  beforeAll(async () => {
    silentPorts = await Promise.all(Array.from({ length: 8 }, async () => (await bound()).address().port));
  });

  it('with only silent bootstrap nodes: "no DHT node answered", never not-found', async () => {
    const reader = await DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: silentPorts.slice(0, 2).map((port) => ({ host: LOOPBACK, port })), queryTimeoutMs: 300 });
    try {
      const key = generateIdentity().publicKey;
      const err = await new RecordResolver(reader, { timeoutMs: 5_000 }).lookup(key).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RecordLookupIncompleteError);
      expect(err).not.toBeInstanceOf(RecordNotFoundError);
      expect((err as RecordLookupIncompleteError).reason).toBe('no-answer');
      expect((err as RecordLookupIncompleteError).asked).toBe(2);
      expect((err as Error).message).toMatch(/^no DHT node answered the lookup for [0-9a-f]{64} \(2 asked in \d+ ms\)/);
    } finally {
      await reader.stop();
    }
  });

  it('past its deadline while the nodes closest to the key are still silent: "ran out of time", never not-found', async () => {
    const key = generateIdentity().publicKey;
    const target = targetOf(key);
    // Answers every query (get and the join's find_node) with the 8 silent nodes, all closer to the key than itself.
    const nodes = Buffer.concat(
      silentPorts.map((port, i) => {
        const info = Buffer.alloc(26);
        closeTo(target, i).copy(info, 0);
        Buffer.from([127, 0, 0, 1]).copy(info, 20);
        info.writeUInt16BE(port, 24);
        return info;
      }),
    );
    const talkerId = Buffer.alloc(20, 0xff);
    const talker = await bound((msg, from, s) => {
      const q = bencode.decode(msg) as { t: Buffer; y: Buffer };
      if (q.y?.toString() !== 'q') return;
      s.send(bencode.encode({ t: q.t, y: 'r', r: { id: talkerId, nodes, token: Buffer.from('tok') } }), from.port, from.address);
    });
    const reader = await DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: [{ host: LOOPBACK, port: talker.address().port }], queryTimeoutMs: 10_000 });
    try {
      // Silent nodes count as dead only after 3 s: the 800 ms deadline comes first.
      const err = await new RecordResolver(reader, { timeoutMs: 800, minSilenceMs: 3_000, maxSilenceMs: 3_000 }).lookup(key).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RecordLookupIncompleteError);
      expect((err as RecordLookupIncompleteError).reason).toBe('timeout');
      expect((err as RecordLookupIncompleteError).answered).toBe(1);
      expect((err as Error).message).toMatch(/ran out of time after \d+ ms before the nodes closest to it answered \(1 of \d+ asked did\): the record may exist$/);
      // The same walk given time to see them silent (dead) ends as not-found: the nodes that could hold the record were asked.
      const settled = await new RecordResolver(reader, { timeoutMs: 5_000, minSilenceMs: 300, maxSilenceMs: 300 }).lookup(key).catch((e: unknown) => e);
      expect(settled).toBeInstanceOf(RecordNotFoundError);
    } finally {
      await reader.stop();
    }
  });
});
