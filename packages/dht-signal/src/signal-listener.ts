import { createHash } from 'node:crypto';
import type { KRpc, KrpcMessage, KrpcRemote } from 'bittorrent-dht';
import type { DhtNode } from './dht-node.js';
import { DhtStoppedError } from './errors.js';
import type { HostPort } from '@p2p-node/protos';
import type { Identity } from './identity.js';
import { parseCompactAddress } from './observed-address.js';
import { krpcErrorOf, queryName, remoteHost, sendQuery } from './raw-krpc.js';
import {
  decodeOffer,
  encodeOffer,
  MAX_SIGNED_SIGNAL_BYTES,
  MAX_TOKEN_BYTES,
  openSignal,
  type PunchOffer,
  readSignal,
  sealSignal,
  SignalDecodeError,
} from './signal-codec.js';
import { DEFAULT_FRESHNESS_MS, MAX_ERROR_TEXT, SIGNAL_ERROR, SIGNAL_QUERY } from './signal-protocol.js';

/** A dialer's verified punch request, as the listener's handler sees it. */
export interface PunchRequest {
  dialerKey: Uint8Array;
  offer: PunchOffer;
  nonce: Uint8Array;
  issuedAtMs: number;
  /** The introducer that forwarded it (its address as our socket saw it). */
  introducer: HostPort;
  /** Our last measured round trip to that introducer, ms: with the dialer's, it times the punch. */
  introducerRttMs?: number;
  /** The dialer's opaque session handshake bytes (empty if it sent none); covered by its signature. */
  session: Uint8Array;
  /** The dialer's UDP address as the forwarding introducer saw it: the introducer's word, not the dialer's signature. */
  observedDialer?: HostPort;
}

/** What the handler answers besides an offer: its session handshake bytes, or a signed refusal. */
export interface PunchReply {
  offer: PunchOffer;
  session?: Uint8Array;
  /** Refuse this dialer (its key is not allowed): the answer says so, signed, and nobody punches. */
  refused?: boolean;
}

export type PunchRequestHandler = (request: PunchRequest) => Promise<PunchOffer | PunchReply> | PunchOffer | PunchReply;

export interface IntroducerRegistration {
  introducer: HostPort;
  /** True when the last registration round was accepted. */
  accepted: boolean;
  /** Date.now() of the last accepted registration. */
  lastAcceptedAt?: number;
  /** How long the introducer said it keeps us, ms. */
  ttlMs?: number;
  /** Our UDP address as the introducer saw it (the NAT mapping it forwards to). */
  observedAddress?: HostPort;
  /** Round trip of the last accepted registration, ms. */
  rttMs?: number;
  /** The TCP port of the circuit relay the introducer runs on its host, if it said so. */
  relayPort?: number;
  /** Why the last round failed. */
  error?: string;
}

export interface SignalListenerOptions {
  identity: Identity;
  /** Introducers to register with (DHT nodes running serveIntroducer). */
  introducers: HostPort[];
  /**
   * Re-registration period. NATs drop idle UDP mappings after 30 s or more
   * (RFC 4787 asks for at least 2 min, many home routers use 30-60 s), so
   * 20 s keeps the introducer's path to us open.
   */
  refreshMs?: number;
  /** Next round after one that left an introducer not accepting us; default 5 s. */
  retryFailedMs?: number;
  /** Retransmission delay for a registration that got no answer; default 400 ms, 3 attempts. */
  retryMs?: number;
  attempts?: number;
  /** Tolerated distance between a request's issue time and our clock; default 30 s. */
  freshnessMs?: number;
  /** Most requests whose handler runs at once; default 32. */
  maxHandlersInFlight?: number;
  /** Remembered nonces (for replay refusal); when full, new requests are refused rather than risking a replay; default 4,096. */
  maxRememberedNonces?: number;
  /** Accept forwarded requests from any address, not only our introducers (they are signed either way). */
  acceptForwardsFromAnyone?: boolean;
  /** Called after a refresh round (not the first: start() reports that one) that changed which introducers accept us: the record should list the new set. */
  onAcceptedChange?: (accepted: HostPort[]) => void;
}

interface Seen {
  bodyHash: string;
  expiresAt: number;
  answer: Promise<Buffer>;
}

