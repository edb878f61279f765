import type { HostPort } from './host-port.js';
import type { NatInfo } from './nat-info.js';

/**
 * What each side of a punch tells the other (wire: p2pnode.PunchOffer),
 * as plain data: signaling carries it, node makes and reads it. Nothing in
 * it is secret; the signed envelope makes it unforgeable.
 */
export interface PunchOffer {
  /** Predicted public TCP endpoints, best first. */
  publicEndpoints: HostPort[];
  lanEndpoints: HostPort[];
  /** Global IPv6 addresses with the punch port, tried first when both sides have one (see wire.proto). */
  ipv6Endpoints?: HostPort[];
  nat: NatInfo;
  /** The local TCP port the sender punches from. */
  localPort: number;
  /** The sender's measured round trip to the introducer, ms. */
  rttMs: number;
  /** A guess sent before profiling: port preservation of localPort at the address the introducer saw (see wire.proto). */
  provisional?: boolean;
  /** TCP relays where the sender will meet the other side if no punch works (see wire.proto). */
  relays?: HostPort[];
  /** In a request: the dialer punches only ('never') or goes to the relay at once ('only'); absent: auto. */
  relayUse?: 'never' | 'only';
}
