import { DhtNode, RecordResolver, type HostPort, type Identity, type PunchOffer } from '@p2p-node/dht-signal';
import { PortMappingError } from '@p2p-node/punch';
import type { PeerStream } from './connection-info.js';
import { MAP_FOR_DIAL_MS } from './dial-mapping.js';
import { dial, type DialOptions } from './dialer.js';
import { ipv6Addresses, lanAddresses } from './lan-addresses.js';
import { Listener, type ListenOptions } from './listener.js';
import { openMappedServer, type MappedServer } from './mapped-server.js';
import { NatOffers, PROFILE_REFRESH_MS } from './nat-offers.js';
import { DialError } from './peer-errors.js';
import type { SecureStream } from './secure-stream.js';
import { dhtSignaling, type Signaling } from './signaling.js';

export type { ConnectionInfo, PeerStream } from './connection-info.js';
export type { ListenOptions } from './listener.js';
export type { DialOptions } from './dialer.js';

export interface PeerNodeOptions {
  identity: Identity;
  /** DHT nodes to join; also the TCP reflectors and introducers unless given apart. Never a public default. */
  bootstrap: HostPort[];
  /** Address for the UDP DHT socket; default 0.0.0.0. */
  host?: string;
  udpPort?: number;
  reflectors?: HostPort[];
  introducers?: HostPort[];
  queryTimeoutMs?: number;
  /**
   * The DHT node id to start with (a listener's, kept across restarts). Once
   * listening, the id is replaced by one derived from our public IP when it
   * does not match it (BEP 42); `dht.nodeId()` tells the id in use.
   */
  dhtNodeId?: Uint8Array;
  /** Our public IPv4 address when known before start (BEP 42 derives the DHT node id from it). */
  externalIp?: string;
  /**
   * Mark our DHT queries read-only (BEP 43) so that no other node puts us in
   * its routing table: for a node that only dials and will not stay (the CLI's
   * `dial`). A listener must not set it.
   */
  dhtReadOnly?: boolean;
  /** Progress, for people (the CLI prints it on stderr). */
  onProgress?: (phase: string, detail: string) => void;
  /** Profile the NAT in the background right away, so the first dial need not (default true). */
  warmUp?: boolean;
  /** For tests: another signaling transport. */
  signaling?: Signaling;
}

/**
 * One peer: a DHT node plus the ability to be dialed (listen) and to dial
 * others by public key, yielding authenticated, encrypted Node Duplex
 * streams. The work is in dialer.ts and listener.ts; this class owns what
 * they share (the DHT node, the NAT profile, the open streams) and their
 * lifetimes.
 */
export class PeerNode {
  private readonly resolver: RecordResolver;
  private readonly offers: NatOffers;
  private readonly live = new Set<SecureStream>();
  private listener: Listener | undefined;
  /** Port mappings made for single dials (DialOptions.portMapping) and not yet released. */
  private readonly dialMappings = new Set<MappedServer>();
  /** Unmaps asked of a gateway whose answer to a dial's mapping request never came (PortMappingError.cleanup). */
  private readonly unmapping = new Set<Promise<void>>();
  private closed = false;

  private constructor(
    readonly dht: DhtNode,
    private readonly opts: PeerNodeOptions,
    private readonly signaling: Signaling,
  ) {
    this.resolver = new RecordResolver(dht);
    this.offers = new NatOffers(
      () => opts.reflectors ?? opts.bootstrap,
      () => lanAddresses(opts.host ?? '0.0.0.0'),
      () => ipv6Addresses(opts.host ?? '0.0.0.0'),
    );
  }

  static async create(opts: PeerNodeOptions): Promise<PeerNode> {
    const dht = await DhtNode.start({
      host: opts.host ?? '0.0.0.0',
      port: opts.udpPort ?? 0,
      bootstrap: opts.bootstrap,
      ...(opts.queryTimeoutMs ? { queryTimeoutMs: opts.queryTimeoutMs } : {}),
      ...(opts.dhtNodeId ? { nodeId: opts.dhtNodeId } : {}),
      ...(opts.externalIp ? { externalIp: opts.externalIp } : {}),
      ...(opts.dhtReadOnly ? { readOnly: true } : {}),
    });
    const node = new PeerNode(dht, opts, opts.signaling ?? dhtSignaling);
    if (opts.warmUp !== false) {
      const onError = (err: Error) => node.progress('profile', `NAT profile failed: ${err.message}`);
      node.offers.warmUp(onError);
      node.offers.keepFresh(PROFILE_REFRESH_MS, onError);
    }
    return node;
  }

