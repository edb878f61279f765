// BEP 43 (read-only queries) and BEP 42 (ids from the external IP) on a real
// UDP DHT on 127.0.0.1: what other nodes' routing tables end up holding.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DhtNode } from '../src/dht-node.js';
import { generateIdentity } from '../src/identity.js';
import { isNodeIdValidForIp } from '../src/node-id.js';
import { RecordNotFoundError } from '../src/errors.js';
import { type RecordContent, RecordPublisher, RecordResolver } from '../src/records.js';
import { createSocket } from 'node:dgram';
import bencode from 'bencode';
import { OBSERVED_ADDRESS_QUERY, isKnownNonSpeaker } from '../src/observed-address.js';
import { rawQuery } from './signal-fixtures.js';
import { LOOPBACK, TEST_QUERY_TIMEOUT_MS, startSwarm, stopAll } from './swarm.js';

const SWARM_SIZE = 20;
const ONE_SHOTS = 20;
let swarm: DhtNode[] = [];
/** Per swarm node, the ports that sent it a query: proof the one-shot nodes did talk to it. */
const queriedFrom = new Map<DhtNode, Set<number>>();

const tablePorts = (node: DhtNode): number[] => node.krpc.nodes.toArray().map((c) => c.port);

/** One-shot nodes, each joins, looks a key up (absent) and stops; returns their ports. */
async function oneShotLookups(readOnly: boolean): Promise<number[]> {
  const seeds = swarm.slice(0, 3).map((n) => n.address());
  return Promise.all(
    Array.from({ length: ONE_SHOTS }, async () => {
      const node = await DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: seeds, queryTimeoutMs: TEST_QUERY_TIMEOUT_MS, waitForFullBootstrap: true, readOnly });
      const port = node.address().port;
      try {
        await expect(new RecordResolver(node, { timeoutMs: 5000 }).lookup(generateIdentity().publicKey)).rejects.toBeInstanceOf(RecordNotFoundError);
      } finally {
        await node.stop();
      }
      return port;
    }),
  );
}

beforeAll(async () => {
  swarm = await startSwarm(SWARM_SIZE);
  for (const node of swarm) {
    const ports = new Set<number>();
    queriedFrom.set(node, ports);
    node.krpc.on('query', (_q: unknown, peer: { port: number }) => ports.add(peer.port));
  }
}, 60_000);

afterAll(async () => {
  await stopAll(swarm);
});

describe(`read-only one-shot nodes (BEP 43) against a ${SWARM_SIZE}-node DHT`, () => {
  it(`after ${ONE_SHOTS} read-only lookups no routing table holds a lookup's port, though every lookup queried the DHT`, async () => {
    const ports = await oneShotLookups(true);
    const queried = new Set(swarm.flatMap((n) => [...queriedFrom.get(n)!]));
    for (const port of ports) expect(queried.has(port), `lookup port ${port} queried some node`).toBe(true);
    const held = swarm.flatMap((n) => tablePorts(n).filter((p) => ports.includes(p)));
    expect(held).toEqual([]);
  });

  it(`the same ${ONE_SHOTS} lookups without the flag do end up in tables (so the check above can fail)`, async () => {
    const ports = await oneShotLookups(false);
    const held = new Set(swarm.flatMap((n) => tablePorts(n).filter((p) => ports.includes(p))));
    expect(held.size).toBeGreaterThan(ONE_SHOTS / 2);
  });

  it('a read-only node sends ro=1 in its queries; a node honours it per query', async () => {
    const target = swarm[4]!;
    const readOnly = await DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: [], queryTimeoutMs: TEST_QUERY_TIMEOUT_MS, readOnly: true });
    const plain = await DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: [], queryTimeoutMs: TEST_QUERY_TIMEOUT_MS });
    try {
      const flags: unknown[] = [];
      const onQuery = (q: { ro?: unknown }, peer: { port: number }) => {
        if (peer.port === readOnly.address().port || peer.port === plain.address().port) flags.push(q.ro);
      };
      target.krpc.on('query', onQuery);
      await rawQuery(readOnly, target.address(), 'ping', {});
      await rawQuery(plain, target.address(), 'ping', {});
      target.krpc.off('query', onQuery);
      expect(flags).toEqual([1, undefined]);
      expect(tablePorts(target)).not.toContain(readOnly.address().port);
      expect(tablePorts(target)).toContain(plain.address().port);
      // The read-only node still gets its answers: it can look things up.
      expect(readOnly.tableSize()).toBe(1);
    } finally {
      await Promise.all([readOnly.stop(), plain.stop()]);
    }
  });
});

