// Attack tools for tests: a storer that keeps anything, and raw KRPC puts.
import DHT from 'bittorrent-dht';
import type { DhtNode } from '../src/dht-node.js';
import type { HostPort } from '@p2p-node/protos';
import { type Identity, sign } from '../src/identity.js';
import { mutableTarget, signatureData } from '../src/mutable-item.js';
import { encodePeerRecord, RECORD_SALT, type RecordFields } from '../src/record-codec.js';
import { LOOPBACK, TEST_QUERY_TIMEOUT_MS } from './swarm.js';

export interface RawItem {
  k: Uint8Array;
  v: Uint8Array;
  seq: number;
  sig: Uint8Array;
}

/**
 * A real bittorrent-dht node whose `verify` accepts every signature, with
 * its node id set to `nodeId` (e.g. the item's target, so lookups are sure
 * to reach it). It stores whatever is put to it and serves it back.
 */
export async function startMaliciousStorer(nodeId: Buffer, bootstrap: HostPort[]): Promise<{ address: HostPort; stop(): Promise<void> }> {
  const dht = new DHT({ bootstrap, nodeId, verify: () => true, timeout: TEST_QUERY_TIMEOUT_MS, host: false });
  dht.on('error', () => {});
  dht.on('warning', () => {});
  const ready = new Promise<void>((r) => dht.once('ready', () => r()));
  await new Promise<void>((r) => dht.listen(0, LOOPBACK, () => r()));
  await ready;
  return {
    address: { host: LOOPBACK, port: dht.address().port },
    stop: () => new Promise<void>((r) => dht.destroy(() => r())),
  };
}

/**
 * A real bittorrent-dht node without `verify`: it hands out write tokens
 * like any storer, then refuses every mutable put (KRPC error 400).
 */
export async function startRefusingStorer(bootstrap: HostPort[]): Promise<{ address: HostPort; stop(): Promise<void> }> {
  const dht = new DHT({ bootstrap, timeout: TEST_QUERY_TIMEOUT_MS, host: false });
  dht.on('error', () => {});
  dht.on('warning', () => {});
  const ready = new Promise<void>((r) => dht.once('ready', () => r()));
  await new Promise<void>((r) => dht.listen(0, LOOPBACK, () => r()));
  await ready;
  return {
    address: { host: LOOPBACK, port: dht.address().port },
    stop: () => new Promise<void>((r) => dht.destroy(() => r())),
  };
}

/** Node id at distance `delta` from the target, so several storers can sit next to it. */
export function idNear(target: Buffer, delta: number): Buffer {
  const id = Buffer.from(target);
  id[19] = id[19]! ^ delta;
  return id;
}

export function signedItem(signer: Identity, k: Uint8Array, v: Uint8Array, seq: number): RawItem {
  return { k, v, seq, sig: sign(signer, signatureData(RECORD_SALT, seq, v)) };
}

export function recordBytes(fields: Partial<RecordFields> & { publicKey: Uint8Array }): Uint8Array {
  const now = Math.floor(Date.now() / 1000);
  return encodePeerRecord({
    issuedAt: now,
    lifetime: 600,
    publicEndpoints: [{ host: '203.0.113.7', port: 4000 }],
    lanEndpoints: [],
    ipv6Endpoints: [],
    introducers: [],
    nat: { mapping: 'unknown' },
    ...fields,
  });
}

export function targetOf(publicKey: Uint8Array): Buffer {
  return mutableTarget(publicKey, RECORD_SALT);
}

/** Sends one BEP 44 put straight to one node: get a write token from it, then put. Resolves with the error code or 0. */
export async function putDirect(from: DhtNode, to: HostPort, item: RawItem): Promise<number> {
  const rpc = from.krpc;
  const target = targetOf(item.k);
  const token = await new Promise<Buffer>((resolve, reject) =>
    rpc.query({ host: to.host, port: to.port }, { q: 'get', a: { id: rpc.id, target } }, (err, res) => {
      const t = res?.r?.token;
      if (err || !Buffer.isBuffer(t)) return reject(err ?? new Error('no token'));
      resolve(t);
    }),
  );
  const a = { id: rpc.id, token, v: Buffer.from(item.v), k: Buffer.from(item.k), salt: Buffer.from(RECORD_SALT), seq: item.seq, sig: Buffer.from(item.sig) };
  return new Promise<number>((resolve) =>
    rpc.query({ host: to.host, port: to.port }, { q: 'put', a }, (err) => resolve(err ? Number(err.code ?? -1) : 0)),
  );
}
