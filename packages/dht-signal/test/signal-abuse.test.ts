// Floods and garbage against introducers and listeners, on 127.0.0.0/8 only.
import { randomBytes } from 'node:crypto';
import { p2pnode } from '@p2p-node/protos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DhtNode } from '../src/dht-node.js';
import { generateIdentity } from '../src/identity.js';
import { type Introducer, serveIntroducer } from '../src/introducer.js';
import { encodeOffer, newNonce, sealSignal } from '../src/signal-codec.js';
import { requestPunch } from '../src/signal-dialer.js';
import { SignalListener } from '../src/signal-listener.js';
import { SIGNAL_ERROR, SIGNAL_QUERY } from '../src/signal-protocol.js';
import { offer, rawQuery, type RawReply, sleep, standaloneNode } from './signal-fixtures.js';

const uncaught: unknown[] = [];
const onUncaught = (err: unknown): void => {
  uncaught.push(err);
};
const dialerId = generateIdentity();
const listenerId = generateIdentity();
let nodes: DhtNode[] = [];
let introNode: DhtNode;
let listenerNode: DhtNode;
let dialerNode: DhtNode;
let attackerNode: DhtNode;
let intro: Introducer;
let listener: SignalListener;
let handled = 0;

beforeAll(async () => {
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  [introNode, listenerNode, dialerNode] = await Promise.all([standaloneNode(), standaloneNode(), standaloneNode()]);
  // The attacker has its own loopback address, so "per source IP" can tell it from the dialer.
  attackerNode = await standaloneNode('127.0.0.2');
  nodes = [introNode, listenerNode, dialerNode, attackerNode];
  intro = serveIntroducer(introNode, { rateLimit: { capacity: 10, refillPerSec: 5 } });
  listener = await SignalListener.start(listenerNode, { identity: listenerId, introducers: [introNode.address()] }, () => {
    handled++;
    return offer(40_000);
  });
});

afterAll(async () => {
  listener.stop();
  await Promise.all(nodes.map((n) => n.stop()));
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
});

describe('introducer under a flood from one source', () => {
  it('rate-limits that source, shields the listener, and keeps serving others', async () => {
    const handledBefore = handled;
    const started = performance.now();
    // 300 distinct, validly signed requests for the registered key, about 3,000 a second (in
    // bursts of 30: all 300 at once would overflow the socket's receive buffer, and the kernel,
    // not the rate limiter, would drop them).
    const flood: Array<Promise<RawReply>> = [];
    const sending = (async () => {
      for (let burst = 0; burst < 10; burst++) {
        for (let i = 0; i < 30; i++) {
          const m = Buffer.from(sealSignal(dialerId, { kind: 'request', targetKey: listenerId.publicKey, offerBytes: encodeOffer(offer(1)) }));
          flood.push(rawQuery(attackerNode, introNode.address(), SIGNAL_QUERY.request, { m }, 1000));
        }
        await sleep(10);
      }
    })();
    await sleep(20);
    // Meanwhile an honest dialer from 127.0.0.1 gets through.
    const honest = await requestPunch(dialerNode, dialerId, { target: listenerId.publicKey, introducers: [introNode.address()], offer: offer(2) });
    await sending;
    const replies = await Promise.all(flood);
    const elapsedSec = (performance.now() - started) / 1000;

    expect(honest.answer.offer.localPort).toBe(40_000);
    const answered = replies.filter((r) => r.r !== undefined).length;
    const limited = replies.filter((r) => r.code === SIGNAL_ERROR.rateLimited).length;
    // Burst of 10 plus 5/s of refill while the flood lasted.
    const allowance = 10 + Math.ceil(5 * elapsedSec);
    expect(answered).toBeGreaterThan(0);
    expect(answered).toBeLessThanOrEqual(allowance);
    // "Slow down" notices are bounded per source (64, then 32/s), so the flood is not answered in full.
    expect(limited).toBeGreaterThanOrEqual(1);
    expect(limited).toBeLessThanOrEqual(64 + Math.ceil(32 * elapsedSec));
    expect(limited).toBeLessThan(300 - allowance);
    expect(intro.stats().rateLimited).toBeGreaterThanOrEqual(300 - allowance);
    // The listener ran its handler only for what got through, plus the honest request.
    expect(handled - handledBefore).toBeLessThanOrEqual(allowance + 1);
    expect(uncaught).toEqual([]);
  });
});