describe('ids from the external IP (BEP 42)', () => {
  const content = (port: number): RecordContent => ({
    publicEndpoints: [{ host: '198.51.100.4', port }],
    lanEndpoints: [],
    nat: { mapping: 'none', publicIp: '198.51.100.4' },
    introducers: [],
  });

  it('starts with an id derived from a known external IP, and keeps a given id that is valid for it', async () => {
    const derived = await DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: [], externalIp: '203.0.113.9' });
    const kept = await DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: [], externalIp: '203.0.113.9', nodeId: derived.nodeId() });
    const replaced = await DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: [], externalIp: '203.0.113.9', nodeId: new Uint8Array(20) });
    const lan = await DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: [], externalIp: '10.0.0.2', nodeId: new Uint8Array(20) });
    try {
      expect(isNodeIdValidForIp(derived.nodeId(), '203.0.113.9')).toBe(true);
      expect(Buffer.from(kept.nodeId()).equals(Buffer.from(derived.nodeId()))).toBe(true);
      expect(isNodeIdValidForIp(replaced.nodeId(), '203.0.113.9')).toBe(true);
      expect(Buffer.from(replaced.nodeId()).equals(Buffer.alloc(20))).toBe(false);
      // A LAN address is exempt: the given id stays.
      expect(Buffer.from(lan.nodeId()).equals(Buffer.alloc(20))).toBe(true);
    } finally {
      await Promise.all([derived, kept, replaced, lan].map((n) => n.stop()));
    }
  });

  it('adopting an external IP gives a valid id, keeps the routing table, and the node still finds records', async () => {
    const id = generateIdentity();
    const publisher = new RecordPublisher(swarm[2]!, id);
    const node = await DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: swarm.slice(0, 3).map((n) => n.address()), queryTimeoutMs: TEST_QUERY_TIMEOUT_MS, waitForFullBootstrap: true });
    try {
      await publisher.publish(content(4100));
      const before = node.tableSize();
      const oldId = Buffer.from(node.nodeId());
      expect(node.adoptExternalIp('203.0.113.77')).toBe(true);
      expect(isNodeIdValidForIp(node.nodeId(), '203.0.113.77')).toBe(true);
      expect(Buffer.from(node.nodeId()).equals(oldId)).toBe(false);
      // Buckets split by distance to the new id may hold fewer of the same contacts, never others.
      expect(node.tableSize()).toBeGreaterThan(0);
      expect(node.tableSize()).toBeLessThanOrEqual(before);
      // Already valid: nothing changes.
      expect(node.adoptExternalIp('203.0.113.77')).toBe(false);
      const record = await new RecordResolver(node).lookup(id.publicKey);
      expect(record.publicEndpoints[0]!.port).toBe(4100);
      // Others now learn the new id from its queries.
      await rawQuery(node, swarm[7]!.address(), 'ping', {});
      expect(swarm[7]!.krpc.nodes.get(Buffer.from(node.nodeId()))).not.toBeNull();
    } finally {
      await publisher.stop();
      await node.stop();
    }
  });
});

describe('nodes that do not speak the observed-address extension', () => {
  it('one that answers it with KRPC error 203 (as libtorrent does) is asked once, then never again', async () => {
    // A stand-in for libtorrent's answer to a query name it does not know: error 203 at once.
    const mainline = createSocket('udp4');
    await new Promise<void>((resolve) => mainline.bind(0, LOOPBACK, resolve));
    let asked = 0;
    mainline.on('message', (buf, from) => {
      const msg = bencode.decode(buf) as { t?: Buffer; y?: Buffer; q?: Buffer };
      if (msg.y?.toString() !== 'q') return;
      if (msg.q?.toString() === OBSERVED_ADDRESS_QUERY) asked++;
      mainline.send(bencode.encode({ t: msg.t, y: 'e', e: [203, 'unknown message'] }), from.port, from.address);
    });
    const mainlinePeer = { host: LOOPBACK, port: mainline.address().port };
    const node = await DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: [], queryTimeoutMs: TEST_QUERY_TIMEOUT_MS });
    try {
      // With one speaker only it cannot settle before every answer is in: the 203 is certainly seen.
      await expect(node.observedAddress({ peers: [mainlinePeer, swarm[0]!.address()] })).rejects.toMatchObject({ reason: 'no-agreement' });
      expect(asked).toBe(1);
      const peers = [mainlinePeer, swarm[0]!.address(), swarm[1]!.address()];
      expect(isKnownNonSpeaker(node.krpc, mainlinePeer)).toBe(true);
      expect(isKnownNonSpeaker(node.krpc, swarm[0]!.address())).toBe(false);
      expect(await node.observedAddress({ peers })).toEqual(node.address());
      expect(await node.observedAddress({ peers })).toEqual(node.address());
      expect(asked).toBe(1);
    } finally {
      await node.stop();
      mainline.close();
    }
  });
});
