import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import DHT from 'bittorrent-dht';
import { DhtNode } from '../src/dht-node.js';
import { DhtStoppedError, RecordPublishError, RecordExpiredError, RecordInvalidError, RecordNotFoundError, RecordTooLargeError } from '../src/errors.js';
import { generateIdentity, type Identity } from '../src/identity.js';
import { type RecordContent, RecordPublisher, RecordResolver } from '../src/records.js';
import { idNear, putDirect, recordBytes, signedItem, startMaliciousStorer, startRefusingStorer, targetOf } from './forge.js';
import { farthestFrom, LOOPBACK, startSwarm, stopAll, TEST_QUERY_TIMEOUT_MS } from './swarm.js';
import { verify } from '../src/identity.js';
import { RECORD_SALT } from '../src/record-codec.js';

const SWARM_SIZE = 32;
let swarm: DhtNode[];
const publishers: RecordPublisher[] = [];
const timings: Record<string, number[]> = {};

function timed<T>(label: string, p: Promise<T>): Promise<T> {
  const t0 = performance.now();
  const record = (): void => {
    (timings[label] ??= []).push(Math.round(performance.now() - t0));
  };
  return p.finally(record);
}

function content(port: number, extra: Partial<RecordContent> = {}): RecordContent {
  return {
    publicEndpoints: [{ host: '198.51.100.4', port }],
    lanEndpoints: [{ host: '192.168.1.20', port }],
    nat: { mapping: 'port-preserving', publicIp: '198.51.100.4', portPreserving: true },
    introducers: [{ host: '127.0.0.1', port: 6881 }],
    ...extra,
  };
}

function publisher(node: DhtNode, id: Identity, opts = {}): RecordPublisher {
  const p = new RecordPublisher(node, id, opts);
  publishers.push(p);
  return p;
}

beforeAll(async () => {
  swarm = await startSwarm(SWARM_SIZE);
});

afterAll(async () => {
  await Promise.all(publishers.map((p) => p.stop()));
  await stopAll(swarm);
  console.log('dht-signal timings (ms):', JSON.stringify(timings));
});

