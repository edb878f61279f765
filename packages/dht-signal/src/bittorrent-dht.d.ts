// Types for the untyped CommonJS/ESM dependencies, limited to what this
// package touches. Internal only: no public signature mentions them, so the
// emitted declarations never depend on this file.

declare module 'bittorrent-dht' {
  import type { EventEmitter } from 'node:events';

  export interface KrpcPeer {
    host: string;
    port: number;
    id?: Buffer;
    token?: Buffer | null;
  }

  /** rinfo as dgram reports it, or a contact from the routing table. */
  export interface KrpcRemote {
    address?: string;
    host?: string;
    port: number;
    id?: Buffer;
  }

  export interface KrpcMessage {
    t?: Buffer;
    y?: Buffer;
    q?: Buffer | string;
    a?: Record<string, unknown>;
    r?: Record<string, unknown>;
    e?: unknown;
  }

  export interface KrpcError extends Error {
    code?: number | string;
  }

  export type KrpcCallback = (err: KrpcError | null, res: KrpcMessage | null, peer: KrpcRemote) => void;

  export interface KBucketLike {
    /** k-bucket's satellite data; bittorrent-dht keeps `lastChange` there for its stale-table check. */
    metadata: { lastChange?: number };
    add(contact: KrpcPeer): void;
    toArray(): KrpcPeer[];
    count(): number;
    get(id: Buffer): KrpcPeer | null;
    remove(id: Buffer): void;
    // Assignable: DhtNode caps how many nodes an answer carries.
    closest: (id: Buffer, n?: number) => KrpcPeer[];
  }

  export interface KrpcSocketLike extends EventEmitter {
    inflight: number;
    timeout: number;
    /** Sends a query outside k-rpc's concurrency queue; returns the transaction id. */
    query(peer: KrpcPeer, message: { q: string; a: Record<string, unknown> }, cb: KrpcCallback): number;
    /** Ends a pending query now; its callback gets an error without a code. */
    cancel(tid: number, err?: Error): void;
  }

  export interface KRpc extends EventEmitter {
    id: Buffer;
    /** Set by destroy(), before the socket closes. */
    destroyed: boolean;
    k: number;
    nodes: KBucketLike;
    socket: KrpcSocketLike;
    bootstrap: KrpcPeer[];
    /** A new, empty routing table around `id`. */
    clear(): void;
    query(peer: KrpcPeer, message: { q: string; a?: Record<string, unknown> }, cb?: KrpcCallback): void;
    queryAll(
      peers: KrpcPeer[],
      message: { q: string; a?: Record<string, unknown> },
      visit: ((res: KrpcMessage, peer: KrpcRemote) => boolean | void) | null,
      cb: (err: KrpcError | null, hits: number) => void,
    ): void;
    closest(
      target: Buffer,
      message: { q: string; a?: Record<string, unknown> },
      visit: ((res: KrpcMessage, peer: KrpcRemote) => boolean | void) | null,
      cb: (err: Error | null, count: number) => void,
    ): void;
    response(peer: KrpcRemote, query: KrpcMessage, response: Record<string, unknown>, nodes?: KrpcPeer[] | null): void;
    error(peer: KrpcRemote, query: KrpcMessage, error: [number, string]): void;
  }

  export interface DhtOptions {
    bootstrap?: false | Array<{ host: string; port: number }>;
    nodeId?: Buffer;
    host?: string | false;
    timeout?: number;
    concurrency?: number;
    k?: number;
    verify?: (sig: Buffer, msg: Buffer, pubkey: Buffer) => boolean;
    socket?: unknown;
    maxValues?: number;
  }

  export interface MutablePut {
    k: Buffer;
    v: Buffer;
    seq: number;
    salt?: Buffer;
    sig?: Buffer;
    sign?: (msg: Buffer) => Buffer;
  }

  export default class DHT extends EventEmitter {
    constructor(opts?: DhtOptions);
    nodeId: Buffer;
    /** The routing table as of construction (k-rpc's `nodes`); bittorrent-dht's ping-all reads it. */
    nodes: KBucketLike;
    listening: boolean;
    destroyed: boolean;
    _rpc: KRpc;
    /** lru: BEP 44 items stored here, by target (hex); `length` is how many. */
    _values: { get(keyHex: string): unknown; set(keyHex: string, value: unknown): void; readonly length: number };
    /** record-cache: compact peers per info_hash (hex); `get` samples `n` of them at random, all when `n` is left out. */
    _peers: { get(infoHashHex: string, n?: number): Buffer[] };
    listen(port: number, host: string, cb?: () => void): void;
    address(): { address: string; port: number; family: string };
    destroy(cb?: () => void): void;
    addNode(node: { host: string; port: number; id?: Buffer }): void;
    put(opts: MutablePut, cb?: (err: Error | null, hash: Buffer, n: number) => void): Buffer;
    get(key: Buffer, opts: { salt?: Buffer; cache?: boolean }, cb: (err: Error | null, res: unknown) => void): void;
    toJSON(): { nodes: Array<{ host: string; port: number }> };
  }
}

declare module 'bencode' {
  const bencode: {
    encode(value: unknown): Buffer;
    decode(data: Uint8Array, encoding?: string): unknown;
  };
  export default bencode;
}
