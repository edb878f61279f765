// Every refusal an introducer or a listener can give, as the dialer sees it
// through requestPunch: which IntroducerOutcome or SignalRejectReason it
// becomes. Real UDP on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DhtNode } from '../src/dht-node.js';
import { generateIdentity } from '../src/identity.js';
import { serveIntroducer } from '../src/introducer.js';
import { encodeOffer, sealSignal } from '../src/signal-codec.js';
import { requestPunch } from '../src/signal-dialer.js';
import { SignalBusyError, SignalRejectedError, SignalUnreachableError } from '../src/signal-errors.js';
import { SignalListener } from '../src/signal-listener.js';
import { SIGNAL_ERROR, SIGNAL_QUERY } from '../src/signal-protocol.js';
import { offer, rawQuery, registerRaw, sleep, standaloneNode } from './signal-fixtures.js';

const dialerId = generateIdentity();
const nodes: DhtNode[] = [];
let dialerNode: DhtNode;

async function node(): Promise<DhtNode> {
  const n = await standaloneNode();
  nodes.push(n);
  return n;
}

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ok(); i++) await sleep(10);
  if (!ok()) throw new Error(`${what} never happened`);
}

const request = (target: Uint8Array): Buffer =>
  Buffer.from(sealSignal(dialerId, { kind: 'request', targetKey: target, offerBytes: encodeOffer(offer(1)) }));

beforeAll(async () => {
  dialerNode = await node();
});

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
});

