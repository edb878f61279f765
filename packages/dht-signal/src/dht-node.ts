import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import DHT, { type KRpc } from 'bittorrent-dht';
import { DhtBindError, DhtStoppedError } from './errors.js';
import type { HostPort } from '@p2p-node/protos';
import { verify } from './identity.js';
import { limitNodesPerAnswer, limitPeersPerAnswer } from './answer-limits.js';
import { KrpcGuardSocket } from './krpc-guard.js';
import { type ObservedAddressOptions, queryObservedAddress, serveObservedAddress } from './observed-address.js';


export interface DhtNodeOptions {
  /** IPv4 address to bind (bittorrent-dht's KRPC is IPv4 only). */
  host: string;
  /** UDP port; 0 picks a free one. */
  port: number;
  /** The only nodes contacted to join; empty means start alone. Never defaults to public routers. */
  bootstrap: HostPort[];
  /** Per-query timeout; every unresponsive node costs this much (bittorrent-dht's default is 2000 ms). */
  queryTimeoutMs?: number;
  /** Fixed 20-byte node id instead of a random one. */
  nodeId?: Uint8Array;
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
      ...(opts.nodeId ? { nodeId: Buffer.from(opts.nodeId) } : {}),
    });
    node = new DhtNode(dht, guard, queryTimeoutMs);
    dht.on('warning', (err: Error) => warn(err));
    // Before the first datagram can arrive (the socket binds below).
    limitNodesPerAnswer(dht);
    limitPeersPerAnswer(dht);
    serveObservedAddress(dht._rpc);

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
