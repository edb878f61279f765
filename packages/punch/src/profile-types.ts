import type { HostPort } from './host-port.js';

/** How a NAT maps local TCP ports to public ones (the seed's prediction methods). */
export type { NatMapping as MappingKind } from '@p2p-node/protos';
import type { NatMapping as MappingKind } from '@p2p-node/protos';

/** One reflector answer, in the order the probes were made. */
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
  /** The public port of the most recent new mapping (the base for a sequential guess). */
  lastMappedPort: number;
  /** The public port `localPort` is mapped to (meaningful for endpoint-independent mappings). */
  mappedPort: number;
  observations: Observation[];
  /** Why the classifier decided as it did, for people. */
  reason: string;
}