describe('introducer refusals seen through requestPunch', () => {
  it('a source over its rate gets "rate-limited", and asks again until the deadline', async () => {
    const introNode = await node();
    const intro = serveIntroducer(introNode, { rateLimit: { capacity: 1, refillPerSec: 0.01 } });
    // The one token of 127.0.0.1's bucket goes to this query (answered: no such listener).
    expect((await rawQuery(dialerNode, introNode.address(), SIGNAL_QUERY.request, { m: request(generateIdentity().publicKey) })).code).toBe(SIGNAL_ERROR.unknownKey);
    // "Slow down" is not a verdict: the dialer keeps asking, paced, until its deadline, then says the listener was busy.
    const err = await requestPunch(dialerNode, dialerId, { target: generateIdentity().publicKey, introducers: [introNode.address()], offer: offer(2), timeoutMs: 1500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SignalBusyError);
    expect((err as SignalBusyError).message).toContain(`${introNode.address().host}:${introNode.address().port} rate-limited`);
    expect(intro.stats().rateLimited).toBeGreaterThanOrEqual(2);
  });

  it('an introducer with its forward table full answers "busy"', async () => {
    const introNode = await node();
    const intro = serveIntroducer(introNode, { maxPendingForwards: 1, forwardTimeoutMs: 5000 });
    // A registered "listener" that never answers forwards, so the first request stays pending.
    const silent = await node();
    const silentId = generateIdentity();
    expect((await registerRaw(silent, introNode.address(), silentId)).r?.exp).toBeDefined();
    const pending = rawQuery(dialerNode, introNode.address(), SIGNAL_QUERY.request, { m: request(silentId.publicKey) }, 300);
    await until('the first forward', () => intro.stats().pendingForwards === 1);
    const err = await requestPunch(dialerNode, dialerId, { target: silentId.publicKey, introducers: [introNode.address()], offer: offer(3), timeoutMs: 1500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SignalBusyError);
    expect((err as SignalBusyError).message).toContain(`${introNode.address().host}:${introNode.address().port} busy: introducer busy`);
    await pending;
  });

  it('a full registration table refuses a new listener with tableFull', async () => {
    const introNode = await node();
    serveIntroducer(introNode, { maxRegistrations: 1 });
    const first = await node();
    const second = await node();
    expect((await registerRaw(first, introNode.address(), generateIdentity())).r?.exp).toBeDefined();
    const refused = await registerRaw(second, introNode.address(), generateIdentity());
    expect(refused.code).toBe(SIGNAL_ERROR.tableFull);
  });
});

describe('listener refusals seen through requestPunch', () => {
  it('a listener with all its handlers busy says "listener busy"; the dialer asks again and is served once a handler is free', async () => {
    const introNode = await node();
    serveIntroducer(introNode);
    const listenerNode = await node();
    const listenerId = generateIdentity();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    const listener = await SignalListener.start(listenerNode, { identity: listenerId, introducers: [introNode.address()], maxHandlersInFlight: 1 }, async (req) => {
      calls++;
      if (req.offer.localPort === 4) await gate;
      return offer(40_100 + calls);
    });
    try {
      const opts = { target: listenerId.publicKey, introducers: [introNode.address()], timeoutMs: 10_000 };
      const first = requestPunch(dialerNode, dialerId, { ...opts, offer: offer(4) });
      await until('the first handler call', () => calls === 1);
      const second = requestPunch(dialerNode, dialerId, { ...opts, offer: offer(5) });
      await sleep(600);
      // The second request was turned away while the only handler was taken, not handled and not failed.
      expect(calls).toBe(1);
      release();
      expect((await first).answer.offer.localPort).toBe(40_101);
      expect((await second).answer.offer.localPort).toBe(40_102);
    } finally {
      listener.stop();
    }
  });

  it('a listener that stays busy past the deadline ends the request with SignalBusyError, not a refusal', async () => {
    const introNode = await node();
    serveIntroducer(introNode);
    const listenerNode = await node();
    const listenerId = generateIdentity();
    const never = new Promise<never>(() => {});
    const listener = await SignalListener.start(listenerNode, { identity: listenerId, introducers: [introNode.address()], maxHandlersInFlight: 1 }, () => never);
    try {
      const opts = { target: listenerId.publicKey, introducers: [introNode.address()], timeoutMs: 1500 };
      const held = requestPunch(dialerNode, dialerId, { ...opts, offer: offer(4) }).catch((e: unknown) => e);
      const err = await requestPunch(dialerNode, dialerId, { ...opts, offer: offer(5) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SignalBusyError);
      expect((err as Error).message).toContain('listener-busy: listener busy: 1 requests at once');
      // The held one never heard "busy" (its handler ran): it simply timed out.
      expect(await held).not.toBeInstanceOf(SignalBusyError);
    } finally {
      listener.stop();
    }
  });

  it('a listener whose nonce memory is full says busy to new requests rather than risk a replay', async () => {
    const introNode = await node();
    serveIntroducer(introNode);
    const listenerNode = await node();
    const listenerId = generateIdentity();
    const listener = await SignalListener.start(listenerNode, { identity: listenerId, introducers: [introNode.address()], maxRememberedNonces: 1 }, () => offer(40_101));
    try {
      const opts = { target: listenerId.publicKey, introducers: [introNode.address()] };
      expect((await requestPunch(dialerNode, dialerId, { ...opts, offer: offer(6) })).answer.offer.localPort).toBe(40_101);
      const err = await requestPunch(dialerNode, dialerId, { ...opts, offer: offer(7), timeoutMs: 1500 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SignalBusyError);
      expect((err as Error).message).toContain('listener busy: too many requests in the last 30 s');
    } finally {
      listener.stop();
    }
  });

  it('a signed request whose offer cannot be read is refused as badRequest, relayed by the introducer', async () => {
    const introNode = await node();
    serveIntroducer(introNode);
    const listenerNode = await node();
    const listenerId = generateIdentity();
    const listener = await SignalListener.start(listenerNode, { identity: listenerId, introducers: [introNode.address()] }, () => offer(40_102));
    try {
      const junk = Buffer.from(sealSignal(dialerId, { kind: 'request', targetKey: listenerId.publicKey, offerBytes: Buffer.from('not an offer') }));
      expect((await rawQuery(dialerNode, introNode.address(), SIGNAL_QUERY.request, { m: junk })).code).toBe(SIGNAL_ERROR.badRequest);
    } finally {
      listener.stop();
    }
  });
});

describe('the dialer reads every KRPC error code an introducer may send', () => {
  // An introducer that answers every request with one fixed KRPC error: the
  // real ones produce these codes (see the tests above and signal-relay.test.ts);
  // here it is the dialer's reading of each that is checked.
  async function answering(code: number): Promise<DhtNode> {
    const fake = await node();
    fake.krpc.on('query', (query, peer) => fake.krpc.error(peer, query, [code, `code ${code}`]));
    return fake;
  }

  it.each([
    [SIGNAL_ERROR.server, 'error'],
    [SIGNAL_ERROR.malformed, 'error'],
    [SIGNAL_ERROR.unknownKey, 'unknown-key'],
    [SIGNAL_ERROR.unreachable, 'unreachable'],
  ])('introducer code %i is outcome %s', async (code, outcome) => {
    const fake = await answering(code);
    const err = await requestPunch(dialerNode, dialerId, { target: generateIdentity().publicKey, introducers: [fake.address()], offer: offer(8) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SignalUnreachableError);
    expect((err as SignalUnreachableError).attempts).toEqual([{ introducer: fake.address(), outcome, detail: `${code} code ${code}` }]);
  });

  it.each([
    [SIGNAL_ERROR.rateLimited, 'rate-limited'],
    [SIGNAL_ERROR.busy, 'busy'],
    [SIGNAL_ERROR.listenerBusy, 'listener-busy'],
  ])('"not now" code %i (%s): asked again, paced, until the deadline, then SignalBusyError', async (code, outcome) => {
    const fake = await answering(code);
    let asked = 0;
    fake.krpc.on('query', () => asked++);
    const t0 = performance.now();
    const err = await requestPunch(dialerNode, dialerId, { target: generateIdentity().publicKey, introducers: [fake.address()], offer: offer(8), timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SignalBusyError);
    expect((err as SignalBusyError).message).toContain(`${fake.address().host}:${fake.address().port} ${outcome}: code ${code}`);
    // Paced, not hammered: pauses of 75-1500 ms (150 ms doubling to 1 s, times 0.5-1.5) fit 2 to 13 asks in 2 s.
    expect(asked).toBeGreaterThanOrEqual(2);
    expect(asked).toBeLessThanOrEqual(13);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1900);
  });

  it.each([
    [SIGNAL_ERROR.badSignature, 'bad-signature'],
    [SIGNAL_ERROR.notForMe, 'not-for-me'],
    [SIGNAL_ERROR.stale, 'stale'],
    [SIGNAL_ERROR.replayed, 'replayed'],
    [SIGNAL_ERROR.refused, 'refused'],
    [SIGNAL_ERROR.badRequest, 'malformed'],
    // A listener verdict this dialer does not know yet is still a refusal.
    [259, 'refused'],
  ])('listener code %i is SignalRejectedError %s', async (code, reason) => {
    const fake = await answering(code);
    const err = await requestPunch(dialerNode, dialerId, { target: generateIdentity().publicKey, introducers: [fake.address()], offer: offer(9) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SignalRejectedError);
    expect((err as SignalRejectedError).reason).toBe(reason);
    expect((err as SignalRejectedError).introducer).toEqual(fake.address());
  });
});
