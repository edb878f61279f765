import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import DHT, { type KRpc, type KrpcMessage, type KrpcRemote } from 'bittorrent-dht';
import { queryName } from './raw-krpc.js';
import { DhtBindError, DhtStoppedError } from './errors.js';
import type { HostPort } from '@p2p-node/protos';
import { verify } from './identity.js';
import { limitNodesPerAnswer, limitPeersPerAnswer } from './answer-limits.js';
import { KrpcGuardSocket } from './krpc-guard.js';
import { type ObservedAddressOptions, queryObservedAddress, serveObservedAddress } from './observed-address.js';
import { honourReadOnlyQueries, markQueriesReadOnly } from './read-only.js';
import { isExemptFromNodeIdCheck, isNodeIdValidForIp, nodeIdForIp } from './node-id.js';


export interface DhtNodeOptions {
  /** IPv4 address to bind (bittorrent-dht's KRPC is IPv4 only). */
  host: string;
  /** UDP port; 0 picks a free one. */
  port: number;
  /** The only nodes contacted to join; empty means start alone. Never defaults to public routers. */
  bootstrap: HostPort[];
  /** Per-query timeout; every unresponsive node costs this much (bittorrent-dht's default is 2000 ms). */
  queryTimeoutMs?: number;
  /**
   * Fixed 20-byte node id (a long-lived node's, kept across restarts). When
   * `externalIp` is given too and the id is not valid for it (BEP 42), a new
   * id for that address replaces it: see nodeId().
   */
  nodeId?: Uint8Array;
  /** This node's public IPv4 address, when known before start: the id is derived from it (BEP 42). */
  externalIp?: string;
  /**
   * BEP 43: mark every query read-only, so that other nodes do not add this
   * one to their routing tables. For nodes that will not stay (a lookup, a
   * dial): once gone, a table entry would be a dead contact others wait on.
   */
  readOnly?: boolean;
  /** Called for whatever bittorrent-dht or the guard found odd (malformed datagrams, socket warnings). */
  onWarning?: (err: Error) => void;
  /**
   * Resolve start() only after the whole bootstrap walk (a full routing
   * table). By default start() resolves as soon as one node has answered:
   * the walk goes on in the background, and a walk that meets dead nodes
   * would otherwise hold start() for about two query timeouts.
   */
  waitForFullBootstrap?: boolean;
  /** Called for every datagram sent, with its destination: lets tests prove where packets go. */
  onDatagramSent?: (host: string, port: number) => void;
  /** Called for every well-formed query received, with its sender and name: lets tests prove who asked. */
  onQuery?: (from: HostPort, name: string) => void;
}

const DEFAULT_QUERY_TIMEOUT_MS = 2000;
/**
 * The socket's receive buffer. The default (212,992 bytes on Linux) holds
 * about a hundred ~1 KB datagrams: a crowd of dialers joining at once (200
 * from one carrier NAT, each bootstrapping and signaling) overflowed it on
 * introducers and listeners, and the lost forwards ended dials as
 * "unreachable". The kernel caps this at net.core.rmem_max without error.
 */
const RECV_BUFFER_BYTES = 2 * 1024 * 1024;

/**
 * Binds through bittorrent-dht, failing on any bind error. k-rpc-socket
 * re-emits only EACCES and EADDRINUSE as errors and turns the rest (such as
 * EADDRNOTAVAIL, a --host this machine does not have) into warnings, which
 * left start() waiting forever; so the real socket's error is watched too.
 */
function bindSocket(udp: Socket, dht: DHT, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      udp.off('error', onError);
      dht.off('error', onError);
      dht.off('listening', onListening);
      dht.destroy();
      reject(new DhtBindError(host, port, err.code ?? 'unknown', err.message));
    };
    const onListening = (): void => {
      udp.off('error', onError);
      dht.off('error', onError);
      resolve();
    };
    udp.once('error', onError);
    dht.once('error', onError);
    dht.once('listening', onListening);
    dht.listen(port, host);
  });
}

