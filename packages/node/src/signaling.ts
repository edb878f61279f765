import type { DhtNode, HostPort, Identity } from '@p2p-node/dht-signal';
import type { Offer } from './offer.js';

export interface SignalRegistration {
  /** The introducers that accepted us (they go into our record). */
  introducers: HostPort[];
  stop(): Promise<void>;
}

/** How offers travel between dialer and listener. The real one goes through DHT introducers. */
export interface Signaling {
  listen(
    dht: DhtNode,
    identity: Identity,
    introducers: HostPort[],
    onRequest: (dialerKey: Uint8Array, offer: Offer) => Promise<Offer>,
  ): Promise<SignalRegistration>;
  request(dht: DhtNode, identity: Identity, target: Uint8Array, introducers: HostPort[], offer: Offer): Promise<{ offer: Offer; rttMs: number; introducer: HostPort }>;
}

export const dhtSignaling: Signaling = {
  listen() {
    throw new Error('signaling through DHT introducers is not wired in yet');
  },
  request() {
    throw new Error('signaling through DHT introducers is not wired in yet');
  },
};