const listening = new WeakSet<KRpc>();

class Refusal extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The listener's half of signaling: keeps registrations (and so its NAT's
 * UDP mappings) alive at a few introducers, and answers the punch requests
 * they forward, after checking they are addressed to us, signed by the
 * dialer, fresh and not replayed. A retransmitted request gets the very
 * same answer without running the handler again.
 */
export class SignalListener {
  private readonly rpc: KRpc;
  private readonly status = new Map<string, IntroducerRegistration>();
  private readonly seen = new Map<string, Seen>();
  /** Per introducer: the token it gave our address. */
  private readonly tokens = new Map<string, Uint8Array>();
  private handler: PunchRequestHandler | undefined;
  private handlersInFlight = 0;
  private lastIssuedAtMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<IntroducerRegistration[]> | undefined;
  private rounds = 0;
  private stopped = false;
  private readonly freshnessMs: number;
  private readonly onQuery = (query: KrpcMessage, peer: KrpcRemote): void => this.handleQuery(query, peer);
  private readonly onNodeStop = (): void => this.stop();

  private constructor(
    private readonly node: DhtNode,
    private readonly opts: SignalListenerOptions,
  ) {
    this.rpc = node.krpc;
    this.freshnessMs = opts.freshnessMs ?? DEFAULT_FRESHNESS_MS;
    for (const introducer of opts.introducers) this.status.set(key(introducer), { introducer: { ...introducer }, accepted: false });
  }

  /** Starts answering forwarded requests and resolves after the first registration round (whatever its outcome: see registrations()). */
  static async start(node: DhtNode, opts: SignalListenerOptions, handler?: PunchRequestHandler): Promise<SignalListener> {
    if (node.stopped) throw new DhtStoppedError('SignalListener.start');
    // Two listeners on one socket would both answer every forward (one of them with "not for me").
    if (listening.has(node.krpc)) throw new Error('this DHT node already has a SignalListener; stop it first');
    const listener = new SignalListener(node, opts);
    listening.add(node.krpc);
    if (handler) listener.onRequest(handler);
    listener.rpc.on('query', listener.onQuery);
    node.stopSignal.addEventListener('abort', listener.onNodeStop, { once: true });
    await listener.refresh();
    listener.schedule();
    return listener;
  }

  /** Sets the function that answers verified requests with our offer; throwing refuses the request (its message goes to the dialer). */
  onRequest(handler: PunchRequestHandler): void {
    this.handler = handler;
  }

  registrations(): IntroducerRegistration[] {
    return [...this.status.values()].map((s) => ({ ...s, introducer: { ...s.introducer } }));
  }

  /** Introducers whose last registration round succeeded: the ones to list in our record. */
  accepted(): HostPort[] {
    return this.registrations()
      .filter((r) => r.accepted)
      .map((r) => r.introducer);
  }

  /** Circuit relays on the hosts of the introducers that accept us: where a dialer can meet us when no punch works. */
  relays(): HostPort[] {
    return this.registrations()
      .filter((r) => r.accepted && r.relayPort !== undefined)
      .map((r) => ({ host: r.introducer.host, port: r.relayPort! }));
  }

  /** Registers with every introducer now (retransmitting on loss); resolves with the outcome. A call during a round joins it. */
  refresh(): Promise<IntroducerRegistration[]> {
    if (this.refreshing) return this.refreshing;
    const first = this.rounds++ === 0;
    const before = this.accepted().map(key).join();
    this.refreshing = Promise.all([...this.status.values()].map((s) => this.register(s)))
      .then(() => {
        const after = this.accepted();
        // The first round's outcome is what start() returns; only later changes are news.
        if (!first && !this.stopped && after.map(key).join() !== before) this.opts.onAcceptedChange?.(after);
        return this.registrations();
      })
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    this.rpc.off('query', this.onQuery);
    listening.delete(this.rpc);
    this.node.stopSignal.removeEventListener('abort', this.onNodeStop);
  }

