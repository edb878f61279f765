// One source IP may hold only its share of a node's storage: a pure unit,
// then a real node that a raw client floods with puts and announces.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DhtNode } from '../src/dht-node.js';
import { StoreQuota } from '../src/store-quota.js';
import { RawKrpcClient } from './raw-krpc-client.js';

describe('StoreQuota', () => {
  it('admits up to its share of distinct items per IP, republishes always, others untouched', () => {
    const q = new StoreQuota(3, 60_000, 10, () => 0);
    expect(['a', 'b', 'c'].map((x) => q.admit('1.1.1.1', x))).toEqual([true, true, true]);
    expect(q.admit('1.1.1.1', 'd')).toBe(false);
    expect(q.admit('1.1.1.1', 'b')).toBe(true); // a republish
    expect(q.admit('2.2.2.2', 'd')).toBe(true);
  });

  it('forgets what an IP held once the hold time has passed', () => {
    let now = 0;
    const q = new StoreQuota(1, 1000, 10, () => now);
    expect(q.admit('1.1.1.1', 'a')).toBe(true);
    expect(q.admit('1.1.1.1', 'b')).toBe(false);
    now = 1000;
    expect(q.admit('1.1.1.1', 'b')).toBe(true);
  });
});

describe('a node flooded with puts and announces from one IP', () => {
  let node: DhtNode;
  let client: RawKrpcClient;
  const ask = async (q: string, a: Record<string, unknown>) => (await client.ask(node.address(), q, a)).msg;

  beforeAll(async () => {
    node = await DhtNode.start({ port: 0, host: '127.0.0.1', bootstrap: [] });
    client = await RawKrpcClient.open();
  });
  afterAll(async () => {
    client.close();
    await node.stop();
  });

  it('stores 64 immutable items from it, refuses the 65th with an error, and still serves it the first', async () => {
    const token = ((await ask('get', { target: Buffer.alloc(20, 1) })).r as { token: Buffer }).token;
    const answers = [];
    for (let i = 0; i < 65; i++) answers.push(await ask('put', { token, v: Buffer.from(`item ${i}`) }));
    expect(answers.slice(0, 64).every((m) => (m.y as Buffer).toString() === 'r')).toBe(true);
    expect(answers[64]!.e).toEqual([201, Buffer.from('too many items stored from your address')]);
    // The same item again is a republish: allowed.
    expect(((await ask('put', { token, v: Buffer.from('item 0') })).y as Buffer).toString()).toBe('r');
  });

  it('takes 64 announced ports for one info_hash from it, not the 65th', async () => {
    const info_hash = Buffer.alloc(20, 9);
    const token = ((await ask('get_peers', { info_hash })).r as { token: Buffer }).token;
    const kinds = [];
    for (let i = 0; i < 65; i++) kinds.push(((await ask('announce_peer', { info_hash, port: 20_000 + i, token })).y as Buffer).toString());
    expect(kinds.filter((k) => k === 'r')).toHaveLength(64);
    expect(kinds[64]).toBe('e');
  });
});
