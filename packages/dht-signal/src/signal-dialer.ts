import type { KRpc, KrpcError, KrpcMessage } from 'bittorrent-dht';
import type { DhtNode } from './dht-node.js';
import { DhtStoppedError } from './errors.js';
import type { HostPort } from '@p2p-node/protos';
import type { Identity } from './identity.js';
import { krpcErrorOf, type SentQuery, sendQuery } from './raw-krpc.js';
import { decodeOffer, encodeOffer, newNonce, openSignal, type PunchOffer, sealSignal, SignalDecodeError } from './signal-codec.js';
import {
  type IntroducerAttempt,
  type IntroducerOutcome,
  SignalBusyError,
  SignalRejectedError,
  SignalTimeoutError,
  SignalUnreachableError,
} from './signal-errors.js';
import { DEFAULT_FRESHNESS_MS, isListenerVerdict, isLoadShedding, REJECT_REASON_BY_CODE, SIGNAL_ERROR, SIGNAL_QUERY } from './signal-protocol.js';

/** After a "not now" (rate limited, busy), the same introducer is asked again after this long, doubling up to the cap, with jitter so a crowd spreads out. */
const FIRST_BACKOFF_MS = 150;
const MAX_BACKOFF_MS = 1_000;

export interface RequestPunchOptions {
  /** The listener's ed25519 public key. */
  target: Uint8Array;
  /** The listener's introducers, in the order to try them (from its record). */
  introducers: HostPort[];
  /** Our side of the punch. */
  offer: PunchOffer;
  /** Opaque session handshake bytes for the listener (p2p-node: the first Noise message), signed with the request. */
  session?: Uint8Array;
  /** Overall deadline; default 5,000 ms. */
  timeoutMs?: number;
  /** Retransmission delay of the same request to the same introducer; default 250 ms. */
  retryMs?: number;
  /** Sends to one introducer before giving up on it (the next one is tried in parallel after the first silence); default 4. */
  attemptsPerIntroducer?: number;
  /** Tolerated distance between the answer's issue time and our clock; default 30 s. */
  freshnessMs?: number;
  signal?: AbortSignal;
}

export interface PunchAnswer {
  listenerKey: Uint8Array;
  offer: PunchOffer;
  issuedAtMs: number;
  /** The listener's session handshake bytes (empty if none). */
  session: Uint8Array;
  /** The listener refuses us (signed, so no introducer could have made it up). */
  refused: boolean;
}

export interface PunchRequestResult {
  answer: PunchAnswer;
  /** The introducer whose relay brought the answer. */
  introducer: HostPort;
  /** From sending the transmission whose forward the listener answered to receiving the answer, ms (fractional): the path's round trip plus the listener's handler time. */
  rttMs: number;
  /** Introducers given up on before the answer came, and why. */
  attempts: IntroducerAttempt[];
}

/**
 * Sends one signed punch request (one nonce: every retransmission and every
 * introducer carries the same bytes, so the listener answers it once and
 * repeats that answer) and resolves with the listener's verified answer.
 *
 * Introducers are tried in order, hedged: one silent for `retryMs` keeps
 * getting retransmissions while the next is tried too, and one that fails
 * outright (unknown key, unreachable, bad answer) hands over at once. A dead
 * first introducer costs `retryMs`, not all its retries. One that says "not
 * now" (its rate limit, its load, or the listener's) is asked again after a
 * growing, jittered pause until the deadline, while the next is tried too:
 * a crowd of dialers (behind one carrier NAT, say) gets through in turn
 * instead of failing, and one that never does hears that the listener was
 * busy, not that it was unreachable.
 *
 * Errors from introducers are not signed, so a listener's refusal relayed by
 * one introducer is confirmed through the others before the dial gives up:
 * a lying introducer can slow a dial down but not stop it.
 */
export function requestPunch(dht: DhtNode, identity: Identity, opts: RequestPunchOptions): Promise<PunchRequestResult> {
  if (dht.stopped) return Promise.reject(new DhtStoppedError('requestPunch'));
  if (!(opts.target instanceof Uint8Array) || opts.target.length !== 32) return Promise.reject(new Error('target must be a 32-byte ed25519 public key'));
  const nonce = newNonce();
  let m: Buffer;
  try {
    m = Buffer.from(sealSignal(identity, { kind: 'request', targetKey: opts.target, nonce, offerBytes: encodeOffer(opts.offer), ...(opts.session ? { session: opts.session } : {}) }));
  } catch (err) {
    // An offer that cannot be encoded (too many endpoints, bad port) fails the promise, not the caller's stack.
    return Promise.reject(err as Error);
  }
  return new RequestRun(dht, identity, opts, nonce, m).run();
}