  private schedule(): void {
    if (this.stopped) return;
    const refreshMs = this.opts.refreshMs ?? 20_000;
    // An introducer that refused or did not answer is asked again sooner: it may only have been restarting.
    const someFailed = this.accepted().length < this.status.size;
    this.timer = setTimeout(
      () => {
        void this.refresh().finally(() => this.schedule());
      },
      someFailed ? Math.min(refreshMs, this.opts.retryFailedMs ?? 5000) : refreshMs,
    );
    // Registration alone must not keep a process alive.
    this.timer.unref();
  }

  private async register(s: IntroducerRegistration): Promise<void> {
    const attempts = this.opts.attempts ?? 3;
    const retryMs = this.opts.retryMs ?? 400;
    const introducerKey = key(s.introducer);
    let lastError = 'no answer';
    let tokenRounds = 0;
    for (let i = 0; i < attempts && !this.stopped; i++) {
      // Each attempt is signed anew with a strictly later time: the
      // introducer keeps only registrations newer than the one it holds.
      this.lastIssuedAtMs = Math.max(Date.now(), this.lastIssuedAtMs + 1);
      const token = this.tokens.get(introducerKey);
      const m = sealSignal(this.opts.identity, { kind: 'register', issuedAtMs: this.lastIssuedAtMs, ...(token ? { token } : {}) });
      const sentAt = performance.now();
      const result = await new Promise<{ ok: true; r: Record<string, unknown> } | { ok: false; error: string; final: boolean }>((resolve) => {
        const q = sendQuery(this.rpc, s.introducer, SIGNAL_QUERY.register, { m }, (err, res) => {
          clearTimeout(timer);
          if (!err && res?.r) return resolve({ ok: true, r: res.r });
          const krpcError = krpcErrorOf(err, res);
          resolve(krpcError ? { ok: false, error: `${krpcError.code} ${krpcError.text}`, final: true } : { ok: false, error: err?.message ?? 'no answer', final: false });
        });
        const timer = setTimeout(() => {
          q.cancel();
          resolve({ ok: false, error: 'no answer', final: false });
        }, retryMs);
      });
      if (result.ok && typeof result.r.exp !== 'number') {
        // First contact, a new NAT mapping or a rotated secret: the introducer
        // sent a token for our address; register again with it, at once.
        const tok = result.r.tok;
        if (!Buffer.isBuffer(tok) || tok.length > MAX_TOKEN_BYTES || tokenRounds >= 2) {
          lastError = 'introducer answered neither a registration nor a usable token';
          break;
        }
        this.tokens.set(introducerKey, new Uint8Array(tok));
        tokenRounds++;
        i--;
        continue;
      }
      if (result.ok) {
        s.accepted = true;
        s.lastAcceptedAt = Date.now();
        s.rttMs = Math.round(performance.now() - sentAt);
        delete s.error;
        s.ttlMs = result.r.exp as number;
        const observed = Buffer.isBuffer(result.r.ip) ? parseCompactAddress(result.r.ip) : null;
        if (observed) s.observedAddress = observed;
        const rly = result.r.rly;
        if (Number.isInteger(rly) && (rly as number) > 0 && (rly as number) <= 65535) s.relayPort = rly as number;
        else delete s.relayPort;
        return;
      }
      lastError = result.error;
      if (result.final) break;
    }
    s.accepted = false;
    s.error = lastError;
  }

  private handleQuery(query: KrpcMessage, peer: KrpcRemote): void {
    if (queryName(query) !== SIGNAL_QUERY.forward || this.stopped) return;
    const host = remoteHost(peer);
    if (host === undefined) return;
    const from = { host, port: peer.port };
    if (!this.opts.acceptForwardsFromAnyone && !this.status.has(key(from))) return;
    const ip = query.a?.ip;
    const observedDialer = Buffer.isBuffer(ip) ? (parseCompactAddress(ip) ?? undefined) : undefined;
    this.answer(query.a?.m, from, observedDialer).then(
      (m) => {
        if (!this.stopped) this.rpc.response(peer, query, { id: this.rpc.id, m });
      },
      (err: unknown) => {
        if (this.stopped) return;
        const refusal =
          err instanceof Refusal
            ? err
            : err instanceof SignalDecodeError
              ? new Refusal(SIGNAL_ERROR.badRequest, err.message)
              : new Refusal(SIGNAL_ERROR.refused, err instanceof Error ? err.message : 'refused');
        this.rpc.error(peer, query, [refusal.code, refusal.message.slice(0, MAX_ERROR_TEXT)]);
      },
    );
  }