/** The id to start with: the given one unless it is invalid for a known external address, then one derived from it. */
function startingNodeId(given: Uint8Array | undefined, externalIp: string | undefined): Uint8Array | undefined {
  if (externalIp === undefined || isExemptFromNodeIdCheck(externalIp)) return given;
  if (given && isNodeIdValidForIp(given, externalIp)) return given;
  return nodeIdForIp(externalIp);
}

/** A mainline-compatible DHT node (bittorrent-dht) on one UDP socket, with our KRPC extensions. */
export class DhtNode {
  private readonly stopController = new AbortController();
  private warnings = 0;

  private constructor(
    private readonly dht: DHT,
    private readonly guard: KrpcGuardSocket,
    readonly queryTimeoutMs: number,
  ) {}

  static async start(opts: DhtNodeOptions): Promise<DhtNode> {
    if (isIP(opts.host) !== 4) throw new Error(`DHT host must be an IPv4 address (bittorrent-dht speaks IPv4 only), got "${opts.host}"`);
    if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error(`DHT port must be 0-65535, got ${opts.port}`);
    if (!Array.isArray(opts.bootstrap)) throw new Error('bootstrap must be a list of host:port (possibly empty), never left out');
    for (const b of opts.bootstrap) {
      if (isIP(b.host) !== 4 || !Number.isInteger(b.port) || b.port < 1 || b.port > 65535) {
        throw new Error(`bootstrap node ${b.host}:${b.port} is not an IPv4 address and port`);
      }
    }
    if (opts.nodeId !== undefined && opts.nodeId.length !== 20) throw new Error('a DHT node id is 20 bytes');
    if (opts.externalIp !== undefined && isIP(opts.externalIp) !== 4) throw new Error(`externalIp must be an IPv4 address, got "${opts.externalIp}"`);
    const nodeId = startingNodeId(opts.nodeId, opts.externalIp);
    const queryTimeoutMs = opts.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;

    let node: DhtNode | undefined;
    const warn = (err: Error): void => {
      if (node) node.warnings++;
      opts.onWarning?.(err);
    };
    const udp = createSocket('udp4');
    const guard = new KrpcGuardSocket(udp, (reason) => warn(new Error(reason)), opts.onDatagramSent);
    const dht = new DHT({
      // bittorrent-dht (k-rpc) falls back to public routers when this is
      // undefined; `false` means "no one", a list means exactly those nodes.
      bootstrap: opts.bootstrap.length > 0 ? opts.bootstrap.map((b) => ({ host: b.host, port: b.port })) : false,
      socket: guard,
      timeout: queryTimeoutMs,
      // Not announcing a host keeps bittorrent-dht from storing itself as a peer.
      host: false,
      verify: (sig, msg, publicKey) => verify(publicKey, msg, sig),
      ...(nodeId ? { nodeId: Buffer.from(nodeId) } : {}),
    });
    node = new DhtNode(dht, guard, queryTimeoutMs);
    dht.on('warning', (err: Error) => warn(err));
    // Before the first datagram can arrive (the socket binds below).
    limitNodesPerAnswer(dht);
    limitPeersPerAnswer(dht);
    serveObservedAddress(dht._rpc);
    honourReadOnlyQueries(dht._rpc);
    const onQuery = opts.onQuery;
    if (onQuery) dht._rpc.on('query', (q: KrpcMessage, peer: KrpcRemote) => onQuery({ host: peer.address ?? peer.host ?? '', port: peer.port }, queryName(q) ?? ''));
    if (opts.readOnly) markQueriesReadOnly(dht._rpc);

    const joined = new Promise<void>((resolve) => {
      dht.once('ready', () => resolve());
      if (!opts.waitForFullBootstrap) dht.once('node', () => resolve());
    });
    await bindSocket(udp, dht, opts.host, opts.port);
    try {
      udp.setRecvBufferSize(RECV_BUFFER_BYTES);
    } catch (err) {
      warn(err as Error);
    }
    // After binding, socket errors are per-datagram trouble, not fatal.
    dht.on('error', (err: Error) => warn(err));
    await joined;
    return node;
  }