/** One punch request on its way: the lanes (one per introducer tried), their transmissions, and the verdict. */
class RequestRun {
  private readonly timeoutMs: number;
  private readonly retryMs: number;
  private readonly attemptsPerIntroducer: number;
  private readonly freshnessMs: number;
  private readonly rpc: KRpc;
  private readonly attempts: IntroducerAttempt[] = [];
  private readonly sent: SentQuery[] = [];
  private readonly lanes: Lane[] = [];
  private rejection: SignalRejectedError | undefined;
  /** The last "not now" heard, if any: what the dial ends with if nothing better comes. */
  private shedding: string | undefined;
  private settled = false;
  private readonly startedAt = performance.now();
  private transmissions = 0;
  private deadline?: NodeJS.Timeout;
  private resolve: (result: PunchRequestResult) => void = () => {};
  private reject: (err: Error) => void = () => {};

  constructor(
    private readonly dht: DhtNode,
    private readonly identity: Identity,
    private readonly opts: RequestPunchOptions,
    /** The request's nonce, which the answer must reply to. */
    private readonly nonce: Uint8Array,
    /** The sealed request, the same bytes in every transmission. */
    private readonly m: Buffer,
  ) {
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.retryMs = opts.retryMs ?? 250;
    this.attemptsPerIntroducer = Math.max(1, opts.attemptsPerIntroducer ?? 4);
    this.freshnessMs = opts.freshnessMs ?? DEFAULT_FRESHNESS_MS;
    this.rpc = dht.krpc;
  }