describe(`records in a ${SWARM_SIZE}-node DHT on 127.0.0.1`, () => {
  it('publishes a record and a node far from the publisher finds and verifies it', async () => {
    const id = generateIdentity();
    const home = swarm[5]!;
    const { seq, storedOn } = await timed('publish', publisher(home, id).publish(content(4001)));
    expect(storedOn).toBeGreaterThanOrEqual(8);
    expect(seq).toBeGreaterThan(Date.now() * 1000 - 60e6);

    const far = farthestFrom(home, swarm);
    const record = await timed('lookup', new RecordResolver(far).lookup(id.publicKey));
    expect(Buffer.from(record.publicKey).equals(Buffer.from(id.publicKey))).toBe(true);
    expect(record.seq).toBe(seq);
    expect(record.publicEndpoints).toEqual([{ host: '198.51.100.4', port: 4001 }]);
    expect(record.lanEndpoints).toEqual([{ host: '192.168.1.20', port: 4001 }]);
    expect(record.introducers).toEqual([{ host: '127.0.0.1', port: 6881 }]);
    expect(record.nat).toEqual({ mapping: 'port-preserving', publicIp: '198.51.100.4', portPreserving: true });
    expect(record.lifetime).toBe(3600);
    expect(Math.abs(record.issuedAt - Date.now() / 1000)).toBeLessThan(5);
    expect(record.storedOn).toBeGreaterThanOrEqual(1);
  });

  it('a republish with new content gets a higher seq, and lookups return the new content', async () => {
    const id = generateIdentity();
    const pub = publisher(swarm[7]!, id);
    const resolver = new RecordResolver(swarm[20]!);
    const first = await pub.publish(content(5001));
    expect((await resolver.lookup(id.publicKey)).publicEndpoints[0]!.port).toBe(5001);
    const second = await pub.publish(content(5002));
    expect(second.seq).toBeGreaterThan(first.seq);
    for (const node of [swarm[20]!, swarm[1]!, swarm[30]!]) {
      const record = await timed('lookup', new RecordResolver(node).lookup(id.publicKey));
      expect(record.seq).toBe(second.seq);
      expect(record.publicEndpoints[0]!.port).toBe(5002);
    }
  });

  it('republishes on its timer with a fresh seq each time', async () => {
    const id = generateIdentity();
    const pub = publisher(swarm[9]!, id, { republishIntervalMs: 150 });
    const seqs: number[] = [];
    pub.on('published', (r: { seq: number }) => seqs.push(r.seq));
    await pub.publish(content(6001));
    await new Promise((r) => setTimeout(r, 700));
    await pub.stop();
    expect(seqs.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]!).toBeGreaterThan(seqs[i - 1]!);
    const record = await new RecordResolver(swarm[25]!).lookup(id.publicKey);
    expect(record.seq).toBe(seqs.at(-1));
  });

  it('a new publisher for the same key (a restart) continues above the seq already in the DHT', async () => {
    const id = generateIdentity();
    // A seq far in the future, as left by a machine whose clock ran ahead.
    const futureSeq = Date.now() * 1000 + 3_600_000_000;
    const item = signedItem(id, id.publicKey, recordBytes({ publicKey: id.publicKey }), futureSeq);
    const codes = await Promise.all(swarm.slice(3).map((n) => putDirect(swarm[2]!, n.address(), item)));
    expect(codes.every((c) => c === 0)).toBe(true);
    const restarted = await publisher(swarm[4]!, id).publish(content(6101));
    expect(restarted.seq).toBeGreaterThan(futureSeq);
  });

  it('refuses to publish a record larger than BEP 44 allows, before sending anything', async () => {
    const id = generateIdentity();
    const many = (base: number) => Array.from({ length: 16 }, (_, i) => ({ host: `2001:db8::${base + i}`, port: 1000 + i }));
    const pub = publisher(swarm[6]!, id);
    const err = await pub.publish({ publicEndpoints: many(1), lanEndpoints: many(100), introducers: many(200) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecordTooLargeError);
    expect((err as RecordTooLargeError).encodedBytes).toBeGreaterThan(1000);
    expect(pub.seq).toBe(0);
    await expect(new RecordResolver(swarm[8]!, { timeoutMs: 3000 }).lookup(id.publicKey)).rejects.toBeInstanceOf(RecordNotFoundError);
    // One list of 17 is small enough in bytes but more than readers accept.
    await expect(pub.publish({ publicEndpoints: Array.from({ length: 17 }, (_, i) => ({ host: '10.0.0.1', port: 1 + i })), lanEndpoints: [], introducers: [] })).rejects.toMatchObject({ reason: 'field-bounds' });
  });

  it('a plain bittorrent-dht client (mainline BEP 44 get) reads and verifies a published record', async () => {
    const id = generateIdentity();
    const { seq } = await publisher(swarm[17]!, id).publish(content(6201));
    const client = new DHT({
      bootstrap: [swarm[18]!.address()],
      timeout: TEST_QUERY_TIMEOUT_MS,
      verify: (sig: Buffer, msg: Buffer, pk: Buffer) => verify(pk, msg, sig),
    });
    client.on('warning', () => {});
    try {
      await new Promise<void>((r) => client.once('ready', () => r()));
      const item = await new Promise<{ seq: number; k: Buffer } | null>((resolve, reject) =>
        client.get(targetOf(id.publicKey), { salt: Buffer.from(RECORD_SALT), cache: false }, (err, res) =>
          err ? reject(err) : resolve(res as { seq: number; k: Buffer } | null),
        ),
      );
      expect(item?.seq).toBe(seq);
      expect(item?.k.equals(Buffer.from(id.publicKey))).toBe(true);
    } finally {
      await new Promise<void>((r) => client.destroy(() => r()));
    }
  });

  it('publishing from a node that knows no one fails with no-nodes', async () => {
    const lonely = await DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: [], queryTimeoutMs: TEST_QUERY_TIMEOUT_MS });
    try {
      const err = await new RecordPublisher(lonely, generateIdentity()).publish(content(1)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RecordPublishError);
      expect(err).toMatchObject({ reason: 'no-nodes' });
    } finally {
      await lonely.stop();
    }
  });

  it('publishing where every storer refuses the put fails with all-refused', async () => {
    const first = await startRefusingStorer([]);
    const second = await startRefusingStorer([first.address]);
    const publisher = await DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: [first.address, second.address], queryTimeoutMs: TEST_QUERY_TIMEOUT_MS });
    try {
      const err = await new RecordPublisher(publisher, generateIdentity()).publish(content(1)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RecordPublishError);
      expect(err).toMatchObject({ reason: 'all-refused' });
      // Both gave a token (so they were storers) and both refused.
      expect((err as Error).message).toMatch(/none of 2 storers accepted seq \d+/);
    } finally {
      await publisher.stop();
      await Promise.all([first.stop(), second.stop()]);
    }
  });

  it('a put lost on the way to every storer is sent again, and the record is stored', async () => {
    const publisher = await DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: [swarm[0]!.address()], queryTimeoutMs: TEST_QUERY_TIMEOUT_MS });
    // Lose the first put to each storer, as a lossy link would: the query never leaves and times out.
    const rpc = publisher.krpc;
    const query = rpc.query.bind(rpc);
    const lost = new Set<string>();
    rpc.query = ((peer, message, cb) => {
      const key = `${peer.host}:${peer.port}`;
      if (message.q === 'put' && !lost.has(key)) {
        lost.add(key);
        setTimeout(() => cb?.(Object.assign(new Error('query timed out'), { code: 'ETIMEDOUT' }), null, peer as never), 20);
        return;
      }
      query(peer, message, cb);
    }) as typeof rpc.query;
    try {
      const id = generateIdentity();
      const res = await new RecordPublisher(publisher, id).publish(content(5));
      expect(lost.size).toBeGreaterThan(0);
      expect(res.storedOn).toBeGreaterThan(0);
      const found = await new RecordResolver(swarm[swarm.length - 1]!).lookup(id.publicKey);
      expect(found.seq).toBe(res.seq);
    } finally {
      await publisher.stop();
    }
  });

  it('a put stored but whose answer was lost is sent again under the next seq, which the storer accepts', async () => {
    const publisher = await DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: [swarm[0]!.address()], queryTimeoutMs: TEST_QUERY_TIMEOUT_MS });
    // The first put to each storer arrives and is stored; only its answer is lost, as a lossy link would.
    const rpc = publisher.krpc;
    const query = rpc.query.bind(rpc);
    const answerLost = new Set<string>();
    const seqsSent: number[] = [];
    rpc.query = ((peer, message, cb) => {
      const key = `${peer.host}:${peer.port}`;
      if (message.q !== 'put') return query(peer, message, cb);
      seqsSent.push(message.a!.seq as number);
      if (answerLost.has(key)) return query(peer, message, cb);
      answerLost.add(key);
      return query(peer, message, () => cb?.(Object.assign(new Error('query timed out'), { code: 'ETIMEDOUT' }), null, peer as never));
    }) as typeof rpc.query;
    try {
      const id = generateIdentity();
      const res = await new RecordPublisher(publisher, id).publish(content(6));
      // The same seq again would be refused (302) by every storer that holds it: the second round must carry a higher one.
      expect(answerLost.size).toBeGreaterThan(0);
      expect(res.storedOn).toBe(answerLost.size);
      expect(res.seq).toBe(Math.min(...seqsSent) + 1);
      const found = await new RecordResolver(swarm[swarm.length - 1]!).lookup(id.publicKey);
      expect(found.seq).toBe(res.seq);
    } finally {
      await publisher.stop();
    }
  });

  it('a lookup still running when its node stops fails with DhtStoppedError', async () => {
    const node = await DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: [swarm[0]!.address()], queryTimeoutMs: TEST_QUERY_TIMEOUT_MS });
    const pending = new RecordResolver(node).lookup(generateIdentity().publicKey).catch((e: unknown) => e);
    await node.stop();
    expect(await pending).toBeInstanceOf(DhtStoppedError);
    await expect(new RecordResolver(node).lookup(generateIdentity().publicKey)).rejects.toBeInstanceOf(DhtStoppedError);
  });

  it('an unknown key ends with not-found by itself, not at the lookup deadline', async () => {
    // The deadline is out of reach: a lookup that does not end by itself is a hang the test deadline catches.
    const err = await timed('lookup-unknown', new RecordResolver(swarm[11]!, { timeoutMs: 600_000 }).lookup(generateIdentity().publicKey)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecordNotFoundError);
  });
});

