import { formatHostPort, type HostPort } from '@p2p-node/protos';
import type { ConnectResult } from '@p2p-node/punch';
import type { SecureStream } from './secure-stream.js';

/** How a connection came about: what `dial()` reports and `listen()` hands over. */
export interface ConnectionInfo {
  remotePublicKey: Uint8Array;
  /** 'relayed': through a circuit relay, which carries only ciphertext (candidate: the relay). */
  path: 'direct' | 'lan' | 'relayed';
  /** host:port of the candidate that connected (the relay when relayed), and how it was predicted. */
  candidate: string;
  method: string;
  strategy: string;
  /**
   * Milliseconds per phase; total from dial() to the open stream. The lookup
   * and the profile run beside signaling: `lookupMs` and `profileMs` say when
   * each finished (lookup 0 when the dial never needed the record).
   * `signalMs` runs until the listener's answer, Noise handshake included (it
   * rides in signaling), and a wait for the record when the early flight found
   * no introducer; `openMs` is the keyed stream's start on the connected
   * socket (0 with zero round trip; the peer's proof follows). `punchMs`
   * runs from the answer to a connected socket, punched or relayed.
   */
  timings: { lookupMs: number; profileMs: number; signalMs: number; punchMs: number; openMs: number; totalMs: number };
  punch: { attempts: number; refused: number; rounds: number };
}

export type PeerStream = SecureStream & { info: ConnectionInfo };

export type ConnectionPath = Pick<ConnectionInfo, 'path' | 'candidate' | 'method' | 'strategy' | 'punch'>;

export function describe(r: ConnectResult): ConnectionPath {
  return {
    path: r.winner.method === 'lan' ? 'lan' : 'direct',
    candidate: `${r.winner.host}:${r.winner.port}`,
    method: r.winner.method,
    strategy: r.winner.method === 'birthday' ? 'birthday' : r.winner.method === 'reachable' || r.winner.method === 'port-mapped' ? 'connect' : 'punch',
    punch: { attempts: r.attempts, refused: r.refused, rounds: r.rounds },
  };
}

/** A circuit through the relay at `relay`. */
export function describeRelayed(relay: HostPort): ConnectionPath {
  return { path: 'relayed', candidate: formatHostPort(relay), method: 'relay', strategy: 'relay', punch: { attempts: 0, refused: 0, rounds: 0 } };
}

export function withInfo(stream: SecureStream, info: ConnectionInfo): PeerStream {
  Object.defineProperty(stream, 'info', { value: info, enumerable: true });
  return stream as PeerStream;
}
