import type { KRpc, KrpcMessage, KrpcPeer, KrpcRemote } from 'bittorrent-dht';
import { bytesToIp, ipToBytes } from '@p2p-node/protos';
import { ObservedAddressError } from './errors.js';
import type { HostPort } from './host-port.js';

/**
 * KRPC extension: "tell me the address my datagram came from". bittorrent-dht
 * ignores query names it does not know, so mainline nodes simply never answer
 * it, and nothing else in the protocol changes.
 */
export const OBSERVED_ADDRESS_QUERY = 'p2p_node_observed_addr';

/** @internal Answers the extension query with the sender's address, compact like BEP 42's `ip` (4 or 16 bytes of IP, then the port). */
export function serveObservedAddress(rpc: KRpc): void {
  rpc.on('query', (query: KrpcMessage, peer: KrpcRemote) => {
    if (!Buffer.isBuffer(query.q) || query.q.toString() !== OBSERVED_ADDRESS_QUERY) return;
    const host = peer.address ?? peer.host;
    if (host === undefined) return;
    rpc.response(peer, query, { id: rpc.id, ip: compactAddress({ host, port: peer.port }) });
  });
}

export function compactAddress(hp: HostPort): Buffer {
  const port = Buffer.alloc(2);
  port.writeUInt16BE(hp.port);
  return Buffer.concat([ipToBytes(hp.host), port]);
}

export function parseCompactAddress(buf: Buffer): HostPort | null {
  if (buf.length !== 6 && buf.length !== 18) return null;
  const port = buf.readUInt16BE(buf.length - 2);
  if (port === 0) return null;
  return { host: bytesToIp(buf.subarray(0, buf.length - 2)), port };
}

export interface ObservedAddressOptions {
  /** Peers to ask; default: up to `maxPeers` from the routing table. */
  peers?: HostPort[];
  maxPeers?: number;
  /** Distinct peers that must report the same address; at least 2. */
  minAgreeing?: number;
  /**
   * Count peers as distinct only if their IPs differ. Off by default because
   * a loopback test network has one IP; turn it on for the open Internet,
   * where one host running many nodes must not outvote the rest.
   */
  distinctIps?: boolean;
}

/**
 * @internal Asks several peers in parallel and settles as soon as `minAgreeing`
 * distinct peers report the same address; one peer alone could lie.
 */
export function queryObservedAddress(rpc: KRpc, opts: ObservedAddressOptions = {}): Promise<HostPort> {
  const minAgreeing = Math.max(2, opts.minAgreeing ?? 2);
  const peers: KrpcPeer[] = opts.peers ?? rpc.nodes.toArray().slice(0, opts.maxPeers ?? 8);
  if (peers.length < minAgreeing) {
    return Promise.reject(
      new ObservedAddressError('no-peers', `${peers.length} peer(s) to ask, ${minAgreeing} must agree`),
    );
  }
  return new Promise((resolve, reject) => {
    const votes = new Map<string, { address: HostPort; voters: Set<string> }>();
    let outstanding = peers.length;
    let settled = false;
    const onAnswer = (err: Error | null, res: KrpcMessage | null, peer: KrpcRemote): void => {
      outstanding--;
      if (settled) return;
      const raw = !err ? res?.r?.ip : undefined;
      const address = Buffer.isBuffer(raw) ? parseCompactAddress(raw) : null;
      if (address) {
        const key = `${address.host}:${address.port}`;
        const entry = votes.get(key) ?? { address, voters: new Set<string>() };
        votes.set(key, entry);
        const voterHost = peer.address ?? peer.host ?? '';
        entry.voters.add(opts.distinctIps ? voterHost : `${voterHost}:${peer.port}`);
        if (entry.voters.size >= minAgreeing) {
          settled = true;
          return resolve(entry.address);
        }
      }
      if (outstanding === 0) {
        settled = true;
        const seen = [...votes.values()].map((v) => `${v.address.host}:${v.address.port} (${v.voters.size})`).join(', ');
        reject(new ObservedAddressError('no-agreement', `asked ${peers.length} peer(s); answers: ${seen || 'none'}`));
      }
    };
    for (const peer of peers) rpc.query({ host: peer.host, port: peer.port }, { q: OBSERVED_ADDRESS_QUERY, a: {} }, onAnswer);
  });
}