describe('forged and stale items, served by a malicious storer next to the target', () => {
  // Each case plants one item on a storer that accepts anything, then looks it up.
  async function plantAndLookup(victim: Identity, item: ReturnType<typeof signedItem>): Promise<unknown> {
    const storer = await startMaliciousStorer(targetOf(victim.publicKey), [swarm[0]!.address(), swarm[10]!.address()]);
    try {
      expect(await putDirect(swarm[12]!, storer.address, item)).toBe(0);
      return await new RecordResolver(swarm[13]!, { timeoutMs: 5000 }).lookup(victim.publicKey).catch((e: unknown) => e);
    } finally {
      await storer.stop();
    }
  }

  it('refuses a record signed by another key (bad-signature)', async () => {
    const victim = generateIdentity();
    const forger = generateIdentity();
    const err = await plantAndLookup(victim, signedItem(forger, victim.publicKey, recordBytes({ publicKey: victim.publicKey }), 1));
    expect(err).toBeInstanceOf(RecordInvalidError);
    expect(err).toMatchObject({ reason: 'bad-signature' });
  });

  it('refuses a record whose inner key differs from k (key-mismatch)', async () => {
    const signer = generateIdentity();
    const other = generateIdentity();
    const err = await plantAndLookup(signer, signedItem(signer, signer.publicKey, recordBytes({ publicKey: other.publicKey }), 1));
    expect(err).toBeInstanceOf(RecordInvalidError);
    expect(err).toMatchObject({ reason: 'key-mismatch' });
  });

  it('refuses an expired record (RecordExpiredError)', async () => {
    const id = generateIdentity();
    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    const err = await plantAndLookup(id, signedItem(id, id.publicKey, recordBytes({ publicKey: id.publicKey, issuedAt: hourAgo, lifetime: 60 }), 1));
    expect(err).toBeInstanceOf(RecordExpiredError);
    expect((err as RecordExpiredError).expiredAt).toBe(hourAgo + 60);
  });

  it('refuses garbage bytes in v, even correctly signed (malformed)', async () => {
    const id = generateIdentity();
    const err = await plantAndLookup(id, signedItem(id, id.publicKey, Buffer.alloc(40, 0xff), 1));
    expect(err).toBeInstanceOf(RecordInvalidError);
    expect(err).toMatchObject({ reason: 'malformed' });
  });

  it('refuses a record with more endpoints than readers accept (field-bounds)', async () => {
    const id = generateIdentity();
    const lan = Array.from({ length: 20 }, (_, i) => ({ host: '10.1.1.1', port: 100 + i }));
    const err = await plantAndLookup(id, signedItem(id, id.publicKey, recordBytes({ publicKey: id.publicKey, lanEndpoints: lan }), 1));
    expect(err).toMatchObject({ reason: 'field-bounds' });
    // One prefix: the resolver re-wraps the codec's error without repeating "record refused (...)".
    expect((err as Error).message.match(/record refused/g)).toHaveLength(1);
  });

  it('prefers the higher seq when storers disagree, and refuses a lower seq replayed later (stale-seq)', async () => {
    const id = generateIdentity();
    const target = targetOf(id.publicKey);
    const bootstrap = [swarm[0]!.address(), swarm[10]!.address()];
    const fresh = await startMaliciousStorer(idNear(target, 1), bootstrap);
    const replayer = await startMaliciousStorer(idNear(target, 2), bootstrap);
    try {
      const old = signedItem(id, id.publicKey, recordBytes({ publicKey: id.publicKey, publicEndpoints: [{ host: '198.51.100.1', port: 1 }] }), 1000);
      const newer = signedItem(id, id.publicKey, recordBytes({ publicKey: id.publicKey, publicEndpoints: [{ host: '198.51.100.2', port: 2 }] }), 2000);
      expect(await putDirect(swarm[12]!, replayer.address, old)).toBe(0);
      expect(await putDirect(swarm[12]!, fresh.address, newer)).toBe(0);

      const memory = new Map<string, number>();
      // A long grace: this lookup must hear both storers, not settle on whichever answered first
      // plus 150 ms (a CI run on a busy machine once returned the replayer's seq 1000 here).
      const resolver = new RecordResolver(swarm[14]!, { timeoutMs: 5000, graceMs: 3000, seenSeqs: memory });
      const seen = await resolver.lookup(id.publicKey);
      expect(seen.seq).toBe(2000);
      expect(seen.publicEndpoints[0]!.port).toBe(2);

      // The storer with the newer record leaves; only the replayed old one is left.
      await fresh.stop();
      const err = await resolver.lookup(id.publicKey).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RecordInvalidError);
      expect(err).toMatchObject({ reason: 'stale-seq' });

      // The memory is the caller's map: another resolver (a later run) given it refuses too.
      expect(memory.get(Buffer.from(id.publicKey).toString('hex'))).toBe(2000);
      await expect(new RecordResolver(swarm[15]!, { timeoutMs: 5000, seenSeqs: memory }).lookup(id.publicKey)).rejects.toMatchObject({ reason: 'stale-seq' });

      // A resolver without that memory takes the old record: the refusal above came from the memory.
      const naive = await new RecordResolver(swarm[14]!, { timeoutMs: 5000 }).lookup(id.publicKey);
      expect(naive.seq).toBe(1000);
    } finally {
      await fresh.stop();
      await replayer.stop();
    }
  });

  it('returns the valid record when a forgery is also served', async () => {
    const id = generateIdentity();
    const forger = generateIdentity();
    const storer = await startMaliciousStorer(targetOf(id.publicKey), [swarm[0]!.address()]);
    try {
      const { seq } = await publisher(swarm[15]!, id).publish(content(7001));
      // A forged item with a much higher seq, which only the malicious storer keeps.
      expect(await putDirect(swarm[12]!, storer.address, signedItem(forger, id.publicKey, recordBytes({ publicKey: id.publicKey }), seq * 2))).toBe(0);
      const record = await new RecordResolver(swarm[16]!).lookup(id.publicKey);
      expect(record.seq).toBe(seq);
      expect(record.publicEndpoints[0]!.port).toBe(7001);
    } finally {
      await storer.stop();
    }
  });
});

