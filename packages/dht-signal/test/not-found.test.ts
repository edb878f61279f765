import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DhtNode } from '../src/dht-node.js';
import { RecordNotFoundError } from '../src/errors.js';
import { generateIdentity } from '../src/identity.js';
import { RecordResolver } from '../src/records.js';
import { targetOf } from './forge.js';
import { LOOPBACK, stopAll } from './swarm.js';

// bittorrent-dht's default query timeout: the case where dead nodes hurt most.
const SLOW_TIMEOUT_MS = 2000;
let alive: DhtNode[] = [];

beforeAll(async () => {
  const first = await DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: [], queryTimeoutMs: SLOW_TIMEOUT_MS });
  const rest = await Promise.all(
    Array.from({ length: 23 }, () => DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: [first.address()], queryTimeoutMs: SLOW_TIMEOUT_MS })),
  );
  const dead = rest.filter((_, i) => i % 3 === 0);
  await stopAll(dead);
  alive = [first, ...rest.filter((n) => !dead.includes(n))];
});

afterAll(async () => {
  await stopAll(alive);
});

describe('not-found with dead nodes in every routing table', () => {
  it('ends once the closest live nodes have answered, not when the last dead node times out', async () => {
    const reader = alive.at(-1)!;
    const key = generateIdentity().publicKey;

    const walkStart = performance.now();
    await new Promise<void>((resolve) => reader.krpc.closest(targetOf(key), { q: 'get', a: { target: targetOf(key) } }, null, () => resolve()));
    const fullWalkMs = performance.now() - walkStart;

    const t0 = performance.now();
    const err = await new RecordResolver(reader, { timeoutMs: 10_000 }).lookup(generateIdentity().publicKey).catch((e: unknown) => e);
    const ms = performance.now() - t0;
    console.log(`not-found with 8 of 24 nodes dead, 2 s query timeout: ${Math.round(ms)} ms (full walk: ${Math.round(fullWalkMs)} ms)`);
    expect(err).toBeInstanceOf(RecordNotFoundError);
    expect(fullWalkMs).toBeGreaterThanOrEqual(SLOW_TIMEOUT_MS);
    expect(ms).toBeLessThan(SLOW_TIMEOUT_MS);
  });
});
