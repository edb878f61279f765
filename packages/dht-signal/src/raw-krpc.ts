import type { KRpc, KrpcCallback, KrpcMessage, KrpcRemote } from 'bittorrent-dht';
import { MAX_ERROR_TEXT } from './signal-protocol.js';

/**
 * k-rpc queues queries beyond its concurrency limit (16) behind DHT lookups,
 * and k-rpc-socket's `query` returns a transaction id that `cancel` accepts.
 * Signaling goes to the socket directly: a retransmission must leave now,
 * and a superseded attempt must stop holding a slot.
 */
interface RawSocket {
  query(peer: { host: string; port: number }, message: { q: string; a: Record<string, unknown> }, cb: KrpcCallback): number;
  cancel(tid: number, err?: Error): void;
}

export interface SentQuery {
  cancel(): void;
}

export function sendQuery(rpc: KRpc, peer: { host: string; port: number }, q: string, a: Record<string, unknown>, cb: KrpcCallback): SentQuery {
  const socket = rpc.socket as unknown as RawSocket;
  let done = false;
  const tid = socket.query({ host: peer.host, port: peer.port }, { q, a: { id: rpc.id, ...a } }, (err, res, from) => {
    if (done) return;
    done = true;
    cb(err, res, from);
  });
  return {
    cancel() {
      if (done) return;
      done = true;
      socket.cancel(tid);
    },
  };
}

export function queryName(query: KrpcMessage): string | undefined {
  return Buffer.isBuffer(query.q) ? query.q.toString() : undefined;
}

export function remoteHost(peer: KrpcRemote): string | undefined {
  return peer.address ?? peer.host;
}

/** The KRPC error code and text of a failed query, or null when it did not come back as a KRPC error (timeout, cancel). */
export function krpcErrorOf(err: { code?: number | string; message: string } | null, res: KrpcMessage | null): { code: number; text: string } | null {
  if (!err || !res || !Array.isArray(res.e)) return null;
  const [code, text] = res.e as unknown[];
  if (typeof code !== 'number') return null;
  return { code, text: Buffer.isBuffer(text) ? text.toString('utf8', 0, MAX_ERROR_TEXT) : '' };
}