  run(): Promise<PunchRequestResult> {
    return new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      const { dht, opts } = this;
      this.deadline = setTimeout(() => this.finish(this.shedding ? this.busyError() : new SignalTimeoutError(this.timeoutMs, this.attempts)), this.timeoutMs);
      dht.stopSignal.addEventListener('abort', this.onAbort, { once: true });
      opts.signal?.addEventListener('abort', this.onAbort, { once: true });
      if (opts.signal?.aborted) return this.onAbort();
      if (opts.introducers.length === 0) return this.finish(new SignalUnreachableError([]));
      this.startNext();
    });
  }

  private readonly onAbort = (): void => this.finish(this.dht.stopped ? new DhtStoppedError('requestPunch') : new Error('punch request aborted'));

  private finish(result: PunchRequestResult | Error): void {
    if (this.settled) return;
    this.settled = true;
    for (const lane of this.lanes) clearTimeout(lane.timer);
    clearTimeout(this.deadline);
    this.dht.stopSignal.removeEventListener('abort', this.onAbort);
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    for (const q of this.sent) q.cancel();
    if (result instanceof Error) this.reject(result);
    else this.resolve(result);
  }

  private startNext(): void {
    const { lanes, opts } = this;
    if (this.settled || lanes.length >= opts.introducers.length) return;
    const lane: Lane = { introducer: opts.introducers[lanes.length]!, tries: 0, backoffs: 0, done: false, sentAt: new Map() };
    lanes.push(lane);
    this.send(lane);
  }

  private giveUp(lane: Lane, outcome: IntroducerOutcome, detail: string): void {
    if (this.settled || lane.done) return;
    lane.done = true;
    clearTimeout(lane.timer);
    this.attempts.push({ introducer: lane.introducer, outcome, detail });
    // The newest lane failing starts the next at once; an older one already did (by hedging).
    if (lane === this.lanes.at(-1)) this.startNext();
    if (this.lanes.every((l) => l.done)) this.finish(this.rejection ?? (this.shedding ? this.busyError() : new SignalUnreachableError(this.attempts)));
  }

  private busyError(): SignalBusyError {
    return new SignalBusyError(Math.round(performance.now() - this.startedAt), this.attempts, this.shedding ?? '');
  }

  /** "Not now": ask this introducer again after a pause (the next one meanwhile, if this is the newest lane). */
  private backOff(lane: Lane, code: number, text: string): void {
    if (this.settled || lane.done) return;
    this.shedding = `${lane.introducer.host}:${lane.introducer.port} ${outcomeOf(code)}: ${text}`;
    if (lane === this.lanes.at(-1)) this.startNext();
    this.pause(lane);
  }

  private pause(lane: Lane): void {
    clearTimeout(lane.timer);
    const pause = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** lane.backoffs) * (0.5 + Math.random());
    lane.backoffs++;
    // A fresh round of retransmissions once the pause is over.
    lane.tries = 0;
    lane.timer = setTimeout(() => this.send(lane), pause);
  }

  private send(lane: Lane): void {
    lane.tries++;
    const n = this.transmissions++;
    const sentAt = performance.now();
    lane.sentAt.set(n, sentAt);
    this.sent.push(sendQuery(this.rpc, lane.introducer, SIGNAL_QUERY.request, { m: this.m, n }, (err, res) => this.onReply(lane, sentAt, err, res)));
    lane.timer = setTimeout(() => this.onSilence(lane), this.retryMs);
  }

  private onReply(lane: Lane, sentAt: number, err: KrpcError | null, res: KrpcMessage | null): void {
    if (this.settled) return;
    // Under loss an earlier transmission's query can be answered by a
    // later one's forward; the introducer says which (only among this
    // lane's transmissions is it believed), so the time is the path's.
    const echoed = res?.r?.n;
    const from = typeof echoed === 'number' ? lane.sentAt.get(echoed) : undefined;
    const rttMs = performance.now() - (from ?? sentAt);
    const raw = !err ? res?.r?.m : undefined;
    if (Buffer.isBuffer(raw)) {
      const answer = this.verifyAnswer(raw);
      if (typeof answer === 'string') return this.giveUp(lane, 'bad-answer', answer);
      // Any lane's valid answer wins, even one given up on: the bytes are signed.
      return this.finish({ answer, introducer: lane.introducer, rttMs, attempts: this.attempts });
    }
    const krpcError = krpcErrorOf(err, res);
    // Timeouts and cancellations are the retransmission timer's business.
    if (!krpcError) return;
    if (isLoadShedding(krpcError.code)) return this.backOff(lane, krpcError.code, krpcError.text);
    if (isListenerVerdict(krpcError.code)) {
      const reason = REJECT_REASON_BY_CODE.get(krpcError.code) ?? 'refused';
      this.rejection ??= new SignalRejectedError(reason, krpcError.text, lane.introducer);
      return this.giveUp(lane, 'error', `listener refused: ${reason} (${krpcError.text})`);
    }
    this.giveUp(lane, outcomeOf(krpcError.code), `${krpcError.code} ${krpcError.text}`);
  }

  private onSilence(lane: Lane): void {
    if (this.settled || lane.done) return;
    // Silence so far: hedge with the next introducer while this one keeps
    // getting retransmissions. Safe because every lane carries the same
    // request, which the listener answers once.
    if (lane.tries === 1 && lane === this.lanes.at(-1)) this.startNext();
    if (lane.tries < this.attemptsPerIntroducer) this.send(lane);
    // An introducer that said "not now" and then goes quiet is most likely still shedding load
    // (its notices are rate-limited too): keep pacing it until the deadline.
    else if (lane.backoffs > 0) this.pause(lane);
    else this.giveUp(lane, 'no-response', `${lane.tries} sends, ${this.retryMs} ms apart`);
  }

  private verifyAnswer(raw: Buffer): PunchAnswer | string {
    try {
      const msg = openSignal(raw);
      if (msg === null) return 'answer signature does not verify';
      if (msg.kind !== 'answer') return `expected an answer, got a ${msg.kind}`;
      if (!Buffer.from(msg.senderKey).equals(Buffer.from(this.opts.target))) return 'answer is signed by another key than the one dialed';
      if (!Buffer.from(msg.targetKey).equals(Buffer.from(this.identity.publicKey))) return 'answer is addressed to another key';
      if (!Buffer.from(msg.replyTo).equals(Buffer.from(this.nonce))) return 'answer is for another request';
      if (Math.abs(Date.now() - msg.issuedAtMs) > this.freshnessMs) return 'answer is stale';
      return { listenerKey: msg.senderKey, offer: decodeOffer(msg.offerBytes), issuedAtMs: msg.issuedAtMs, session: msg.session, refused: msg.refused };
    } catch (err) {
      if (err instanceof SignalDecodeError) return `malformed answer: ${err.message}`;
      throw err;
    }
  }
}

/** One introducer being tried: retransmissions go on until it answers, refuses, or runs out of tries. */
interface Lane {
  introducer: HostPort;
  /** Sends in the current round (a "not now" starts a new round). */
  tries: number;
  /** "Not now" answers so far: each doubles the next pause. */
  backoffs: number;
  timer?: NodeJS.Timeout;
  done: boolean;
  /** Transmission number -> performance.now() when sent. */
  sentAt: Map<number, number>;
}

function outcomeOf(code: number): IntroducerOutcome {
  switch (code) {
    case SIGNAL_ERROR.unknownKey:
      return 'unknown-key';
    case SIGNAL_ERROR.unreachable:
      return 'unreachable';
    case SIGNAL_ERROR.rateLimited:
      return 'rate-limited';
    case SIGNAL_ERROR.busy:
      return 'busy';
    case SIGNAL_ERROR.listenerBusy:
      return 'listener-busy';
    default:
      return 'error';
  }
}
