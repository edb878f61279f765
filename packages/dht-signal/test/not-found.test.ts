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
/** Ports of the stopped nodes still in the live nodes' routing tables. */
const deadPorts = new Set<number>();

beforeAll(async () => {
  const first = await DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: [], queryTimeoutMs: SLOW_TIMEOUT_MS });
  const rest = await Promise.all(
    Array.from({ length: 23 }, () => DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: [first.address()], queryTimeoutMs: SLOW_TIMEOUT_MS })),
  );
  const dead = rest.filter((_, i) => i % 3 === 0);
  for (const d of dead) deadPorts.add(d.address().port);
  await stopAll(dead);
  alive = [first, ...rest.filter((n) => !dead.includes(n))];
});

afterAll(async () => {
  await stopAll(alive);
});

/** Queries to dead nodes never end within a test: a walk that waits one out is a hang, caught by the test's deadline. */
const NEVER_MS = 600_000;
/** Whether bittorrent-dht has finished its bootstrap walk (its `ready`). */
const bootstrapped = (n: DhtNode): boolean => (n as unknown as { dht: { ready: boolean } }).dht.ready;

const activeTimers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('not-found with dead nodes in every routing table', () => {
  it('ends once the closest live nodes have answered, not when the last dead node times out', async () => {
    // Dead nodes here never time out: only a lookup that does not wait for them can end.
    const reader = await DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: [alive[0]!.address()], queryTimeoutMs: NEVER_MS });
    try {
      let fullWalkEnded = false;
      const key = generateIdentity().publicKey;
      // The plain walk waits for every queried node, dead ones too: it is still running below.
      reader.krpc.closest(targetOf(key), { q: 'get', a: { target: targetOf(key) } }, null, () => (fullWalkEnded = true));
      const err = await new RecordResolver(reader, { timeoutMs: 10_000 }).lookup(key).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RecordNotFoundError);
      expect(fullWalkEnded, 'the plain walk ended: no dead node was queried, the test shows nothing').toBe(false);
    } finally {
      await reader.stop();
    }
  }, 30_000);

  it('a fresh node, as a one-shot CLI lookup starts, joins and reaches not-found without waiting out dead nodes', async () => {
    // Dead nodes never time out here: waiting one out is a hang.
    let toDead = 0;
    const fresh = await DhtNode.start({
      host: LOOPBACK,
      port: 0,
      bootstrap: [alive[0]!.address()],
      queryTimeoutMs: NEVER_MS,
      onDatagramSent: (_host, port) => void (deadPorts.has(port) && toDead++),
    });
    try {
      // Which nodes a walk asks depends on the random key: look up fresh keys
      // (every one must end as not-found) until one walk has met a dead node,
      // so the test always shows the case it is about (about 1 walk in 10
      // met none in a row of runs).
      for (let i = 0; i < 8 && toDead === 0; i++) {
        await expect(new RecordResolver(fresh).lookup(generateIdentity().publicKey)).rejects.toBeInstanceOf(RecordNotFoundError);
      }
      expect(toDead, 'no dead node was queried in 8 lookups: the test shows nothing').toBeGreaterThan(0);
    } finally {
      await fresh.stop();
    }
  }, 30_000);

  it('waitForFullBootstrap holds start() until the bootstrap walk has ended', async () => {
    const full = await DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: [alive[0]!.address()], queryTimeoutMs: SLOW_TIMEOUT_MS, waitForFullBootstrap: true });
    const ready = bootstrapped(full);
    const known = full.tableSize();
    await full.stop();
    expect(ready).toBe(true);
    expect(known).toBeGreaterThan(1);
  });

  it('a publish whose node stops mid-walk fails with DhtStoppedError and leaves no timer or query running', async () => {
    let sentCount = 0;
    const warnings: Error[] = [];
    const timersBefore = activeTimers();
    const node = await DhtNode.start({
      host: LOOPBACK,
      port: 0,
      bootstrap: [alive[0]!.address()],
      queryTimeoutMs: SLOW_TIMEOUT_MS,
      onDatagramSent: () => sentCount++,
      onWarning: (e) => warnings.push(e),
    });
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      const publishing = new RecordPublisher(node, generateIdentity())
        .publish({ publicEndpoints: [], lanEndpoints: [], introducers: [] })
        .catch((e: unknown) => e);
      // Dead nodes keep this walk busy for a while: stop in the middle of it.
      await new Promise((r) => setTimeout(r, 30));
      const sentAtStop = sentCount;
      await node.stop();
      expect(await publishing).toBeInstanceOf(DhtStoppedError);
      // A walk that kept running would query on from its timers after the stop.
      await new Promise((r) => setTimeout(r, 500));
      expect(sentCount, 'datagrams were sent after stop()').toBe(sentAtStop);
      expect(activeTimers(), 'timers left running after stop()').toBeLessThanOrEqual(timersBefore);
      expect(uncaught).toEqual([]);
      expect(warnings).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
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
