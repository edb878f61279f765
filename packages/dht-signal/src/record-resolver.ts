import { type ItemVerdict, checkItem } from './check-item.js';
import type { DhtNode } from './dht-node.js';
import { DhtStoppedError, RecordExpiredError, RecordInvalidError, RecordLookupIncompleteError, RecordNotFoundError } from './errors.js';
import { type GetReply, type GetWalk, walkGet } from './get-walk.js';
import { mutableTarget } from './mutable-item.js';
import { RECORD_SALT, type RecordFields } from './record-codec.js';
import { MIN_SILENCE_MS, WalkProgress } from './walk-progress.js';

/** Kademlia's K in BEP 5: hearing from the 8 closest nodes ends a search. */
const CLOSEST_TO_HEAR_FROM = 8;
const CONVERGENCE_TICK_MS = 20;
/** Keys whose highest seq a resolver remembers by default (about 1 MB). */
const MAX_REMEMBERED_KEYS = 10_000;

/** A record's fields (issuedAt in Unix seconds, lifetime in seconds after it) once every check passed. */
export interface VerifiedRecord extends RecordFields {
  seq: number;
  /** Storers that had returned this very seq when the lookup settled. */
  storedOn?: number;
}

export interface ResolverOptions {
  /** Upper bound for one lookup, including not-found; default 10 s. */
  timeoutMs?: number;
  /** Settle once this many storers returned the newest valid seq; default 3. */
  quorum?: number;
  /** ...or this long after the first valid answer, whichever comes first; default 150 ms. */
  graceMs?: number;
  /**
   * Settle (also with no record: not-found) once the 8 nodes closest to the
   * key have answered. Nodes silent for 4x the slowest answer so far count
   * as dead, but never sooner than `minSilenceMs` (default 200 ms) and
   * always after `maxSilenceMs` (default: half the query timeout, at most 1 s).
   */
  minSilenceMs?: number;
  maxSilenceMs?: number;
  /**
   * Highest seq accepted per key (hex), shared or persisted by the caller so
   * replay protection survives the resolver; default: a new, private map.
   */
  seenSeqs?: Map<string, number>;
}

interface SeqCandidate {
  verdict: Extract<ItemVerdict, { kind: 'valid' | 'expired' }>;
  storers: Set<string>;
}

/**
 * Finds and verifies peer records. Remembers the highest seq it has
 * accepted per key, so a storer replaying an older signed record is caught.
 */
export class RecordResolver {
  private readonly highestSeq: Map<string, number>;
  private readonly boundMemory: boolean;
  private readonly timeoutMs: number;
  private readonly quorum: number;
  private readonly graceMs: number;
  private readonly minSilenceMs: number;
  private readonly maxSilenceMs: number;

  constructor(
    private readonly dht: DhtNode,
    opts: ResolverOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.quorum = Math.max(1, opts.quorum ?? 3);
    this.graceMs = opts.graceMs ?? 150;
    this.minSilenceMs = opts.minSilenceMs ?? MIN_SILENCE_MS;
    this.maxSilenceMs = Math.max(this.minSilenceMs, opts.maxSilenceMs ?? Math.min(1000, dht.queryTimeoutMs / 2));
    this.highestSeq = opts.seenSeqs ?? new Map();
    // A caller's own map is theirs to bound (they may persist it); ours must not grow forever.
    this.boundMemory = opts.seenSeqs === undefined;
  }

  /** Highest seq accepted so far for a key (0 if none). */
  seenSeq(publicKey: Uint8Array): number {
    return this.highestSeq.get(Buffer.from(publicKey).toString('hex')) ?? 0;
  }

  private remember(keyHex: string, seq: number): void {
    // Re-inserting moves the key to the end, so eviction drops the least recently seen.
    this.highestSeq.delete(keyHex);
    this.highestSeq.set(keyHex, seq);
    if (this.boundMemory && this.highestSeq.size > MAX_REMEMBERED_KEYS) {
      this.highestSeq.delete(this.highestSeq.keys().next().value!);
    }
  }

  lookup(publicKey: Uint8Array): Promise<VerifiedRecord> {
    if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
      return Promise.reject(new Error('a public key is 32 bytes'));
    }
    if (this.dht.stopped) return Promise.reject(new DhtStoppedError('lookup'));
    const key = Buffer.from(publicKey);
    const keyHex = key.toString('hex');
    const floor = this.highestSeq.get(keyHex) ?? 0;
    const { timeoutMs, quorum, graceMs, minSilenceMs, maxSilenceMs } = this;
    return new RecordLookup(this.dht, key, floor, { timeoutMs, quorum, graceMs, minSilenceMs, maxSilenceMs }, (seq) => this.remember(keyHex, seq)).run();
  }
}

/** What a lookup needs of its resolver's settings. */
interface LookupSettings {
  readonly timeoutMs: number;
  readonly quorum: number;
  readonly graceMs: number;
  readonly minSilenceMs: number;
  readonly maxSilenceMs: number;
}

/** One lookup: the walk towards the key, the answers sorted by seq, and the timers that decide when to settle. */
class RecordLookup {
  private readonly keyHex: string;
  private readonly valid = new Map<number, SeqCandidate>();
  private readonly expired = new Map<number, SeqCandidate>();
  private invalid: Extract<ItemVerdict, { kind: 'invalid' }> | undefined;
  private graceTimer: NodeJS.Timeout | undefined;
  private settled = false;
  private progress!: WalkProgress;
  private convergenceTick?: NodeJS.Timeout;
  private walk!: GetWalk;
  private deadline?: NodeJS.Timeout;
  private readonly startedAt = Date.now();
  private resolve: (record: VerifiedRecord) => void = () => {};
  private reject: (err: Error) => void = () => {};