  private async answer(m: unknown, introducer: HostPort, observedDialer: HostPort | undefined): Promise<Buffer> {
    if (!Buffer.isBuffer(m) || m.length > MAX_SIGNED_SIGNAL_BYTES) throw new Refusal(SIGNAL_ERROR.badRequest, '`m` is not a signed signal');
    // Cheap checks first: a request for someone else is refused before any signature work.
    const { message: unverified } = readSignal(m);
    if (unverified.kind !== 'request') throw new Refusal(SIGNAL_ERROR.badRequest, `expected a request, got a ${unverified.kind}`);
    if (!Buffer.from(unverified.targetKey).equals(Buffer.from(this.opts.identity.publicKey))) {
      throw new Refusal(SIGNAL_ERROR.notForMe, 'request is addressed to another key');
    }
    const request = openSignal(m);
    if (request === null) throw new Refusal(SIGNAL_ERROR.badSignature, 'request signature does not verify for its sender key');
    const now = Date.now();
    if (Math.abs(now - request.issuedAtMs) > this.freshnessMs) {
      throw new Refusal(SIGNAL_ERROR.stale, `request issued ${now - request.issuedAtMs} ms from our clock, limit ${this.freshnessMs}`);
    }
    this.forgetExpired(now);
    const nonceKey = `${hexOf(request.senderKey)}/${hexOf(request.nonce)}`;
    const bodyHash = createHash('sha256').update(m).digest('hex');
    const seen = this.seen.get(nonceKey);
    if (seen) {
      if (seen.bodyHash !== bodyHash) throw new Refusal(SIGNAL_ERROR.replayed, 'nonce already used by another request');
      return seen.answer;
    }
    // Load, not a verdict on this dialer: it is told to come back (and does, until its deadline).
    if (this.seen.size >= (this.opts.maxRememberedNonces ?? 4096)) throw new Refusal(SIGNAL_ERROR.listenerBusy, 'listener busy: too many requests in the last 30 s');
    if (this.handlersInFlight >= (this.opts.maxHandlersInFlight ?? 32)) throw new Refusal(SIGNAL_ERROR.listenerBusy, `listener busy: ${this.handlersInFlight} requests at once`);
    const offer = decodeOffer(request.offerBytes);
    const handler = this.handler;
    if (!handler) throw new Refusal(SIGNAL_ERROR.refused, 'listener is not accepting requests');
    const rtt = this.status.get(key(introducer))?.rttMs;
    const req: PunchRequest = {
      dialerKey: request.senderKey,
      offer,
      nonce: request.nonce,
      issuedAtMs: request.issuedAtMs,
      introducer,
      session: request.session,
      ...(observedDialer ? { observedDialer } : {}),
      ...(rtt === undefined ? {} : { introducerRttMs: rtt }),
    };
    const answer = this.runHandler(handler, req, request.nonce);
    // Remembered until the request could no longer pass the freshness check.
    this.seen.set(nonceKey, { bodyHash, expiresAt: request.issuedAtMs + this.freshnessMs + 1, answer });
    // Remembered failures are answered the same way on retransmission; the rejection is handled by every awaiting caller.
    answer.catch(() => {});
    return answer;
  }

  private async runHandler(handler: PunchRequestHandler, request: PunchRequest, nonce: Uint8Array): Promise<Buffer> {
    this.handlersInFlight++;
    try {
      const out = await handler(request);
      const reply: PunchReply = 'offer' in out ? out : { offer: out };
      return Buffer.from(
        sealSignal(this.opts.identity, {
          kind: 'answer',
          targetKey: request.dialerKey,
          replyTo: nonce,
          offerBytes: encodeOffer(reply.offer),
          ...(reply.session ? { session: reply.session } : {}),
          ...(reply.refused ? { refused: true } : {}),
        }),
      );
    } finally {
      this.handlersInFlight--;
    }
  }

  private forgetExpired(now: number): void {
    for (const [k, s] of this.seen) if (s.expiresAt <= now) this.seen.delete(k);
  }
}

function key(hp: HostPort): string {
  return `${hp.host}:${hp.port}`;
}

function hexOf(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}
