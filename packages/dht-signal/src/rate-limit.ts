/**
 * Token buckets keyed by source IP, in a table that never grows past
 * `maxKeys`: when full, the least recently refilled bucket is forgotten
 * (a forgotten source starts again with a full bucket, which costs at most
 * one burst; an unbounded table would cost memory under a spoofed flood).
 */
export interface RateLimitOptions {
  /** Burst size: requests a quiet source may send at once. */
  capacity: number;
  /** Sustained requests per second per source. */
  refillPerSec: number;
  maxKeys: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly opts: RateLimitOptions,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(opts.capacity >= 1) || !(opts.refillPerSec > 0) || !(opts.maxKeys >= 1)) throw new Error('rate limit needs capacity >= 1, refill > 0, maxKeys >= 1');
  }

  /** Takes one token for `key`; false when the source is over its rate. */
  take(key: string): boolean {
    const t = this.now();
    let bucket = this.buckets.get(key);
    if (bucket) {
      this.buckets.delete(key);
      bucket.tokens = Math.min(this.opts.capacity, bucket.tokens + ((t - bucket.at) / 1000) * this.opts.refillPerSec);
      bucket.at = t;
    } else {
      if (this.buckets.size >= this.opts.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
      bucket = { tokens: this.opts.capacity, at: t };
    }
    // Re-inserted so Map order is least recently seen first.
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  get size(): number {
    return this.buckets.size;
  }
}
