import { EventEmitter } from 'node:events';
import type { KrpcPeer } from 'bittorrent-dht';
import { checkItem } from './check-item.js';
import type { DhtNode } from './dht-node.js';
import { DhtStoppedError, RecordInvalidError, RecordPublishError, RecordTooLargeError } from './errors.js';
import { compareDistance, walkGet } from './get-walk.js';
import { krpcErrorOf } from './raw-krpc.js';
import { MIN_SILENCE_MS, WalkProgress } from './walk-progress.js';
import type { HostPort } from '@p2p-node/protos';
import { type Identity, sign } from './identity.js';
import { bencodedLength, MAX_BENCODED_VALUE_BYTES, mutableTarget, signatureData } from './mutable-item.js';
import { encodePeerRecord, MAX_ENDPOINTS_PER_LIST, MAX_LIFETIME_SEC, RECORD_SALT, type RecordContent, type RecordFields } from './record-codec.js';

export interface PublisherOptions {
  /** Default: a third of the lifetime, so two republishes can fail before the record expires. */
  republishIntervalMs?: number;
  /** Record lifetime when the content does not say; default one hour. */
  lifetimeSec?: number;
}

export interface PublishResult {
  seq: number;
  /** Nodes that accepted the put. */
  storedOn: number;
}

const DEFAULT_LIFETIME_SEC = 3600;

/**
 * Rounds of puts to storers that stayed silent, while none has stored the
 * item yet. A small or lossy DHT may leave one storer: at 5% loss on each
 * of two hops per direction a round trip fails 19% of the time, so three
 * rounds lose 0.7% of such publishes (a listener that exits at start), five
 * 0.02%. A round only follows silence, so this costs nothing when the first
 * put is answered; all silent, it costs five query timeouts (10 s).
 */
const PUT_ROUNDS = 5;

/**
 * Publishes one peer's record as a BEP 44 mutable item and keeps it fresh.
 * Emits 'published' (PublishResult) after every successful put and
 * 'publish-failed' (Error) when a timer republish fails; never 'error', so
 * an unlucky republish cannot crash a process that did not listen.
 */
export class RecordPublisher extends EventEmitter {
  private content: RecordContent | undefined;
  private lastSeq = 0;
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private readonly target: Buffer;

  constructor(
    private readonly dht: DhtNode,
    private readonly id: Identity,
    private readonly opts: PublisherOptions = {},
  ) {
    super();
    this.target = mutableTarget(id.publicKey, RECORD_SALT);
  }

  /** Publishes now (checking size first) and keeps republishing this content on the timer. */
  publish(content: RecordContent): Promise<PublishResult> {
    if (this.stopped) return Promise.reject(new Error('publisher is stopped'));
    try {
      // Encode once up front so an oversized or malformed record fails now, not on a timer later.
      this.encode(content, nowSec());
    } catch (err) {
      return Promise.reject(err);
    }
    // A copy: the caller may reuse its object, the timer must republish what was published.
    this.content = structuredClone(content);
    return this.enqueue();
  }

  /** The seq of the last successful put (0 before the first). */
  get seq(): number {
    return this.lastSeq;
  }

