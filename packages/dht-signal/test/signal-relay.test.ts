// The signaling relay end to end on 127.0.0.1: real UDP between a dialer, introducers and a listener.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DhtNode } from '../src/dht-node.js';
import { DhtStoppedError } from '../src/errors.js';
import { generateIdentity, type Identity } from '../src/identity.js';
import { type Introducer, serveIntroducer } from '../src/introducer.js';
import { newNonce, openSignal, sealSignal, encodeOffer } from '../src/signal-codec.js';
import { requestPunch } from '../src/signal-dialer.js';
import { SignalRejectedError, SignalTimeoutError, SignalUnreachableError } from '../src/signal-errors.js';
import { type PunchRequest, SignalListener } from '../src/signal-listener.js';
import { SIGNAL_ERROR, SIGNAL_QUERY } from '../src/signal-protocol.js';
import { offer, rawQuery, registerRaw, sleep, standaloneNode } from './signal-fixtures.js';
import { startSwarm, stopAll } from './swarm.js';

let swarm: DhtNode[];
let introNodes: DhtNode[];
let introducers: Introducer[];
let listenerNode: DhtNode;
let dialerNode: DhtNode;
let listenerId: Identity;
let dialerId: Identity;
let listener: SignalListener;
const requests: PunchRequest[] = [];

beforeAll(async () => {
  // Introducers are ordinary members of a small DHT; the listener and dialer join it too.
  swarm = await startSwarm(5);
  introNodes = swarm.slice(0, 3);
  introducers = introNodes.map((n) => serveIntroducer(n));
  listenerNode = swarm[3]!;
  dialerNode = swarm[4]!;
  listenerId = generateIdentity();
  dialerId = generateIdentity();
  listener = await SignalListener.start(listenerNode, { identity: listenerId, introducers: introNodes.map((n) => n.address()) }, async (req) => {
    requests.push(req);
    // A request with session bytes gets them back reversed (as a Noise reply would be derived from them); a leading 0xff asks for a refusal.
    if (req.session.length === 0) return offer(40_000, 3);
    return { offer: offer(40_000, 3), session: Uint8Array.from(req.session).reverse(), refused: req.session[0] === 0xff };
  });
});

afterAll(async () => {
  listener.stop();
  await stopAll(swarm);
});