describe('garbage extension messages', () => {
  it('never crash an introducer or a listener, get a typed error, and leave both serving', async () => {
    const gIntroNode = await standaloneNode();
    const gListenerNode = await standaloneNode();
    const garbageSender = await standaloneNode();
    nodes.push(gIntroNode, gListenerNode, garbageSender);
    const gIntro = serveIntroducer(gIntroNode, { rateLimit: { capacity: 10_000, refillPerSec: 10_000 } });
    const gId = generateIdentity();
    // Accepts forwards from anyone, so garbage sent straight to it is parsed, not just ignored.
    const gListener = await SignalListener.start(gListenerNode, { identity: gId, introducers: [gIntroNode.address()], acceptForwardsFromAnyone: true }, () =>
      offer(40_002),
    );
    try {
      const body = (fields: p2pnode.SignalBody.$Properties): Buffer =>
        Buffer.from(p2pnode.SignedSignal.encode({ body: p2pnode.SignalBody.encode(fields).finish(), signature: randomBytes(64) }).finish());
      const base = { senderKey: dialerId.publicKey, targetKey: gId.publicKey, nonce: newNonce(), issuedAtMs: Date.now() };
      const everywhere = [SIGNAL_QUERY.register, SIGNAL_QUERY.request, SIGNAL_QUERY.forward];
      const garbage: Array<[unknown, readonly string[]]> = [
        [undefined, everywhere],
        [42, everywhere],
        [[1, 2], everywhere],
        [{ nested: Buffer.alloc(3) }, everywhere],
        [Buffer.alloc(0), everywhere],
        [randomBytes(1), everywhere],
        [randomBytes(200), everywhere],
        [randomBytes(1500), everywhere],
        [Buffer.alloc(1200, 0xff), everywhere],
        [body({ ...base, kind: 7 as p2pnode.SignalKind }), everywhere],
        [body({ ...base, kind: p2pnode.SignalKind.SIGNAL_ANSWER }), everywhere],
        [body({ ...base, kind: p2pnode.SignalKind.SIGNAL_REGISTER, targetKey: new Uint8Array() }), everywhere],
        [body({ ...base, kind: p2pnode.SignalKind.SIGNAL_REQUEST, nonce: new Uint8Array(3) }), everywhere],
        // Properly signed, but the offer inside is junk (the introducer cannot tell: the listener refuses it).
        [Buffer.from(sealSignal(dialerId, { kind: 'request', targetKey: gId.publicKey, offerBytes: randomBytes(40) })), [SIGNAL_QUERY.request, SIGNAL_QUERY.forward]],
        // A valid request sent as a registration, a valid registration sent as a request.
        [Buffer.from(sealSignal(dialerId, { kind: 'request', targetKey: gId.publicKey, offerBytes: encodeOffer(offer(1)) })), [SIGNAL_QUERY.register]],
        [Buffer.from(sealSignal(dialerId, { kind: 'register' })), [SIGNAL_QUERY.request, SIGNAL_QUERY.forward]],
      ];
      const replies: Array<[string, RawReply]> = [];
      for (const [i, [m, paths]] of garbage.entries()) {
        const a = m === undefined ? {} : { m };
        for (const q of paths) {
          const target = q === SIGNAL_QUERY.forward ? gListenerNode : gIntroNode;
          replies.push([`${q} #${i}`, await rawQuery(garbageSender, target.address(), q, a)]);
        }
      }
      expect(uncaught).toEqual([]);
      // Every piece of garbage got a KRPC error from the 2xx range (never an answer, never silence),
      // except that a well-formed registration without a token is answered with a token only.
      for (const [what, reply] of replies) {
        if (reply.r !== undefined && what.startsWith(SIGNAL_QUERY.register)) {
          expect(Object.keys(reply.r).sort(), what).toEqual(['id', 'ip', 'tok']);
          continue;
        }
        expect(reply.r, what).toBeUndefined();
        expect(reply.timedOut, what).toBeUndefined();
        expect(reply.code, what).toBeGreaterThanOrEqual(203);
        expect(reply.code, what).toBeLessThan(260);
      }
      // Nothing sent here registered anything, and none of it hit a bug.
      expect(gIntro.stats().registrations).toBe(1);
      expect(gIntro.stats().internalErrors).toBe(0);

      // Both still do their job.
      const result = await requestPunch(dialerNode, dialerId, { target: gId.publicKey, introducers: [gIntroNode.address()], offer: offer(3) });
      expect(result.answer.offer.localPort).toBe(40_002);
    } finally {
      gListener.stop();
    }
  });

  it('a garbage answer relayed to the dialer counts as a bad answer, not a crash', async () => {
    const junkNode = await standaloneNode();
    nodes.push(junkNode);
    junkNode.krpc.on('query', (query, peer) => junkNode.krpc.response(peer, query, { id: junkNode.krpc.id, m: randomBytes(100) }));
    const result = await requestPunch(dialerNode, dialerId, {
      target: listenerId.publicKey,
      introducers: [junkNode.address(), introNode.address()],
      offer: offer(4),
    });
    expect(result.attempts.map((a) => a.outcome)).toEqual(['bad-answer']);
    expect(result.attempts[0]!.detail).toMatch(/^malformed answer/);
    expect(uncaught).toEqual([]);
  });

  it('ignores forwards from addresses that are not its introducers', async () => {
    const stranger = await standaloneNode();
    nodes.push(stranger);
    const before = handled;
    const m = Buffer.from(sealSignal(dialerId, { kind: 'request', targetKey: listenerId.publicKey, offerBytes: encodeOffer(offer(5)) }));
    const reply = await rawQuery(stranger, listenerNode.address(), SIGNAL_QUERY.forward, { m });
    expect(reply.timedOut).toBe(true);
    expect(handled).toBe(before);
  });
});
