// Signaling over lossy links and through a NAT-like relay, on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DhtNode } from '../src/dht-node.js';
import { generateIdentity } from '../src/identity.js';
import { serveIntroducer } from '../src/introducer.js';
import { requestPunch } from '../src/signal-dialer.js';
import { SignalUnreachableError } from '../src/signal-errors.js';
import { SignalListener } from '../src/signal-listener.js';
import { LossyRelay, seededRandom } from './lossy-relay.js';
import { offer, standaloneNode } from './signal-fixtures.js';

let nodes: DhtNode[];
const relays: LossyRelay[] = [];

beforeAll(async () => {
  nodes = [];
});

afterAll(async () => {
  for (const r of relays) r.close();
  await Promise.all(nodes.map((n) => n.stop()));
});

async function setup(lossRate: number, seed: number, forwardTimeoutMs = 1000) {
  const [introNode, listenerNode, dialerNode] = await Promise.all([standaloneNode(), standaloneNode(), standaloneNode()]);
  nodes.push(introNode!, listenerNode!, dialerNode!);
  // Everything here comes from 127.0.0.1 and dials back to back: no rate limit in the way.
  const introducer = serveIntroducer(introNode!, { forwardTimeoutMs, rateLimit: { capacity: 1000, refillPerSec: 1000 } });
  // Listener and dialer each reach the introducer through their own lossy "NAT".
  const listenerSide = await LossyRelay.start(introNode!.address(), lossRate, seededRandom(seed));
  const dialerSide = await LossyRelay.start(introNode!.address(), lossRate, seededRandom(seed + 1));
  relays.push(listenerSide, dialerSide);
  const listenerId = generateIdentity();
  let handled = 0;
  const listener = await SignalListener.start(listenerNode!, { identity: listenerId, introducers: [listenerSide.address()], retryMs: 100, attempts: 10 }, () => {
    handled++;
    return offer(40_000);
  });
  return { introducer, listenerNode: listenerNode!, dialerNode: dialerNode!, listenerSide, dialerSide, listenerId, listener, handled: () => handled };
}

describe('signaling with loss', () => {
  it('gets every request answered, exactly once each, with 5% loss on both access links', async () => {
    const s = await setup(0.05, 1);
    try {
      expect(s.listener.accepted()).toEqual([s.listenerSide.address()]);
      // The introducer sees the listener at its "NAT" mapping, not at its socket.
      const reg = s.introducer.registrationOf(s.listenerId.publicKey);
      expect(reg, 'the listener is not registered').toBeDefined();
      expect(s.listenerSide.mappedPorts()).toContain(reg!.port);
      expect(reg!.port).not.toBe(s.listenerNode.address().port);
      const dialerId = generateIdentity();
      // Long enough that a round trip counting a retransmission wait cannot pass for a path's.
      const retryMs = 500;
      const rtts: number[] = [];
      const totals: number[] = [];
      for (let i = 0; i < 40; i++) {
        const t0 = performance.now();
        const result = await requestPunch(s.dialerNode, dialerId, {
          target: s.listenerId.publicKey,
          introducers: [s.dialerSide.address()],
          offer: offer(50_000 + i),
          retryMs,
          attemptsPerIntroducer: 10,
        });
        expect(result.answer.offer.localPort).toBe(40_000);
        rtts.push(result.rttMs);
        totals.push(performance.now() - t0);
      }
      // Loss really happened on the way, and retransmissions never ran the handler twice.
      expect(s.listenerSide.dropped.in + s.listenerSide.dropped.out + s.dialerSide.dropped.in + s.dialerSide.dropped.out).toBeGreaterThan(0);
      expect(s.handled()).toBe(40);
      rtts.sort((a, b) => a - b);
      totals.sort((a, b) => a - b);
      const pct = (xs: number[], p: number): number => Math.round(xs[Math.min(xs.length - 1, Math.floor(xs.length * p))]! * 10) / 10;
      console.log(
        `signaling with 5% loss per crossing, 40 requests (ms): rtt median ${pct(rtts, 0.5)} p90 ${pct(rtts, 0.9)}; request-to-answer median ${pct(totals, 0.5)} p90 ${pct(totals, 0.9)} max ${pct(totals, 0.999)}`,
      );
      // The round trip reported is the path's (the introducer names the transmission whose forward
      // was answered), never one that includes a retransmission wait (>= retryMs; loopback takes ~1 ms).
      expect(rtts.at(-1)!).toBeLessThan(retryMs);
      // While some requests did need a retransmission: a timer wait, so never shorter than retryMs.
      expect(totals.at(-1)!).toBeGreaterThanOrEqual(retryMs);
    } finally {
      s.listener.stop();
    }
  });

  it('survives 25% loss per link crossing', async () => {
    const s = await setup(0.25, 7);
    try {
      const dialerId = generateIdentity();
      for (let i = 0; i < 10; i++) {
        const result = await requestPunch(s.dialerNode, dialerId, {
          target: s.listenerId.publicKey,
          introducers: [s.dialerSide.address()],
          offer: offer(50_000 + i),
          retryMs: 100,
          attemptsPerIntroducer: 15,
        });
        expect(result.answer.offer.localPort).toBe(40_000);
      }
      expect(s.handled()).toBe(10);
    } finally {
      s.listener.stop();
    }
  });

  it('reports unreachable while the listener NAT mapping is gone, and recovers at the next refresh', async () => {
    const s = await setup(0, 3, 300);
    try {
      const dialerId = generateIdentity();
      const dial = () =>
        requestPunch(s.dialerNode, dialerId, { target: s.listenerId.publicKey, introducers: [s.dialerSide.address()], offer: offer(50_100), retryMs: 200, attemptsPerIntroducer: 3 });
      await dial();
      // The NAT forgets the listener's mapping: forwards to it go nowhere.
      s.listenerSide.dropMappings();
      const err = await dial().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SignalUnreachableError);
      // The introducer's verdict (its forward timed out), not the dialer giving up on silence.
      expect((err as SignalUnreachableError).attempts[0]!.outcome).toBe('unreachable');
      // A refresh opens a new mapping and moves the registration to it.
      await s.listener.refresh();
      const result = await dial();
      expect(result.answer.offer.localPort).toBe(40_000);
    } finally {
      s.listener.stop();
    }
  });
});
