// Reflection bounds: no answer over 1,200 bytes, and at most 4x the request
// to a source that has not proven its address. The budget as a pure unit,
// then a real DhtNode holding a full-size (1,000-byte) mutable item, asked
// by a raw UDP client (a stranger) and read by our own resolver.
import { createHash } from 'node:crypto';
import bencode from 'bencode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerBudget, MAX_ANSWER_BYTES, shapeAnswer } from '../src/answer-budget.js';
import { DhtNode } from '../src/dht-node.js';
import { generateIdentity, sign } from '../src/identity.js';
import { RawKrpcClient } from './raw-krpc-client.js';

const t = Buffer.from('ab');

describe('AnswerBudget', () => {
  it('holds an unproven source to 4x its request, and a proven one to 1,200 bytes', () => {
    const b = new AnswerBudget();
    b.queryReceived('10.0.0.1', 5000, t, 86);
    expect(b.budgetFor('10.0.0.1', 5000, t)).toBe(344);
    b.querySent('10.0.0.1', 6000, Buffer.from('q1'));
    b.responseReceived('10.0.0.1', 6000, Buffer.from('q1'));
    b.queryReceived('10.0.0.1', 5000, t, 86);
    expect(b.budgetFor('10.0.0.1', 5000, t)).toBe(MAX_ANSWER_BYTES);
  });

  it('is not proven by a response to a query it never got (a spoofer cannot guess our transaction id)', () => {
    const b = new AnswerBudget();
    b.querySent('10.0.0.2', 6000, Buffer.from('q1'));
    b.responseReceived('10.0.0.2', 6000, Buffer.from('zz'));
    b.responseReceived('10.0.0.3', 6000, Buffer.from('q1'));
    expect(b.isProven('10.0.0.2')).toBe(false);
    expect(b.isProven('10.0.0.3')).toBe(false);
  });

  it('forgets a proof after 15 minutes', () => {
    let now = 0;
    const b = new AnswerBudget(() => now);
    b.querySent('10.0.0.4', 1, t);
    b.responseReceived('10.0.0.4', 1, t);
    now = 15 * 60_000 - 1;
    expect(b.isProven('10.0.0.4')).toBe(true);
    now = 15 * 60_000;
    expect(b.isProven('10.0.0.4')).toBe(false);
  });
});

describe('shapeAnswer', () => {
  const nodes = Buffer.alloc(26 * 8, 1);
  const answer = { t, y: Buffer.from('r'), r: { id: Buffer.alloc(20), token: Buffer.alloc(8), nodes, v: Buffer.alloc(1000), k: Buffer.alloc(32), sig: Buffer.alloc(64), seq: 1 } };

  it('trims nodes first, keeping the value, down to the budget', () => {
    const out = shapeAnswer(answer, 1200)!;
    expect(out.length).toBeLessThanOrEqual(1200);
    const r = (bencode.decode(out) as { r: { v: Buffer; nodes?: Buffer } }).r;
    expect(r.v.length).toBe(1000);
    expect(r.nodes?.length ?? 0).toBeLessThan(nodes.length);
  });

  it('leaves the value out, with nodes and token, when the value alone is over the budget', () => {
    const out = shapeAnswer(answer, 344)!;
    expect(out.length).toBeLessThanOrEqual(344);
    const r = (bencode.decode(out) as { r: Record<string, Buffer> }).r;
    expect(r.v).toBeUndefined();
    expect(r.sig).toBeUndefined();
    expect(r.token?.length).toBe(8);
    expect(r.nodes?.length).toBe(26 * 8);
  });
});

describe('a node holding a full-size item', () => {
  let node: DhtNode;
  let client: RawKrpcClient;
  const identity = generateIdentity();
  const target = createHash('sha1').update(identity.publicKey).digest();
  const ask = async (q: string, a: Record<string, unknown>) => {
    const { request, answer, msg } = await client.ask(node.address(), q, a);
    return { request, answer, r: msg.r as Record<string, unknown> };
  };

  beforeAll(async () => {
    node = await DhtNode.start({ port: 0, host: '127.0.0.1', bootstrap: [] });
    // Eight neighbours, so answers carry full node lists too.
    await Promise.all(Array.from({ length: 8 }, () => DhtNode.start({ port: 0, host: '127.0.0.1', bootstrap: [node.address()] }).then((n) => neighbours.push(n))));
    client = await RawKrpcClient.open();
    const v = Buffer.alloc(1000, 0x61);
    const sig = sign(identity, Buffer.concat([Buffer.from('3:seqi1e1:v'), bencode.encode(v)]));
    const token = (await ask('get', { target })).r.token;
    expect((await ask('put', { token, k: Buffer.from(identity.publicKey), sig: Buffer.from(sig), seq: 1, v })).r.id).toBeDefined();
  });
  const neighbours: DhtNode[] = [];

  afterAll(async () => {
    client.close();
    await Promise.all([node, ...neighbours].map((n) => n.stop()));
  });

  it('answers a stranger\'s bare get within 4x, without the value', async () => {
    const { request, answer, r } = await ask('get', { target });
    expect(answer.length).toBeLessThanOrEqual(4 * request);
    expect(r.v).toBeUndefined();
    expect(Buffer.isBuffer(r.token)).toBe(true);
  });

  it('answers a get padded to over 300 bytes with the value, within 1,200 bytes', async () => {
    const { request, answer, r } = await ask('get', { target, pad: Buffer.alloc(224) });
    expect((r.v as Buffer).length).toBe(1000);
    expect(answer.length).toBeLessThanOrEqual(MAX_ANSWER_BYTES);
    expect(answer.length).toBeLessThanOrEqual(4 * request);
  });

  it('answers a proven source in full (within 1,200 bytes) even unpadded', async () => {
    // The node queries our client; the client answering proves its address.
    const proven = new Promise<void>((resolve) => {
      const onQuery = (buf: Buffer) => {
        const msg = bencode.decode(buf) as { t: Buffer; y: Buffer };
        if (msg.y?.toString() !== 'q') return;
        client.socket.off('message', onQuery);
        client.socket.send(bencode.encode({ t: msg.t, y: 'r', r: { id: Buffer.alloc(20, 7) } }), node.address().port, '127.0.0.1', () => resolve());
      };
      client.socket.on('message', onQuery);
    });
    node.krpc.query({ host: '127.0.0.1', port: client.socket.address().port }, { q: 'ping', a: { id: node.krpc.id } }, () => undefined);
    await proven;
    await new Promise((r) => setTimeout(r, 50));
    const { answer, r } = await ask('get', { target });
    expect((r.v as Buffer).length).toBe(1000);
    expect(answer.length).toBeLessThanOrEqual(MAX_ANSWER_BYTES);
  });
});