describe('churn', () => {
  // How much sooner our lookup settles than bittorrent-dht's full walk after churn is a speed figure:
  // `node bench/dht-lookup.mjs --churn 0.3` measures it side by side; this test only prints both.
  it('after 30% of the nodes stop, a republished record is still found, and bittorrent-dht\'s own walk finds it too', async () => {
    const id = generateIdentity();
    const home = swarm[1]!;
    const reader = farthestFrom(home, swarm);
    const pub = publisher(home, id);
    await pub.publish(content(8001));
    const victims = swarm.filter((n) => n !== home && n !== reader && n !== swarm[0]).slice(0, Math.ceil(SWARM_SIZE * 0.3));
    await stopAll(victims);
    swarm = swarm.filter((n) => !victims.includes(n));

    const { seq, storedOn } = await timed('republish-after-churn', pub.publish(content(8002)));
    expect(storedOn).toBeGreaterThanOrEqual(5);
    const record = await timed('lookup-after-churn', new RecordResolver(reader).lookup(id.publicKey));
    expect(record.seq).toBe(seq);
    expect(record.publicEndpoints[0]!.port).toBe(8002);

    // bittorrent-dht's own walk (it waits for every dead node's timeout) reaches a storer of the same seq.
    const walkStart = performance.now();
    const seqs: number[] = [];
    await new Promise<void>((resolve) =>
      reader.krpc.closest(targetOf(id.publicKey), { q: 'get', a: { target: targetOf(id.publicKey) } }, (res) => void (typeof res.r?.seq === 'number' && seqs.push(res.r.seq)), () => resolve()),
    );
    timings['full-walk-after-churn'] = [Math.round(performance.now() - walkStart)];
    expect(seqs).toContain(seq);
  });
});
