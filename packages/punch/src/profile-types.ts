import type { HostPort } from '@p2p-node/protos';

/** How a NAT maps local TCP ports to public ones (the seed's prediction methods). */
export type { NatMapping as MappingKind } from '@p2p-node/protos';
import type { NatMapping as MappingKind } from '@p2p-node/protos';

/**
 * One reflector answer. profileNat lists them in the order the probes were
 * started; they run in parallel, so that need not be the order the NAT saw them.
 */
export interface Observation {
  /** The reflector's address (host:port) so probes to different IPs can be told apart. */
  reflector: HostPort;
  local: HostPort;
  observed: HostPort;
}

export interface NatProfile {
  mapping: MappingKind;
  /** The public IP seen by the reflectors (null when none answered). */
  publicIp: string | null;
  /** True when the public port equalled the local port for the profiled port. */
  portPreserving: boolean;
  /** Step between consecutive new mappings (sequential NATs), else 0. */
  delta: number;
  /** The local port that was profiled. */
  localPort: number;
  /**
   * The base for a sequential guess: the newest mapping in the NAT's counting
   * direction (the highest port seen, for a NAT counting up). For other kinds,
   * the port of the last observation.
   */
  lastMappedPort: number;
  /** The public port `localPort` is mapped to (meaningful for endpoint-independent mappings). */
  mappedPort: number;
  observations: Observation[];
  /** Why the classifier decided as it did, for people. */
  reason: string;
}