  get publicKey(): Uint8Array {
    return this.opts.identity.publicKey;
  }

  private progress(phase: string, detail: string): void {
    this.opts.onProgress?.(phase, detail);
  }

  private track(stream: SecureStream): void {
    this.live.add(stream);
    stream.once('close', () => this.live.delete(stream));
  }

  /**
   * Publishes our record, registers with introducers and accepts dials until
   * close(). Each stream goes to `onConnection` once its dialer opened it
   * with the keys of the Noise handshake it signed (and only if allowed).
   */
  async listen(onConnection: (stream: PeerStream) => void, opts: ListenOptions = {}): Promise<{ offer: PunchOffer; introducers: HostPort[] }> {
    if (this.closed) throw new Error('node is closed');
    if (this.listener) throw new Error('this node is already listening');
    this.listener = await Listener.start(
      {
        dht: this.dht,
        identity: this.opts.identity,
        signaling: this.signaling,
        offers: this.offers,
        reflectors: this.opts.reflectors ?? this.opts.bootstrap,
        introducers: this.opts.introducers ?? this.opts.bootstrap,
        host: this.opts.host ?? '0.0.0.0',
        lanHosts: () => lanAddresses(this.opts.host ?? '0.0.0.0'),
        progress: (phase, detail) => this.progress(phase, detail),
        track: (stream) => this.track(stream),
      },
      onConnection,
      opts,
    );
    return { offer: this.listener.offer, introducers: this.listener.acceptedIntroducers };
  }

  /** Dials a peer by public key; every failure is a DialError with its code. */
  async dial(publicKey: Uint8Array, opts: DialOptions = {}): Promise<PeerStream> {
    if (this.closed) throw new DialError('signal-failed', 'node is closed');
    const stream = await dial(
      { dht: this.dht, identity: this.opts.identity, resolver: this.resolver, signaling: this.signaling, offers: this.offers,
        earlyIntroducers: this.opts.introducers ?? this.opts.bootstrap,
        progress: (p, d) => this.progress(p, d),
        mapForDial: (signal) => this.mapForDial(signal),
      },
      publicKey,
      opts,
    );
    this.track(stream);
    return stream;
  }

  /** A port mapping for one dial, released by the dial (or by close()). */
  private async mapForDial(signal: AbortSignal): Promise<MappedServer | undefined> {
    const host = this.opts.host ?? '0.0.0.0';
    const mapped = await openMappedServer({
      reflectors: this.opts.reflectors ?? this.opts.bootstrap,
      lanHosts: lanAddresses(host),
      host,
      timeoutMs: MAP_FOR_DIAL_MS,
      signal,
      progress: (p, d) => this.progress(p, d),
    }).catch((err: Error) => {
      this.progress('port-mapping', `${err.message}; dialing without`);
      if (err instanceof PortMappingError) {
        this.unmapping.add(err.cleanup);
        void err.cleanup.then(() => this.unmapping.delete(err.cleanup));
      }
    });
    if (!mapped) return undefined;
    if (this.closed) return void (await mapped.close());
    this.dialMappings.add(mapped);
    // Held until released, so that close() waits for a release still under way (a lost unmap is asked again).
    return { ...mapped, close: () => mapped.close().finally(() => this.dialMappings.delete(mapped)) };
  }

  /** Stops publishing and listening, closes open streams, and stops the DHT node. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.listener?.stop();
    this.offers.stop();
    await this.offers.settled();
    for (const s of this.live) s.destroy();
    await Promise.all([...[...this.dialMappings].map((m) => m.close()), ...this.unmapping]);
    await this.dht.stop();
  }
}