  /** No put starts after this; the promise settles once a put already under way has finished. */
  stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    return this.queue.then(() => undefined);
  }

  private enqueue(): Promise<PublishResult> {
    const run = this.queue.then(() => this.putOnce());
    // Puts go out one at a time so seq numbers reach storers in order.
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async putOnce(): Promise<PublishResult> {
    if (this.dht.stopped) throw new DhtStoppedError('publish');
    const content = this.content!;
    const issuedAt = nowSec();
    const v = this.encode(content, issuedAt);
    const { storers, highestSeqSeen } = await this.findStorers();
    // Microseconds since the epoch keep seq increasing across restarts;
    // the network's own highest seq covers a clock that went backwards.
    const firstSeq = Math.max(Date.now() * 1000, this.lastSeq + 1, highestSeqSeen + 1);
    const { storedOn, seq } = await this.put(storers, Buffer.from(v), firstSeq);
    this.lastSeq = seq;
    this.scheduleRepublish(content);
    const result = { seq, storedOn };
    this.emit('published', result);
    return result;
  }

  private encode(content: RecordContent, issuedAt: number): Uint8Array {
    const lifetime = content.lifetimeSec ?? this.opts.lifetimeSec ?? DEFAULT_LIFETIME_SEC;
    if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > MAX_LIFETIME_SEC) {
      throw new Error(`record lifetime must be 1..${MAX_LIFETIME_SEC} s, got ${lifetime}`);
    }
    for (const [name, list] of Object.entries({ publicEndpoints: content.publicEndpoints, lanEndpoints: content.lanEndpoints, ipv6Endpoints: content.ipv6Endpoints ?? [], introducers: content.introducers })) {
      // Readers refuse longer lists, so publishing one would only make the record unreadable.
      if (list.length > MAX_ENDPOINTS_PER_LIST) {
        throw new RecordInvalidError('field-bounds', `${name} has ${list.length} entries, readers accept at most ${MAX_ENDPOINTS_PER_LIST}`);
      }
    }
    const fields: RecordFields = {
      publicKey: this.id.publicKey,
      issuedAt,
      lifetime,
      publicEndpoints: content.publicEndpoints,
      lanEndpoints: content.lanEndpoints,
      ipv6Endpoints: content.ipv6Endpoints ?? [],
      introducers: content.introducers,
      nat: content.nat ?? { mapping: 'unknown' },
    };
    const v = encodePeerRecord(fields);
    if (bencodedLength(v) > MAX_BENCODED_VALUE_BYTES) throw new RecordTooLargeError(bencodedLength(v), MAX_BENCODED_VALUE_BYTES);
    return v;
  }

  /** Walks to the nodes closest to our target, collecting their write tokens and any seq of ours they still hold. */
  private async findStorers(): Promise<{ storers: KrpcPeer[]; highestSeqSeen: number }> {
    const byAddress = new Map<string, KrpcPeer>();
    let highestSeqSeen = 0;
    const rpc = this.dht.krpc;
    // Stop once the k closest live nodes have answered: their tokens are all a put needs.
    // Convergence alone is not enough: on a loaded machine slow nodes are presumed dead,
    // and a walk that stopped then would store the record on too few nodes. Until k
    // tokens are in hand, the walk runs to its end (bounded by the query timeout).
    const progress = new WalkProgress(this.target, rpc.id, rpc.k, MIN_SILENCE_MS, Math.max(MIN_SILENCE_MS, Math.min(1000, this.dht.queryTimeoutMs / 2)));
    const walk = walkGet(rpc, this.target, ({ r, peer }) => {
      const host = peer.address ?? peer.host;
      progress.onReply(r, { host: host ?? '', port: peer.port }, Date.now());
      if (Buffer.isBuffer(r.token) && Buffer.isBuffer(r.id) && r.id.length === 20 && host !== undefined) {
        byAddress.set(`${host}:${peer.port}`, { id: r.id, host, port: peer.port, token: r.token });
      }
      if (r.v !== undefined) {
        const verdict = checkItem(r, this.id.publicKey, RECORD_SALT, nowSec());
        // Only our own signature may push seq forward; anything else is noise.
        if (verdict.kind !== 'invalid' || verdict.reason !== 'bad-signature') {
          if (verdict.seq !== undefined) highestSeqSeen = Math.max(highestSeqSeen, verdict.seq);
        }
      }
    });
    let tick: NodeJS.Timeout | undefined;
    const converged = new Promise<void>((resolve) => {
      tick = setInterval(() => byAddress.size >= rpc.k && progress.converged(Date.now()) && resolve(), 20);
    });
    try {
      await this.untilStopped(Promise.race([walk.finished, converged]), 'publish');
    } finally {
      clearInterval(tick);
      walk.stop();
    }
    const storers = [...byAddress.values()]
      .sort((a, b) => compareDistance(this.target, a.id!, b.id!))
      .slice(0, rpc.k);
    return { storers, highestSeqSeen };
  }

  /** Puts `v` to the storers, in rounds while none has stored it; resolves with how many did and the seq they hold. */
  private async put(storers: KrpcPeer[], v: Buffer, firstSeq: number): Promise<{ storedOn: number; seq: number }> {
    if (storers.length === 0) throw new RecordPublishError('no-nodes', 'no DHT node answered; is the bootstrap list right?');
    const rpc = this.dht.krpc;
    const send = (peer: KrpcPeer, seq: number, sig: Buffer) =>
      new Promise<'stored' | 'refused' | 'silent'>((resolve) =>
        rpc.query(peer, { q: 'put', a: { id: rpc.id, v, k: Buffer.from(this.id.publicKey), salt: Buffer.from(RECORD_SALT), seq, sig } }, (err, res) =>
          resolve(!err ? 'stored' : krpcErrorOf(err, res) ? 'refused' : 'silent'),
        ),
      );
    // A put and its answer are one datagram each way: on a lossy path every
    // storer can miss one (two storers at 5% loss per crossing: about 1% of
    // publishes). Storers that stayed silent get the put again (their tokens
    // are still good); one that refused would refuse again. Each round signs
    // the next seq: a silent storer may have stored the last round's put and
    // lost only its answer, and BEP 44 storers refuse a seq they already hold
    // (302), which would count a stored record as refused.
    let hits = 0;
    let silent = storers;
    let seq = firstSeq;
    for (let round = 0; round < PUT_ROUNDS && hits === 0 && silent.length > 0; round++) {
      seq = firstSeq + round;
      const sig = Buffer.from(sign(this.id, signatureData(RECORD_SALT, seq, v)));
      const outcomes = await this.untilStopped(Promise.all(silent.map((peer) => send(peer, seq, sig))), 'publish');
      hits += outcomes.filter((o) => o === 'stored').length;
      silent = silent.filter((_, i) => outcomes[i] === 'silent');
    }
    if (hits === 0) throw new RecordPublishError('all-refused', `none of ${storers.length} storers accepted seq ${seq}`);
    return { storedOn: hits, seq };
  }

  private scheduleRepublish(content: RecordContent): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    const lifetime = content.lifetimeSec ?? this.opts.lifetimeSec ?? DEFAULT_LIFETIME_SEC;
    const interval = this.opts.republishIntervalMs ?? Math.floor((lifetime * 1000) / 3);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopped || this.dht.stopped) return;
      this.enqueue().catch((err: Error) => {
        this.emit('publish-failed', err);
        // Retry on the same period: a lost put must not end the record's upkeep.
        if (this.content) this.scheduleRepublish(this.content);
      });
    }, interval);
    // The DHT socket keeps a daemon alive; this timer alone must not.
    this.timer.unref();
  }

  private untilStopped<T>(p: Promise<T>, operation: string): Promise<T> {
    const signal = this.dht.stopSignal;
    if (signal.aborted) return Promise.reject(new DhtStoppedError(operation));
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(new DhtStoppedError(operation));
      signal.addEventListener('abort', onAbort, { once: true });
      p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }
}

function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}
