import { createHash } from 'node:crypto';
import type { KRpc, KrpcMessage, KrpcRemote } from 'bittorrent-dht';
import { AddressTokens } from './address-token.js';
import type { DhtNode } from './dht-node.js';
import type { HostPort } from '@p2p-node/protos';
import { compactAddress } from './observed-address.js';
import { krpcErrorOf, queryName, remoteHost, type SentQuery, sendQuery } from './raw-krpc.js';
import { RateLimiter, type RateLimitOptions } from './rate-limit.js';
import { MAX_SIGNED_SIGNAL_BYTES, openSignal, readSignal, SignalDecodeError } from './signal-codec.js';
import { DEFAULT_FRESHNESS_MS, isListenerVerdict, MAX_ERROR_TEXT, SIGNAL_ERROR, SIGNAL_QUERY } from './signal-protocol.js';

export interface IntroducerOptions {
  /** How long a registration lasts without a refresh; default 60 s (listeners refresh every ~20 s). */
  registrationTtlMs?: number;
  /** Most listeners registered at once; default 10,000. */
  maxRegistrations?: number;
  /** Per source IP, over all signaling queries; default burst 40, 20/s, 4,096 sources remembered. */
  rateLimit?: Partial<RateLimitOptions>;
  /** How long to wait for the listener after the first forward before telling the dialer "unreachable"; default 1,000 ms. */
  forwardTimeoutMs?: number;
  /** Most requests being forwarded at once; default 1,024. */
  maxPendingForwards?: number;
  /** Forwards sent for one request (a dialer's retransmissions trigger the extra ones); default 8. */
  maxForwardsPerRequest?: number;
  /** Tolerated distance between a registration's issue time and our clock; default 30 s. */
  freshnessMs?: number;
  /** Registration tokens stay valid one to two of these periods; default 5 min. */
  tokenRotateMs?: number;
}

export interface IntroducerStats {
  registrations: number;
  pendingForwards: number;
  forwarded: number;
  answered: number;
  rateLimited: number;
  unknownKey: number;
  malformed: number;
  /** Queries that hit a bug here (answered with 202); should stay 0. */
  internalErrors: number;
}

export interface Introducer {
  stats(): IntroducerStats;
  /** Where requests for `publicKey` would be forwarded, if it is registered. */
  registrationOf(publicKey: Uint8Array): HostPort | undefined;
  /** Stops serving; registrations are forgotten. */
  stop(): void;
}

interface Registration {
  address: HostPort;
  expiresAt: number;
  issuedAtMs: number;
}

interface Waiter {
  peer: KrpcRemote;
  query: KrpcMessage;
}

