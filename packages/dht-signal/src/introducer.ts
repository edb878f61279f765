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
  /**
   * The TCP port of a circuit relay on this host, told to every listener
   * that registers (answer `r.rly`), so dialers can meet it there when no
   * punch works. The relay itself is not this module's (no TCP here).
   */
  relayPort?: number;
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
  const server = new IntroducerServer(rpc, opts);
  node.stopSignal.addEventListener('abort', () => server.stop(), { once: true });
  return {
    stats: () => server.stats(),
    registrationOf: (publicKey) => server.registrationOf(publicKey),
    stop: () => server.stop(),
  };
}

type ForwardResult = { answer: Buffer; trigger: number | undefined } | { error: [number, string] };

/** One introducer on one KRPC socket: its registration table, the forwards under way, and the handlers that change them. */
class IntroducerServer {
  private readonly ttlMs: number;
  private readonly maxRegistrations: number;
  private readonly forwardTimeoutMs: number;
  private readonly maxPending: number;
  private readonly maxForwards: number;
  private readonly freshnessMs: number;
  private readonly limiter: RateLimiter;
  private readonly registrations = new Map<string, Registration>();
  private readonly tokens: AddressTokens;
  private readonly pending = new Map<string, PendingForward>();
  private readonly limitNotices: RateLimiter;
  private readonly counts: IntroducerStats = { registrations: 0, pendingForwards: 0, forwarded: 0, answered: 0, rateLimited: 0, unknownKey: 0, malformed: 0, internalErrors: 0 };
  private readonly sweep: NodeJS.Timeout;
  private stopped = false;
  private readonly relayPort: number | undefined;

  constructor(
    private readonly rpc: KRpc,
    opts: IntroducerOptions,
  ) {
    this.relayPort = opts.relayPort;
    this.ttlMs = opts.registrationTtlMs ?? 60_000;
    this.maxRegistrations = opts.maxRegistrations ?? 10_000;
    this.forwardTimeoutMs = opts.forwardTimeoutMs ?? 1000;
    this.maxPending = opts.maxPendingForwards ?? 1024;
    this.maxForwards = opts.maxForwardsPerRequest ?? 8;
    this.freshnessMs = opts.freshnessMs ?? DEFAULT_FRESHNESS_MS;
    // Sized for a crowd behind one carrier NAT (200 dialers at once from one IP), not for one host:
    // each request costs us one forward of its own size, so the bound is on work, not on amplification.
    this.limiter = new RateLimiter({ capacity: 256, refillPerSec: 64, maxKeys: 4096, ...opts.rateLimit });
    this.tokens = new AddressTokens(opts.tokenRotateMs ?? 5 * 60_000);
    // A dialer told "rate limited" backs off; one met with silence retransmits into the limit and
    // gives up. So most refused requests get the notice, which is smaller than the request (no
    // amplification), bounded per source so a spoofed flood is not reflected in full.
    this.limitNotices = new RateLimiter({ capacity: 64, refillPerSec: 32, maxKeys: 4096 });
    this.sweep = setInterval(() => this.dropExpired(), Math.max(1000, Math.min(this.ttlMs, 30_000)));
    this.sweep.unref();
    rpc.on('query', this.onQuery);
  }

  stats(): IntroducerStats {
    return { ...this.counts, registrations: this.registrations.size, pendingForwards: this.pending.size };
  }

  registrationOf(publicKey: Uint8Array): HostPort | undefined {
    const reg = this.registrations.get(hex(publicKey));
    return reg && reg.expiresAt > Date.now() ? { ...reg.address } : undefined;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.rpc.off('query', this.onQuery);
    serving.delete(this.rpc);
    clearInterval(this.sweep);
    this.tokens.stop();
    for (const id of [...this.pending.keys()]) this.finish(id, { error: [SIGNAL_ERROR.unreachable, 'introducer stopping'] });
    this.registrations.clear();
  }

  private dropExpired(): void {
    const now = Date.now();
    for (const [key, reg] of this.registrations) if (reg.expiresAt <= now) this.registrations.delete(key);
  }

  private readonly onQuery = (query: KrpcMessage, peer: KrpcRemote): void => {
    const { rpc, counts } = this;
    const name = queryName(query);
    if (name !== SIGNAL_QUERY.register && name !== SIGNAL_QUERY.request) return;
    const host = remoteHost(peer);
    if (host === undefined || this.stopped) return;
    if (!this.limiter.take(host)) {
      counts.rateLimited++;
      if (this.limitNotices.take(host)) rpc.error(peer, query, [SIGNAL_ERROR.rateLimited, 'rate limited: slow down']);
      return;
    }
    const m = query.a?.m;
    if (!Buffer.isBuffer(m) || m.length > MAX_SIGNED_SIGNAL_BYTES) {
      counts.malformed++;
      return rpc.error(peer, query, [SIGNAL_ERROR.malformed, '`m` must be a signed signal of at most 1100 bytes']);
    }
    try {
      if (name === SIGNAL_QUERY.register) this.onRegister(m, { host, port: peer.port }, peer, query);
      else this.onRequest(m, peer, query);
    } catch (err) {
      // Nothing a stranger sends may throw out of a socket handler (that would end the process):
      // anything other than a decode error is our bug, answered as a server error.
      if (err instanceof SignalDecodeError) {
        counts.malformed++;
        rpc.error(peer, query, [SIGNAL_ERROR.malformed, err.message.slice(0, MAX_ERROR_TEXT)]);
      } else {
        counts.internalErrors++;
        rpc.error(peer, query, [SIGNAL_ERROR.server, 'introducer error']);
      }
    }
  };

