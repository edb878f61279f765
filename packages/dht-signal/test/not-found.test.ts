import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DhtNode } from '../src/dht-node.js';
import { DhtStoppedError, RecordNotFoundError } from '../src/errors.js';
import { generateIdentity } from '../src/identity.js';
import { RecordPublisher, RecordResolver } from '../src/records.js';
import { targetOf } from './forge.js';
import { walkGet } from '../src/get-walk.js';
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

  it('a fresh node, as a one-shot CLI lookup starts, joins and reaches not-found without waiting out dead nodes', async () => {
    const t0 = performance.now();
    const fresh = await DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: [alive[0]!.address()], queryTimeoutMs: SLOW_TIMEOUT_MS });
    const startedMs = performance.now() - t0;
    try {
      await expect(new RecordResolver(fresh).lookup(generateIdentity().publicKey)).rejects.toBeInstanceOf(RecordNotFoundError);
    } finally {
      await fresh.stop();
    }
    const totalMs = performance.now() - t0;
    console.log(`fresh node: started in ${Math.round(startedMs)} ms, not-found after ${Math.round(totalMs)} ms`);
    expect(totalMs).toBeLessThan(SLOW_TIMEOUT_MS);
  });

  it('waitForFullBootstrap holds start() until the bootstrap walk has ended', async () => {
    const t0 = performance.now();
    const full = await DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: [alive[0]!.address()], queryTimeoutMs: SLOW_TIMEOUT_MS, waitForFullBootstrap: true });
    const ms = performance.now() - t0;
    const known = full.tableSize();
    await full.stop();
    // Dead nodes sit in the tables the walk reads, so the full walk waits out their timeouts.
    expect(ms).toBeGreaterThanOrEqual(SLOW_TIMEOUT_MS);
    expect(known).toBeGreaterThan(1);
  });

  it('a publish whose node stops mid-walk fails with DhtStoppedError and leaves no timer or query running', async () => {
    const node = await DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: [alive[0]!.address()], queryTimeoutMs: SLOW_TIMEOUT_MS });
    const publishing = new RecordPublisher(node, generateIdentity())
      .publish({ publicEndpoints: [], lanEndpoints: [], introducers: [] })
      .catch((e: unknown) => e);
    // Dead nodes keep this walk busy for a while: stop in the middle of it.
    await new Promise((r) => setTimeout(r, 30));
    await node.stop();
    expect(await publishing).toBeInstanceOf(DhtStoppedError);
    // A walk that kept running would now send on a closed socket from its timer and throw.
    await new Promise((r) => setTimeout(r, 500));
  });

  it('a bare walk whose DHT node is destroyed under it ends instead of sending on the closed socket', async () => {
    const node = await DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: [alive[0]!.address()], queryTimeoutMs: SLOW_TIMEOUT_MS });
    const walk = walkGet(node.krpc, targetOf(generateIdentity().publicKey), () => {});
    await new Promise((r) => setTimeout(r, 30));
    await node.stop();
    // Nobody calls walk.stop(): the walk must still end, without a send on the closed socket (that throws).
    const ended = await Promise.race([walk.finished.then(() => 'ended'), new Promise((r) => setTimeout(() => r('still running'), 1000))]);
    expect(ended).toBe('ended');
  });
});
