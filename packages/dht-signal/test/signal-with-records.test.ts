// The dial path's first two steps together, as packages/node runs them: a
// listener registers with introducers and publishes them in its record; a
// dialer that knows only the public key looks the record up and signals
// through the introducers it lists. A 20-node DHT on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DhtNode } from '../src/dht-node.js';
import { generateIdentity } from '../src/identity.js';
import { serveIntroducer } from '../src/introducer.js';
import { RecordPublisher } from '../src/record-publisher.js';
import { RecordResolver } from '../src/record-resolver.js';
import { requestPunch } from '../src/signal-dialer.js';
import { SignalListener } from '../src/signal-listener.js';
import { offer } from './signal-fixtures.js';
import { startSwarm, stopAll } from './swarm.js';

let swarm: DhtNode[];

beforeAll(async () => {
  swarm = await startSwarm(20);
});

afterAll(async () => {
  await stopAll(swarm);
});

describe('record lookup, then signaling through the introducers it lists', () => {
  it('reaches the listener knowing only its public key, and again after the first introducer goes away', async () => {
    // The first three nodes act as the bootstrap nodes, which serve as introducers.
    const introNodes = swarm.slice(0, 3);
    for (const n of introNodes) serveIntroducer(n);
    const listenerNode = swarm[10]!;
    const dialerNode = swarm[19]!;
    const listenerId = generateIdentity();
    const listener = await SignalListener.start(listenerNode, { identity: listenerId, introducers: introNodes.map((n) => n.address()) }, (req) =>
      offer(41_000, req.introducerRttMs ?? 0),
    );
    const publisher = new RecordPublisher(listenerNode, listenerId);
    try {
      await publisher.publish({ publicEndpoints: [{ host: '127.0.0.1', port: 41_000 }], lanEndpoints: [], introducers: listener.accepted() });

      const t0 = performance.now();
      const record = await new RecordResolver(dialerNode).lookup(listenerId.publicKey);
      const lookupMs = performance.now() - t0;
      expect(record.introducers).toEqual(introNodes.map((n) => n.address()));
      const result = await requestPunch(dialerNode, generateIdentity(), { target: record.publicKey, introducers: record.introducers, offer: offer(51_000) });
      const signalMs = performance.now() - t0 - lookupMs;
      expect(result.answer.offer.localPort).toBe(41_000);
      expect(result.introducer).toEqual(introNodes[0]!.address());
      console.log(`lookup ${lookupMs.toFixed(1)} ms, signaling ${signalMs.toFixed(1)} ms (rtt ${result.rttMs.toFixed(1)} ms) on loopback`);

      // The first introducer dies; the record still lists it. The dial goes through the second.
      await introNodes[0]!.stop();
      const again = await requestPunch(dialerNode, generateIdentity(), { target: record.publicKey, introducers: record.introducers, offer: offer(51_001), retryMs: 100 });
      expect(again.introducer).toEqual(introNodes[1]!.address());
    } finally {
      await publisher.stop();
      listener.stop();
    }
  });
});