describe('signaling relay', () => {
  it('registers with every introducer, which sees the listener at its socket address', () => {
    const regs = listener.registrations();
    expect(regs.map((r) => r.accepted)).toEqual([true, true, true]);
    expect(listener.accepted()).toEqual(introNodes.map((n) => n.address()));
    for (const [i, r] of regs.entries()) {
      expect(r.observedAddress).toEqual(listenerNode.address());
      expect(r.ttlMs).toBe(60_000);
      expect(introducers[i]!.registrationOf(listenerId.publicKey)).toEqual(listenerNode.address());
    }
  });

  it('relays a request and brings back the verified answer with its round trip', async () => {
    const before = requests.length;
    const result = await requestPunch(dialerNode, dialerId, { target: listenerId.publicKey, introducers: [introNodes[0]!.address()], offer: offer(50_000, 11) });
    expect(Buffer.from(result.answer.listenerKey).equals(Buffer.from(listenerId.publicKey))).toBe(true);
    expect(result.answer.offer).toEqual(offer(40_000, 3));
    expect(result.introducer).toEqual(introNodes[0]!.address());
    expect(result.rttMs).toBeGreaterThan(0);
    expect(result.attempts).toEqual([]);
    // The handler saw the dialer's verified key and offer, and which introducer forwarded it.
    expect(requests.length).toBe(before + 1);
    const req = requests.at(-1)!;
    expect(Buffer.from(req.dialerKey).equals(Buffer.from(dialerId.publicKey))).toBe(true);
    expect(req.offer).toEqual(offer(50_000, 11));
    expect(req.introducer).toEqual(introNodes[0]!.address());
    // The introducer passes on where the request came from (its word, outside the signature): the dialer's socket.
    expect(req.observedDialer).toEqual(dialerNode.address());
    expect(req.introducerRttMs).toBe(listener.registrations()[0]!.rttMs);
    expect(req.introducerRttMs).toBeGreaterThanOrEqual(0);
  });

  it('carries opaque session bytes both ways and a signed refusal, under the signatures', async () => {
    const plain = await requestPunch(dialerNode, dialerId, { target: listenerId.publicKey, introducers: [introNodes[1]!.address()], offer: offer(50_000, 11) });
    expect(plain.answer.session).toEqual(new Uint8Array());
    expect(plain.answer.refused).toBe(false);
    const withSession = await requestPunch(dialerNode, dialerId, { target: listenerId.publicKey, introducers: [introNodes[1]!.address()], offer: offer(50_000, 11), session: Uint8Array.of(1, 2, 3) });
    expect(requests.at(-1)!.session).toEqual(Uint8Array.of(1, 2, 3));
    expect(withSession.answer.session).toEqual(Uint8Array.of(3, 2, 1));
    expect(withSession.answer.refused).toBe(false);
    const refused = await requestPunch(dialerNode, dialerId, { target: listenerId.publicKey, introducers: [introNodes[1]!.address()], offer: offer(50_000, 11), session: Uint8Array.of(0xff, 9) });
    expect(refused.answer.refused).toBe(true);
    expect(refused.answer.session).toEqual(Uint8Array.of(9, 0xff));
  });

  it('refuses session bytes past their bound before anything is sent', async () => {
    await expect(
      requestPunch(dialerNode, dialerId, { target: listenerId.publicKey, introducers: [introNodes[1]!.address()], offer: offer(50_000, 11), session: new Uint8Array(161) }),
    ).rejects.toThrow(/session bytes are 161, at most 160/);
  });

  it('ends with SignalTimeoutError at the overall deadline', async () => {
    const dead = await Promise.all([standaloneNode(), standaloneNode()]);
    const addresses = dead.map((n) => n.address());
    await Promise.all(dead.map((n) => n.stop()));
    const started = performance.now();
    const err = await requestPunch(dialerNode, dialerId, { target: listenerId.publicKey, introducers: addresses, offer: offer(50_013), timeoutMs: 250, retryMs: 100 }).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(err).toBeInstanceOf(SignalTimeoutError);
    // Not before the deadline (a timer: load can only make it later; the test deadline catches a hang).
    expect(elapsed).toBeGreaterThanOrEqual(240);
  });

  it('tries the next introducer after one silent retry interval when the first is down', async () => {
    const dead = await standaloneNode();
    const deadAddress = dead.address();
    await dead.stop();
    const started = performance.now();
    const result = await requestPunch(dialerNode, dialerId, {
      target: listenerId.publicKey,
      introducers: [deadAddress, introNodes[1]!.address()],
      offer: offer(50_001),
      retryMs: 100,
      // Waiting out the first introducer would take 50 x 100 ms: far past the generous bound below.
      attemptsPerIntroducer: 50,
    });
    const elapsed = performance.now() - started;
    expect(result.introducer).toEqual(introNodes[1]!.address());
    // One silent retry interval first (a timer: load can only make it later) ...
    expect(elapsed).toBeGreaterThanOrEqual(95);
    // ... then the second introducer in parallel, not after the first one's 50 sends (5 s).
    expect(elapsed).toBeLessThan(2_500);
  });

  it('gives up with every introducer outcome when all are down', async () => {
    const dead = await Promise.all([standaloneNode(), standaloneNode()]);
    const addresses = dead.map((n) => n.address());
    await Promise.all(dead.map((n) => n.stop()));
    const err = await requestPunch(dialerNode, dialerId, { target: listenerId.publicKey, introducers: addresses, offer: offer(50_014), retryMs: 50, attemptsPerIntroducer: 3 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SignalUnreachableError);
    expect((err as SignalUnreachableError).attempts).toEqual(addresses.map((introducer) => ({ introducer, outcome: 'no-response', detail: '3 sends, 50 ms apart' })));
  });

  it('fails with DhtStoppedError when the dialer node stops mid-request, and refuses to start on a stopped node', async () => {
    const [node, dead] = await Promise.all([standaloneNode(), standaloneNode()]);
    const deadAddress = dead.address();
    await dead.stop();
    const pending = requestPunch(node, dialerId, { target: listenerId.publicKey, introducers: [deadAddress], offer: offer(50_015) }).catch((e: unknown) => e);
    await sleep(20);
    await node.stop();
    expect(await pending).toBeInstanceOf(DhtStoppedError);
    await expect(requestPunch(node, dialerId, { target: listenerId.publicKey, introducers: [deadAddress], offer: offer(50_016) })).rejects.toBeInstanceOf(DhtStoppedError);
    await expect(SignalListener.start(node, { identity: listenerId, introducers: [] })).rejects.toBeInstanceOf(DhtStoppedError);
  });

  it('rejects (does not throw) for an offer that cannot be encoded or a target that is not a key', async () => {
    const tooMany = { ...offer(1), publicEndpoints: Array.from({ length: 33 }, (_, i) => ({ host: '127.0.0.1', port: 1000 + i })) };
    const p = requestPunch(dialerNode, dialerId, { target: listenerId.publicKey, introducers: [introNodes[0]!.address()], offer: tooMany });
    await expect(p).rejects.toThrow(/at most 32 endpoints/);
    await expect(requestPunch(dialerNode, dialerId, { target: new Uint8Array(31), introducers: [], offer: offer(1) })).rejects.toThrow(/32-byte/);
  });

  it('answers an unknown key with a fast, clear error', async () => {
    const stranger = generateIdentity();
    const err = await requestPunch(dialerNode, dialerId, { target: stranger.publicKey, introducers: [introNodes[0]!.address(), introNodes[1]!.address()], offer: offer(50_002) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SignalUnreachableError);
    // Both introducers answered "unknown key" (fast by construction: an answer, not a timeout).
    expect((err as SignalUnreachableError).attempts.map((a) => a.outcome)).toEqual(['unknown-key', 'unknown-key']);
    expect(introducers[0]!.stats().unknownKey).toBeGreaterThanOrEqual(1);
  });

  it('uses the next introducer when the first does not know the key', async () => {
    const other = await standaloneNode();
    try {
      serveIntroducer(other);
      const result = await requestPunch(dialerNode, dialerId, { target: listenerId.publicKey, introducers: [other.address(), introNodes[2]!.address()], offer: offer(50_003) });
      expect(result.introducer).toEqual(introNodes[2]!.address());
      expect(result.attempts.map((a) => a.outcome)).toEqual(['unknown-key']);
    } finally {
      await other.stop();
    }
  });

  it('refuses a request whose signature is not by the key it claims', async () => {
    const attacker = generateIdentity();
    // Claims to be the dialer, signs with the attacker's key.
    const forger: Identity = { publicKey: dialerId.publicKey, secretKey: attacker.secretKey };
    const before = requests.length;
    const err = await requestPunch(dialerNode, forger, { target: listenerId.publicKey, introducers: [introNodes[0]!.address()], offer: offer(50_004) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SignalRejectedError);
    expect((err as SignalRejectedError).reason).toBe('bad-signature');
    expect(requests.length).toBe(before);
  });

  it('refuses a request addressed to another key (a stale registration pointing at the wrong listener)', async () => {
    const absent = generateIdentity();
    // The absent peer's registration, sent from the listener's socket: the introducer now maps that key to our listener.
    const reg = await registerRaw(listenerNode, introNodes[0]!.address(), absent);
    expect(reg.r?.exp).toBe(60_000);
    const err = await requestPunch(dialerNode, dialerId, { target: absent.publicKey, introducers: [introNodes[0]!.address()], offer: offer(50_005) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SignalRejectedError);
    expect((err as SignalRejectedError).reason).toBe('not-for-me');
  });

  it('refuses a stale request', async () => {
    const m = sealSignal(dialerId, { kind: 'request', targetKey: listenerId.publicKey, issuedAtMs: Date.now() - 60_000, offerBytes: encodeOffer(offer(50_006)) });
    const reply = await rawQuery(dialerNode, introNodes[0]!.address(), SIGNAL_QUERY.request, { m: Buffer.from(m) });
    expect(reply.code).toBe(SIGNAL_ERROR.stale);
    expect(reply.text).toMatch(/issued 6\d{4} ms from our clock/);
  });

  it('answers a retransmitted request with the same answer and refuses a reused nonce', async () => {
    const before = requests.length;
    const nonce = newNonce();
    const first = Buffer.from(sealSignal(dialerId, { kind: 'request', targetKey: listenerId.publicKey, nonce, offerBytes: encodeOffer(offer(50_007)) }));
    const a1 = await rawQuery(dialerNode, introNodes[0]!.address(), SIGNAL_QUERY.request, { m: first });
    // The same bytes again, through another introducer: a retry, not a new request.
    const a2 = await rawQuery(dialerNode, introNodes[1]!.address(), SIGNAL_QUERY.request, { m: first });
    expect(Buffer.isBuffer(a1.r?.m)).toBe(true);
    expect(Buffer.compare(a1.r!.m as Buffer, a2.r!.m as Buffer)).toBe(0);
    expect(openSignal(a1.r!.m as Buffer)?.kind).toBe('answer');
    expect(requests.length).toBe(before + 1);
    // Same nonce, different content: a replay.
    const second = Buffer.from(sealSignal(dialerId, { kind: 'request', targetKey: listenerId.publicKey, nonce, offerBytes: encodeOffer(offer(50_008)) }));
    const a3 = await rawQuery(dialerNode, introNodes[0]!.address(), SIGNAL_QUERY.request, { m: second });
    expect(a3.code).toBe(SIGNAL_ERROR.replayed);
    expect(requests.length).toBe(before + 1);
  });

  it('rejects an answer that a lying introducer made up, and still reaches the listener through the next one', async () => {
    const liar = await standaloneNode();
    const impostor = generateIdentity();
    liar.krpc.on('query', (query, peer) => {
      // Answers every request with a well-formed answer signed by the wrong key.
      const fake = sealSignal(impostor, { kind: 'answer', targetKey: dialerId.publicKey, replyTo: newNonce(), offerBytes: encodeOffer(offer(1)) });
      liar.krpc.response(peer, query, { id: liar.krpc.id, m: Buffer.from(fake) });
    });
    try {
      const result = await requestPunch(dialerNode, dialerId, { target: listenerId.publicKey, introducers: [liar.address(), introNodes[1]!.address()], offer: offer(50_009) });
      expect(result.introducer).toEqual(introNodes[1]!.address());
      expect(result.attempts).toEqual([{ introducer: liar.address(), outcome: 'bad-answer', detail: 'answer is signed by another key than the one dialed' }]);
    } finally {
      await liar.stop();
    }
  });

  it('passes a handler refusal back to the dialer', async () => {
    const node = await standaloneNode();
    const id = generateIdentity();
    const l = await SignalListener.start(node, { identity: id, introducers: [introNodes[0]!.address()] }, () => {
      throw new Error('not on the allow list');
    });
    try {
      const err = await requestPunch(dialerNode, dialerId, { target: id.publicKey, introducers: [introNodes[0]!.address()], offer: offer(50_010) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SignalRejectedError);
      expect((err as SignalRejectedError).reason).toBe('refused');
      expect((err as Error).message).toContain('not on the allow list');
    } finally {
      l.stop();
      await node.stop();
    }
  });
});

describe('registration lifetime', () => {
  it('keeps a listener reachable across expiries by refreshing, and forgets one that stopped', async () => {
    const introNode = await standaloneNode();
    const node = await standaloneNode();
    const id = generateIdentity();
    const intro = serveIntroducer(introNode, { registrationTtlMs: 300 });
    const l = await SignalListener.start(node, { identity: id, introducers: [introNode.address()], refreshMs: 100 }, () => offer(40_001));
    try {
      const firstAcceptedAt = l.registrations()[0]!.lastAcceptedAt!;
      // Overlapping refreshes share one round.
      const [r1, r2] = [l.refresh(), l.refresh()];
      expect(r1).toBe(r2);
      expect((await r1)[0]!.accepted).toBe(true);
      // Three TTLs later the first registration is long gone: only refreshes keep the key known.
      await sleep(900);
      expect(l.registrations()[0]!.lastAcceptedAt!).toBeGreaterThan(firstAcceptedAt + 500);
      const result = await requestPunch(dialerNode, dialerId, { target: id.publicKey, introducers: [introNode.address()], offer: offer(50_011) });
      expect(result.answer.offer.localPort).toBe(40_001);

      l.stop();
      await sleep(450);
      expect(intro.registrationOf(id.publicKey)).toBeUndefined();
      const err = await requestPunch(dialerNode, dialerId, { target: id.publicKey, introducers: [introNode.address()], offer: offer(50_012) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SignalUnreachableError);
      expect((err as SignalUnreachableError).attempts[0]!.outcome).toBe('unknown-key');
    } finally {
      l.stop();
      await Promise.all([introNode.stop(), node.stop()]);
    }
  });

  it('reports an introducer that is down as not accepted, and the ones that answered as accepted', async () => {
    const introNode = await standaloneNode();
    const dead = await standaloneNode();
    const deadAddress = dead.address();
    await dead.stop();
    const node = await standaloneNode();
    serveIntroducer(introNode);
    const l = await SignalListener.start(node, { identity: generateIdentity(), introducers: [deadAddress, introNode.address()], retryMs: 100 });
    try {
      expect(l.accepted()).toEqual([introNode.address()]);
      expect(l.registrations()[0]).toMatchObject({ accepted: false, error: 'no answer' });
    } finally {
      l.stop();
      await Promise.all([introNode.stop(), node.stop()]);
    }
  });

  it('tells when the set of accepting introducers changes', async () => {
    const [a, b, node] = await Promise.all([standaloneNode(), standaloneNode(), standaloneNode()]);
    serveIntroducer(a);
    const changes: string[][] = [];
    // b is up but not an introducer yet: it ignores the query, as a mainline node would.
    const l = await SignalListener.start(node, {
      identity: generateIdentity(),
      introducers: [a.address(), b.address()],
      retryMs: 50,
      onAcceptedChange: (acc) => changes.push(acc.map((hp) => `${hp.port}`)),
    });
    try {
      expect(l.accepted()).toEqual([a.address()]);
      await l.refresh();
      expect(changes).toEqual([]);
      serveIntroducer(b);
      await l.refresh();
      expect(changes).toEqual([[`${a.address().port}`, `${b.address().port}`]]);
      await a.stop();
      await l.refresh();
      expect(changes.at(-1)).toEqual([`${b.address().port}`]);
    } finally {
      l.stop();
      await Promise.all([a.stop(), b.stop(), node.stop()]);
    }
  });

  it('asks a failed introducer again sooner than the refresh period; one listener and one introducer per node', async () => {
    const [a, node] = await Promise.all([standaloneNode(), standaloneNode()]);
    const l = await SignalListener.start(node, { identity: generateIdentity(), introducers: [a.address()], retryMs: 50, refreshMs: 60_000, retryFailedMs: 100 });
    try {
      expect(l.accepted()).toEqual([]);
      await expect(SignalListener.start(node, { identity: generateIdentity(), introducers: [] })).rejects.toThrow(/already has a SignalListener/);
      const intro = serveIntroducer(a);
      expect(() => serveIntroducer(a)).toThrow(/already serves/);
      // Stopping lets it be served again (the first one is gone).
      intro.stop();
      serveIntroducer(a);
      await sleep(400);
      expect(l.accepted()).toEqual([a.address()]);
    } finally {
      l.stop();
      await Promise.all([a.stop(), node.stop()]);
    }
  });

  it('takes a registration only from an address that holds its token, and only a newer one', async () => {
    const introNode = await standaloneNode();
    const node = await standaloneNode();
    const thief = await standaloneNode();
    const id = generateIdentity();
    const intro = serveIntroducer(introNode);
    try {
      // Without a token the introducer only hands one out.
      const untokened = await rawQuery(node, introNode.address(), SIGNAL_QUERY.register, { m: Buffer.from(sealSignal(id, { kind: 'register' })) });
      expect(untokened.r?.exp).toBeUndefined();
      expect(Buffer.isBuffer(untokened.r?.tok)).toBe(true);
      expect(intro.registrationOf(id.publicKey)).toBeUndefined();

      const m = Buffer.from(sealSignal(id, { kind: 'register', token: untokened.r!.tok as Buffer }));
      expect((await rawQuery(node, introNode.address(), SIGNAL_QUERY.register, { m })).r?.exp).toBe(60_000);
      expect(intro.registrationOf(id.publicKey)).toEqual(node.address());
      // The same registration again from the same address: a harmless duplicate, confirmed.
      expect((await rawQuery(node, introNode.address(), SIGNAL_QUERY.register, { m })).r?.exp).toBeGreaterThan(0);
      // Replayed from another address (or sent with a spoofed source): the token does not match, nothing moves.
      const replay = await rawQuery(thief, introNode.address(), SIGNAL_QUERY.register, { m });
      expect(replay.r?.exp).toBeUndefined();
      expect(intro.registrationOf(id.publicKey)).toEqual(node.address());
      // With a token of its own, the thief still cannot sign for the key.
      const thiefToken = replay.r!.tok as Buffer;
      const forged = Buffer.from(sealSignal({ publicKey: id.publicKey, secretKey: generateIdentity().secretKey }, { kind: 'register', token: thiefToken }));
      expect((await rawQuery(thief, introNode.address(), SIGNAL_QUERY.register, { m: forged })).code).toBe(SIGNAL_ERROR.badRegistration);
      // An older registration, properly tokened and signed, from elsewhere: refused.
      const older = await registerRaw(thief, introNode.address(), id, Date.now() - 10_000);
      expect(older.code).toBe(SIGNAL_ERROR.badRegistration);
      expect(intro.registrationOf(id.publicKey)).toEqual(node.address());
    } finally {
      await Promise.all([introNode.stop(), node.stop(), thief.stop()]);
    }
  });
});
