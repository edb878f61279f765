import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../src/rate-limit.js';

describe('RateLimiter', () => {
  it('allows a burst, then the refill rate, per key', () => {
    let now = 0;
    const limiter = new RateLimiter({ capacity: 3, refillPerSec: 2, maxKeys: 10 }, () => now);
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([true, true, true, false]);
    // Another source is not affected.
    expect(limiter.take('b')).toBe(true);
    now += 499;
    expect(limiter.take('a')).toBe(false);
    now += 1;
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('a')).toBe(false);
    // Never more than the burst, however long the pause.
    now += 60_000;
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([true, true, true, false]);
  });

  it('never holds more than maxKeys sources, forgetting the least recently seen', () => {
    let now = 0;
    const limiter = new RateLimiter({ capacity: 1, refillPerSec: 0.001, maxKeys: 3 }, () => now);
    for (const k of ['a', 'b', 'c']) expect(limiter.take(k)).toBe(true);
    expect(limiter.take('a')).toBe(false); // a is now the most recent
    expect(limiter.take('d')).toBe(true); // evicts b
    expect(limiter.size).toBe(3);
    expect(limiter.take('a')).toBe(false);
    expect(limiter.take('c')).toBe(false);
    expect(limiter.take('b')).toBe(true); // forgotten, so a fresh bucket
    for (let i = 0; i < 10_000; i++) limiter.take(`spoofed-${i}`);
    expect(limiter.size).toBe(3);
  });
});
