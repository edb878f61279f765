// Shared pieces of the signaling tests: offers, raw KRPC queries, a swarm with introducers.
import type { KrpcMessage } from 'bittorrent-dht';
import { DhtNode } from '../src/dht-node.js';
import type { HostPort } from '@p2p-node/protos';
import { sendQuery } from '../src/raw-krpc.js';
import type { Identity } from '../src/identity.js';
import { type PunchOffer, sealSignal } from '../src/signal-codec.js';
import { SIGNAL_QUERY } from '../src/signal-protocol.js';
import { LOOPBACK, TEST_QUERY_TIMEOUT_MS } from './swarm.js';

export function offer(localPort: number, rttMs = 7): PunchOffer {
  return {
    publicEndpoints: [{ host: '127.0.0.1', port: localPort }],
    lanEndpoints: [{ host: '127.0.0.1', port: localPort }],
    nat: { mapping: 'port-preserving', publicIp: '127.0.0.1', portPreserving: true },
    localPort,
    rttMs,
  };
}

/** A DHT node on its own (signaling needs no routing table), on 127.0.0.1 unless told otherwise. */
export function standaloneNode(host = LOOPBACK): Promise<DhtNode> {
  return DhtNode.start({ host, port: 0, bootstrap: [], queryTimeoutMs: TEST_QUERY_TIMEOUT_MS });
}

export interface RawReply {
  r?: Record<string, unknown>;
  code?: number;
  text?: string;
  timedOut?: boolean;
}

/** One KRPC query from `from`'s socket; resolves with the answer, the KRPC error, or a timeout. */
export function rawQuery(from: DhtNode, to: HostPort, q: string, a: Record<string, unknown>, timeoutMs = 500): Promise<RawReply> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      sent.cancel();
      resolve({ timedOut: true });
    }, timeoutMs);
    const sent = sendQuery(from.krpc, to, q, a, (err, res: KrpcMessage | null) => {
      clearTimeout(timer);
      if (!err && res?.r) return resolve({ r: res.r });
      const e = res?.e;
      if (Array.isArray(e) && typeof e[0] === 'number') return resolve({ code: e[0], text: String(e[1]) });
      resolve({ timedOut: true });
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A registration by hand, token round included; resolves with the final reply. */
export async function registerRaw(from: DhtNode, introducer: HostPort, identity: Identity, issuedAtMs = Date.now()): Promise<RawReply> {
  const first = await rawQuery(from, introducer, SIGNAL_QUERY.register, { m: Buffer.from(sealSignal(identity, { kind: 'register', issuedAtMs })) });
  const tok = first.r?.tok;
  if (!Buffer.isBuffer(tok) || first.r?.exp !== undefined) return first;
  return rawQuery(from, introducer, SIGNAL_QUERY.register, { m: Buffer.from(sealSignal(identity, { kind: 'register', issuedAtMs: issuedAtMs + 1, token: tok })) });
}