/** The dialer numbers its transmissions in `a.n` (outside the signed bytes); echoing the one whose forward got answered lets it time the exchange truly. */
function transmissionOf(query: KrpcMessage): number | undefined {
  const n = query.a?.n;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

interface PendingForward {
  target: HostPort;
  m: Buffer;
  /** The dialer's address as our socket saw it (compact), passed on in the forward's `ip`. */
  from: Buffer | undefined;
  waiters: Waiter[];
  sent: SentQuery[];
  timer?: NodeJS.Timeout;
}

const serving = new WeakSet<KRpc>();

/**
 * Makes a DHT node an introducer: it keeps listener key -> (address as our
 * socket saw it, expiry) and forwards requests for a registered key over that
 * address, relaying the listener's answer. Requests are signed end to end and
 * checked by the listener; the introducer only checks their shape (to route
 * them) and registration signatures (which decide where traffic goes).
 *
 * The bootstrap CLI calls this; any publicly reachable node may.
 */
export function serveIntroducer(node: DhtNode, opts: IntroducerOptions = {}): Introducer {
  const rpc: KRpc = node.krpc;
  // Two introducers on one socket would answer every query twice, from two different tables.
  if (serving.has(rpc)) throw new Error('this DHT node already serves as an introducer; stop that one first');
  serving.add(rpc);
  const ttlMs = opts.registrationTtlMs ?? 60_000;
  const maxRegistrations = opts.maxRegistrations ?? 10_000;
  const forwardTimeoutMs = opts.forwardTimeoutMs ?? 1000;
  const maxPending = opts.maxPendingForwards ?? 1024;
  const maxForwards = opts.maxForwardsPerRequest ?? 8;
  const freshnessMs = opts.freshnessMs ?? DEFAULT_FRESHNESS_MS;
  const limiter = new RateLimiter({ capacity: 40, refillPerSec: 20, maxKeys: 4096, ...opts.rateLimit });
  const registrations = new Map<string, Registration>();
  const tokens = new AddressTokens(opts.tokenRotateMs ?? 5 * 60_000);
  const pending = new Map<string, PendingForward>();
  // Under a flood, one "rate limited" reply per source per second is enough to explain the silence.
  const limitNotices = new RateLimiter({ capacity: 1, refillPerSec: 1, maxKeys: 4096 });
  const stats: IntroducerStats = { registrations: 0, pendingForwards: 0, forwarded: 0, answered: 0, rateLimited: 0, unknownKey: 0, malformed: 0, internalErrors: 0 };
  let stopped = false;

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [key, reg] of registrations) if (reg.expiresAt <= now) registrations.delete(key);
  }, Math.max(1000, Math.min(ttlMs, 30_000)));
  sweep.unref();

  const onQuery = (query: KrpcMessage, peer: KrpcRemote): void => {
    const name = queryName(query);
    if (name !== SIGNAL_QUERY.register && name !== SIGNAL_QUERY.request) return;
    const host = remoteHost(peer);
    if (host === undefined || stopped) return;
    if (!limiter.take(host)) {
      stats.rateLimited++;
      if (limitNotices.take(host)) rpc.error(peer, query, [SIGNAL_ERROR.rateLimited, 'rate limited: slow down']);
      return;
    }
    const m = query.a?.m;
    if (!Buffer.isBuffer(m) || m.length > MAX_SIGNED_SIGNAL_BYTES) {
      stats.malformed++;
      return rpc.error(peer, query, [SIGNAL_ERROR.malformed, '`m` must be a signed signal of at most 1100 bytes']);
    }
    try {
      if (name === SIGNAL_QUERY.register) onRegister(m, { host, port: peer.port }, peer, query);
      else onRequest(m, peer, query);
    } catch (err) {
      // Nothing a stranger sends may throw out of a socket handler (that would end the process):
      // anything other than a decode error is our bug, answered as a server error.
      if (err instanceof SignalDecodeError) {
        stats.malformed++;
        rpc.error(peer, query, [SIGNAL_ERROR.malformed, err.message.slice(0, MAX_ERROR_TEXT)]);
      } else {
        stats.internalErrors++;
        rpc.error(peer, query, [SIGNAL_ERROR.server, 'introducer error']);
      }
    }
  };

  function onRegister(m: Buffer, address: HostPort, peer: KrpcRemote, query: KrpcMessage): void {
    // The token check comes before any signature work. Without a token bound
    // to this address, the answer is just a token: a registration from a
    // spoofed source address (which would aim our forwards at a victim) or
    // replayed from elsewhere never takes effect.
    if (!tokens.valid(readSignal(m).message.token, address)) {
      return rpc.response(peer, query, { id: rpc.id, tok: tokens.issue(address), ip: compactAddress(address) });
    }
    const msg = openSignal(m);
    if (msg === null) return rpc.error(peer, query, [SIGNAL_ERROR.badRegistration, 'registration signature does not verify']);
    if (msg.kind !== 'register') return rpc.error(peer, query, [SIGNAL_ERROR.badRegistration, `expected a registration, got a ${msg.kind}`]);
    const now = Date.now();
    if (Math.abs(now - msg.issuedAtMs) > freshnessMs) {
      return rpc.error(peer, query, [SIGNAL_ERROR.badRegistration, `registration issued ${now - msg.issuedAtMs} ms from our clock, limit ${freshnessMs}`]);
    }
    const key = hex(msg.senderKey);
    const old = registrations.get(key);
    // Only a newer registration may move the entry: replaying a captured one
    // from another address cannot redirect the listener's traffic.
    if (old && old.expiresAt > now && msg.issuedAtMs <= old.issuedAtMs) {
      // From the address already held it is a late duplicate (a retransmission, an overlapping refresh): confirm, change nothing.
      if (sameAddress(old.address, address)) return rpc.response(peer, query, { id: rpc.id, exp: old.expiresAt - now, ip: compactAddress(address) });
      return rpc.error(peer, query, [SIGNAL_ERROR.badRegistration, 'registration is not newer than the one held']);
    }
    if (!old && registrations.size >= maxRegistrations) {
      return rpc.error(peer, query, [SIGNAL_ERROR.tableFull, 'introducer is full']);
    }
    registrations.set(key, { address, expiresAt: now + ttlMs, issuedAtMs: msg.issuedAtMs });
    rpc.response(peer, query, { id: rpc.id, exp: ttlMs, ip: compactAddress(address) });
  }

  function onRequest(m: Buffer, peer: KrpcRemote, query: KrpcMessage): void {
    const { message } = readSignal(m);
    if (message.kind !== 'request') throw new SignalDecodeError(`expected a request, got a ${message.kind}`);
    const reg = registrations.get(hex(message.targetKey));
    if (!reg || reg.expiresAt <= Date.now()) {
      stats.unknownKey++;
      return rpc.error(peer, query, [SIGNAL_ERROR.unknownKey, 'no listener registered here for that key']);
    }
    // A dialer's retransmission joins the forward already under way (and
    // re-sends it, in case the first was lost) instead of starting another.
    const id = createHash('sha256').update(m).digest('hex');
    let entry = pending.get(id);
    if (!entry) {
      if (pending.size >= maxPending) return rpc.error(peer, query, [SIGNAL_ERROR.busy, 'introducer busy']);
      const host = remoteHost(peer);
      entry = { target: reg.address, m, from: host === undefined ? undefined : compactAddress({ host, port: peer.port }), waiters: [], sent: [] };
      pending.set(id, entry);
    }
    if (entry.waiters.length < maxForwards * 2) entry.waiters.push({ peer, query });
    if (entry.sent.length < maxForwards) forward(id, entry, transmissionOf(query));
  }

  function forward(id: string, entry: PendingForward, trigger: number | undefined): void {
    stats.forwarded++;
    // Counted from the first forward: re-forwards must not postpone the verdict past the dialer's patience.
    entry.timer ??= setTimeout(() => finish(id, { error: [SIGNAL_ERROR.unreachable, 'listener did not answer through its registered mapping'] }), forwardTimeoutMs);
    entry.sent.push(
      sendQuery(rpc, entry.target, SIGNAL_QUERY.forward, { m: entry.m, ...(entry.from ? { ip: entry.from } : {}) }, (err, res) => {
        if (!pending.has(id)) return;
        const answer = !err ? res?.r?.m : undefined;
        if (Buffer.isBuffer(answer) && answer.length <= MAX_SIGNED_SIGNAL_BYTES) {
          stats.answered++;
          return finish(id, { answer, trigger });
        }
        const verdict = krpcErrorOf(err, res);
        if (verdict && isListenerVerdict(verdict.code)) return finish(id, { error: [verdict.code, verdict.text] });
        // Timeouts of single forwards are left to the entry's timer: another forward may still answer.
      }),
    );
  }

  function finish(id: string, result: { answer: Buffer; trigger: number | undefined } | { error: [number, string] }): void {
    const entry = pending.get(id);
    if (!entry) return;
    pending.delete(id);
    clearTimeout(entry.timer);
    for (const s of entry.sent) s.cancel();
    if (stopped) return;
    for (const w of entry.waiters) {
      if ('answer' in result) rpc.response(w.peer, w.query, { id: rpc.id, m: result.answer, ...(result.trigger === undefined ? {} : { n: result.trigger }) });
      else rpc.error(w.peer, w.query, result.error);
    }
  }

  rpc.on('query', onQuery);
  node.stopSignal.addEventListener('abort', () => stop(), { once: true });

  function stop(): void {
    if (stopped) return;
    stopped = true;
    rpc.off('query', onQuery);
    serving.delete(rpc);
    clearInterval(sweep);
    tokens.stop();
    for (const id of [...pending.keys()]) finish(id, { error: [SIGNAL_ERROR.unreachable, 'introducer stopping'] });
    registrations.clear();
  }

  return {
    stats: () => ({ ...stats, registrations: registrations.size, pendingForwards: pending.size }),
    registrationOf(publicKey) {
      const reg = registrations.get(hex(publicKey));
      return reg && reg.expiresAt > Date.now() ? { ...reg.address } : undefined;
    },
    stop,
  };
}

function sameAddress(a: HostPort, b: HostPort): boolean {
  return a.host === b.host && a.port === b.port;
}

function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}