  constructor(
    private readonly dht: DhtNode,
    private readonly key: Buffer,
    /** Highest seq accepted for this key before: anything older is a replay. */
    private readonly floor: number,
    private readonly settings: LookupSettings,
    private readonly remember: (seq: number) => void,
  ) {
    this.keyHex = key.toString('hex');
  }

  run(): Promise<VerifiedRecord> {
    return new Promise<VerifiedRecord>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      const { settings } = this;
      const target = mutableTarget(this.key, RECORD_SALT);
      const progress = new WalkProgress(target, this.dht.krpc.id, CLOSEST_TO_HEAR_FROM, settings.minSilenceMs, settings.maxSilenceMs);
      this.progress = progress;
      // Nodes turn "presumed dead" by time passing, not by a reply arriving.
      this.convergenceTick = setInterval(() => {
        if (progress.converged(Date.now())) this.settle('converged');
      }, CONVERGENCE_TICK_MS);
      this.walk = walkGet(this.dht.krpc, target, (reply) => this.onReply(reply));
      this.deadline = setTimeout(() => this.settle('deadline'), settings.timeoutMs);
      this.dht.stopSignal.addEventListener('abort', this.onStop, { once: true });
      this.walk.finished.then(
        (answered) => this.settle(answered > 0 ? 'walk-ended' : 'no-answer'),
        () => this.settle('walk-ended'),
      );
    });
  }

  /** Stops the walk and every timer, once; false when the lookup had already ended. */
  private end(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.walk.stop();
    clearTimeout(this.graceTimer);
    clearTimeout(this.deadline);
    clearInterval(this.convergenceTick);
    this.dht.stopSignal.removeEventListener('abort', this.onStop);
    return true;
  }

  /**
   * Ends the lookup with the best record heard, else with why there is none:
   * absent only when the closest nodes answered (or the walk ran its course);
   * a deadline or total silence says so instead of claiming absence.
   */
  private readonly settle = (why: 'converged' | 'found' | 'walk-ended' | 'deadline' | 'no-answer'): void => {
    if (!this.end()) return;

    const best = newest(this.valid) ?? newest(this.expired);
    if (best) this.remember(Math.max(this.floor, best.verdict.seq));
    if (best?.verdict.kind === 'valid') {
      const { fields, seq } = best.verdict;
      return this.resolve({ ...fields, seq, storedOn: best.storers.size });
    }
    if (best?.verdict.kind === 'expired') return this.reject(new RecordExpiredError(this.keyHex, best.verdict.expiredAt));
    if (this.invalid) return this.reject(new RecordInvalidError(this.invalid.reason, this.invalid.detail));
    const { answered } = this.progress.counts();
    const asked = this.walk.asked();
    const afterMs = Date.now() - this.startedAt;
    if (why === 'no-answer' || answered === 0) return this.reject(new RecordLookupIncompleteError(this.keyHex, 'no-answer', 0, asked, afterMs));
    if (why === 'deadline' && !this.progress.converged(Date.now())) return this.reject(new RecordLookupIncompleteError(this.keyHex, 'timeout', answered, asked, afterMs));
    this.reject(new RecordNotFoundError(this.keyHex));
  };

  private readonly onStop = (): void => {
    if (this.end()) this.reject(new DhtStoppedError('lookup'));
  };

  private onReply({ r, peer }: GetReply): void {
    if (this.settled) return;
    const { valid, floor } = this;
    const storer = `${peer.address ?? peer.host}:${peer.port}`;
    this.progress.onReply(r, { host: peer.address ?? peer.host ?? '', port: peer.port }, Date.now());
    if (r.v === undefined) {
      // Once a valid record is in hand, quorum or grace decides instead.
      if (valid.size === 0 && this.progress.converged(Date.now())) this.settle('converged');
      return;
    }
    let verdict = checkItem(r, this.key, RECORD_SALT, Math.floor(Date.now() / 1000));
    if (verdict.kind !== 'invalid' && verdict.seq < floor) {
      verdict = { kind: 'invalid', reason: 'stale-seq', detail: `seq ${verdict.seq} is older than seq ${floor} seen before`, seq: verdict.seq };
    }
    if (verdict.kind === 'invalid') {
      this.invalid ??= verdict;
      return;
    }
    const bucket = verdict.kind === 'valid' ? valid : this.expired;
    const candidate = bucket.get(verdict.seq) ?? { verdict, storers: new Set<string>() };
    bucket.set(verdict.seq, candidate);
    candidate.storers.add(storer);
    if (verdict.kind !== 'valid') return;
    // Trust the newest valid seq once enough storers agree on it, or
    // once a newer one has had a short while to show up.
    if (newest(valid)!.storers.size >= this.settings.quorum) return this.settle('found');
    this.graceTimer ??= setTimeout(() => this.settle('found'), this.settings.graceMs);
  }
}

function newest(candidates: Map<number, SeqCandidate>): SeqCandidate | undefined {
  let best: SeqCandidate | undefined;
  for (const c of candidates.values()) if (!best || c.verdict.seq > best.verdict.seq) best = c;
  return best;
}