  private relayField(): { rly?: number } {
    const port = this.relayPort;
    return port !== undefined && port > 0 && port <= 65535 ? { rly: port } : {};
  }

  private onRegister(m: Buffer, address: HostPort, peer: KrpcRemote, query: KrpcMessage): void {
    const { rpc, freshnessMs, ttlMs } = this;
    // The token check comes before any signature work. Without a token bound
    // to this address, the answer is just a token: a registration from a
    // spoofed source address (which would aim our forwards at a victim) or
    // replayed from elsewhere never takes effect.
    if (!this.tokens.valid(readSignal(m).message.token, address)) {
      return rpc.response(peer, query, { id: rpc.id, tok: this.tokens.issue(address), ip: compactAddress(address) });
    }
    const msg = openSignal(m);
    if (msg === null) return rpc.error(peer, query, [SIGNAL_ERROR.badRegistration, 'registration signature does not verify']);
    if (msg.kind !== 'register') return rpc.error(peer, query, [SIGNAL_ERROR.badRegistration, `expected a registration, got a ${msg.kind}`]);
    const now = Date.now();
    if (Math.abs(now - msg.issuedAtMs) > freshnessMs) {
      return rpc.error(peer, query, [SIGNAL_ERROR.badRegistration, `registration issued ${now - msg.issuedAtMs} ms from our clock, limit ${freshnessMs}`]);
    }
    const key = hex(msg.senderKey);
    const old = this.registrations.get(key);
    // Only a newer registration may move the entry: replaying a captured one
    // from another address cannot redirect the listener's traffic.
    if (old && old.expiresAt > now && msg.issuedAtMs <= old.issuedAtMs) {
      // From the address already held it is a late duplicate (a retransmission, an overlapping refresh): confirm, change nothing.
      if (sameAddress(old.address, address)) return rpc.response(peer, query, { id: rpc.id, exp: old.expiresAt - now, ip: compactAddress(address), ...this.relayField() });
      return rpc.error(peer, query, [SIGNAL_ERROR.badRegistration, 'registration is not newer than the one held']);
    }
    if (!old && this.registrations.size >= this.maxRegistrations) {
      return rpc.error(peer, query, [SIGNAL_ERROR.tableFull, 'introducer is full']);
    }
    this.registrations.set(key, { address, expiresAt: now + ttlMs, issuedAtMs: msg.issuedAtMs });
    rpc.response(peer, query, { id: rpc.id, exp: ttlMs, ip: compactAddress(address), ...this.relayField() });
  }

  private onRequest(m: Buffer, peer: KrpcRemote, query: KrpcMessage): void {
    const { message } = readSignal(m);
    if (message.kind !== 'request') throw new SignalDecodeError(`expected a request, got a ${message.kind}`);
    const reg = this.registrations.get(hex(message.targetKey));
    if (!reg || reg.expiresAt <= Date.now()) {
      this.counts.unknownKey++;
      return this.rpc.error(peer, query, [SIGNAL_ERROR.unknownKey, 'no listener registered here for that key']);
    }
    // A dialer's retransmission joins the forward already under way (and
    // re-sends it, in case the first was lost) instead of starting another.
    const id = createHash('sha256').update(m).digest('hex');
    let entry = this.pending.get(id);
    if (!entry) {
      if (this.pending.size >= this.maxPending) return this.rpc.error(peer, query, [SIGNAL_ERROR.busy, 'introducer busy']);
      const host = remoteHost(peer);
      entry = { target: reg.address, m, from: host === undefined ? undefined : compactAddress({ host, port: peer.port }), waiters: [], sent: [] };
      this.pending.set(id, entry);
    }
    if (entry.waiters.length < this.maxForwards * 2) entry.waiters.push({ peer, query });
    if (entry.sent.length < this.maxForwards) this.forward(id, entry, transmissionOf(query));
  }

  private forward(id: string, entry: PendingForward, trigger: number | undefined): void {
    this.counts.forwarded++;
    // Counted from the first forward: re-forwards must not postpone the verdict past the dialer's patience.
    entry.timer ??= setTimeout(() => this.finish(id, { error: [SIGNAL_ERROR.unreachable, 'listener did not answer through its registered mapping'] }), this.forwardTimeoutMs);
    entry.sent.push(
      sendQuery(this.rpc, entry.target, SIGNAL_QUERY.forward, { m: entry.m, ...(entry.from ? { ip: entry.from } : {}) }, (err, res) => {
        if (!this.pending.has(id)) return;
        const answer = !err ? res?.r?.m : undefined;
        if (Buffer.isBuffer(answer) && answer.length <= MAX_SIGNED_SIGNAL_BYTES) {
          this.counts.answered++;
          return this.finish(id, { answer, trigger });
        }
        const verdict = krpcErrorOf(err, res);
        if (verdict && isListenerVerdict(verdict.code)) return this.finish(id, { error: [verdict.code, verdict.text] });
        // Timeouts of single forwards are left to the entry's timer: another forward may still answer.
      }),
    );
  }

  private finish(id: string, result: ForwardResult): void {
    const { rpc } = this;
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    clearTimeout(entry.timer);
    for (const s of entry.sent) s.cancel();
    if (this.stopped) return;
    for (const w of entry.waiters) {
      if ('answer' in result) rpc.response(w.peer, w.query, { id: rpc.id, m: result.answer, ...(result.trigger === undefined ? {} : { n: result.trigger }) });
      else rpc.error(w.peer, w.query, result.error);
    }
  }
}

function sameAddress(a: HostPort, b: HostPort): boolean {
  return a.host === b.host && a.port === b.port;
}

function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}