  address(): HostPort {
    const a = this.dht.address();
    return { host: a.address, port: a.port };
  }

  /** 20-byte Kademlia node id. */
  nodeId(): Uint8Array {
    return new Uint8Array(this.dht.nodeId);
  }

  /**
   * Makes this node's id valid for `ip` (BEP 42), as libtorrent does when it
   * learns its external address: a new id, and the routing table rebuilt
   * around it (the same contacts; buckets split by distance to the id).
   * Returns true when the id changed. Exempt addresses (LAN, loopback) keep it.
   */
  adoptExternalIp(ip: string): boolean {
    if (isIP(ip) !== 4) throw new Error(`externalIp must be an IPv4 address, got "${ip}"`);
    if (this.stopped || isNodeIdValidForIp(this.dht._rpc.id, ip)) return false;
    const rpc = this.dht._rpc;
    const contacts = rpc.nodes.toArray();
    const lastChange = rpc.nodes.metadata.lastChange;
    const id = Buffer.from(nodeIdForIp(ip));
    rpc.id = id;
    this.dht.nodeId = id;
    // clear() makes a new bucket tree around rpc.id and rewires k-rpc's ping-and-swap on it.
    rpc.clear();
    this.dht.nodes = rpc.nodes;
    rpc.nodes.metadata.lastChange = lastChange;
    limitNodesPerAnswer(this.dht);
    for (const contact of contacts) rpc.nodes.add(contact);
    return true;
  }

  /** The routing table's contacts: whom this node would route through and name in its answers. */
  contacts(): Array<{ id: Uint8Array; host: string; port: number }> {
    return this.dht._rpc.nodes.toArray().map((c) => ({ id: new Uint8Array(c.id ?? []), host: c.host, port: c.port }));
  }

  tableSize(): number {
    return this.dht._rpc.nodes.count();
  }

  /** The nodes bittorrent-dht will fall back to when its table is empty: exactly the configured bootstrap. */
  bootstrapNodes(): HostPort[] {
    return this.dht._rpc.bootstrap.map((b) => ({ host: b.host, port: b.port }));
  }

  /** Adds a contact (pings it first); for joining late or healing a partition. */
  addNode(hp: HostPort): void {
    this.dht.addNode({ host: hp.host, port: hp.port });
  }

  stats(): { droppedDatagrams: number; warnings: number } {
    return { droppedDatagrams: this.guard.dropped, warnings: this.warnings };
  }

  /** BEP 44 items (records) this node holds now, its own puts included. */
  storedItems(): number {
    return this.dht._values.length;
  }

  /** Our address as at least two distinct peers see it (KRPC extension); ObservedAddressError otherwise. */
  observedAddress(opts?: ObservedAddressOptions): Promise<HostPort> {
    if (this.stopped) return Promise.reject(new DhtStoppedError('observedAddress'));
    // Without this, a query running at stop() would end later as 'no-peers', blaming the network for our own stop.
    return new Promise((resolve, reject) => {
      const onStop = (): void => reject(new DhtStoppedError('observedAddress'));
      this.stopSignal.addEventListener('abort', onStop, { once: true });
      queryObservedAddress(this.dht._rpc, { waitForPeersMs: this.queryTimeoutMs, ...opts })
        .then(resolve, reject)
        .finally(() => this.stopSignal.removeEventListener('abort', onStop));
    });
  }

  get stopped(): boolean {
    return this.stopController.signal.aborted;
  }

  /** Closes the socket and clears bittorrent-dht's timers; operations still running fail with DhtStoppedError. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopController.abort();
    await new Promise<void>((resolve) => this.dht.destroy(() => resolve()));
  }

  /** @internal Raw KRPC access for the record layer. */
  get krpc(): KRpc {
    return this.dht._rpc;
  }

  /** @internal Aborted when the node stops. */
  get stopSignal(): AbortSignal {
    return this.stopController.signal;
  }
}
