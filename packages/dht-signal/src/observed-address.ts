import type { KRpc, KrpcMessage, KrpcPeer, KrpcRemote } from 'bittorrent-dht';
import { bytesToIp, ipToBytes } from '@p2p-node/protos';
import { ObservedAddressError } from './errors.js';
import type { HostPort } from '@p2p-node/protos';

/**
 * KRPC extension: "tell me the address my datagram came from". Other
 * bittorrent-dht nodes ignore query names they do not know (the query times
 * out); libtorrent answers at once with error 203 ("unknown message"). Either
 * way nothing else in the protocol changes; a node that answered with an
 * error is not asked again (see notExtensionSpeakers).
 */
export const OBSERVED_ADDRESS_QUERY = 'p2p_node_observed_addr';

/** How many non-speaking nodes one DHT node remembers (oldest forgotten first). */
const MAX_REMEMBERED_NON_SPEAKERS = 4096;

/**
 * Per KRPC instance, the host:port of nodes that answered the extension with
 * a KRPC error: mainline nodes, which will never answer it. Asking them again
 * only wastes a datagram each time and counts them as peers asked.
 */
const nonSpeakersByRpc = new WeakMap<KRpc, Map<string, true>>();

function notExtensionSpeakers(rpc: KRpc): Map<string, true> {
  let known = nonSpeakersByRpc.get(rpc);
  if (!known) nonSpeakersByRpc.set(rpc, (known = new Map()));
  return known;
}

function rememberNonSpeaker(rpc: KRpc, key: string): void {
  const known = notExtensionSpeakers(rpc);
  known.set(key, true);
  if (known.size > MAX_REMEMBERED_NON_SPEAKERS) known.delete(known.keys().next().value!);
}

/** @internal True once `peer` has answered the observed-address query with a KRPC error (a mainline node). */
export function isKnownNonSpeaker(rpc: KRpc, peer: HostPort): boolean {
  return notExtensionSpeakers(rpc).has(`${peer.host}:${peer.port}`);
}

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
  /** Peers to ask; default: the routing table, plus nodes that join it while we wait. */
  peers?: HostPort[];
  /** Most peers to ask; default 8. */
  maxPeers?: number;
  /** Distinct peers that must report the same address; at least 2. */
  minAgreeing?: number;
  /**
   * Count peers as distinct only if their IPs differ, so one host running
   * many nodes cannot outvote the rest. Default: yes, except for loopback
   * peers (a test network on 127.0.0.1 has one IP), which count by port.
   */
  distinctIps?: boolean;
  /** How long to keep asking nodes that join the routing table (a node that just started knows few); default 1 s. */
  waitForPeersMs?: number;
}

/**
 * @internal Asks several peers in parallel and settles as soon as
 * `minAgreeing` distinct peers report the same address; one peer alone
 * could lie.
 */
export function queryObservedAddress(rpc: KRpc, opts: ObservedAddressOptions = {}): Promise<HostPort> {
  const minAgreeing = Math.max(2, opts.minAgreeing ?? 2);
  const maxPeers = Math.max(minAgreeing, opts.maxPeers ?? 8);
  return new Promise((resolve, reject) => {
    const votes = new Map<string, { address: HostPort; voters: Set<string> }>();
    const asked = new Set<string>();
    let outstanding = 0;
    let settled = false;
    let waitingForPeers = opts.peers === undefined;

    const finish = (result: HostPort | ObservedAddressError): void => {
      settled = true;
      stopWaiting();
      if (result instanceof ObservedAddressError) reject(result);
      else resolve(result);
    };
    const giveUpIfDone = (): void => {
      if (settled || outstanding > 0 || waitingForPeers) return;
      const seen = [...votes.values()].map((v) => `${v.address.host}:${v.address.port} (${v.voters.size})`).join(', ');
      finish(
        asked.size < minAgreeing
          ? new ObservedAddressError('no-peers', `${asked.size} peer(s) to ask, ${minAgreeing} must agree`)
          : new ObservedAddressError('no-agreement', `asked ${asked.size} peer(s); answers: ${seen || 'none'}`),
      );
    };
    const onAnswer = (err: Error | null, res: KrpcMessage | null, peer: KrpcRemote): void => {
      outstanding--;
      // An error answer (libtorrent's 203) means the node does not speak the extension, not that the query was lost.
      if (err && res && res.e !== undefined) rememberNonSpeaker(rpc, `${peer.address ?? peer.host}:${peer.port}`);
      if (settled) return;
      const raw = !err ? res?.r?.ip : undefined;
      const address = Buffer.isBuffer(raw) ? parseCompactAddress(raw) : null;
      if (address) {
        const key = `${address.host}:${address.port}`;
        const entry = votes.get(key) ?? { address, voters: new Set<string>() };
        votes.set(key, entry);
        const voterHost = peer.address ?? peer.host ?? '';
        const byIp = opts.distinctIps ?? !isLoopback(voterHost);
        entry.voters.add(byIp ? voterHost : `${voterHost}:${peer.port}`);
        if (entry.voters.size >= minAgreeing) return finish(entry.address);
      }
      giveUpIfDone();
    };
    const ask = (peer: KrpcPeer | HostPort): void => {
      const key = `${peer.host}:${peer.port}`;
      if (settled || asked.has(key) || asked.size >= maxPeers || notExtensionSpeakers(rpc).has(key)) return;
      asked.add(key);
      outstanding++;
      rpc.query({ host: peer.host, port: peer.port }, { q: OBSERVED_ADDRESS_QUERY, a: {} }, onAnswer);
    };

    const onNode = (node: KrpcPeer): void => ask(node);
    const waitTimer = waitingForPeers
      ? setTimeout(() => {
          stopWaiting();
          giveUpIfDone();
        }, opts.waitForPeersMs ?? 1000)
      : undefined;
    function stopWaiting(): void {
      waitingForPeers = false;
      clearTimeout(waitTimer);
      rpc.off('node', onNode);
    }

    if (waitingForPeers) rpc.on('node', onNode);
    for (const peer of opts.peers ?? rpc.nodes.toArray()) ask(peer);
    giveUpIfDone();
  });
}

function isLoopback(host: string): boolean {
  return host.startsWith('127.') || host === '::1';
}
