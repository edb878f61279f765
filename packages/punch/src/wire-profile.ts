import { p2pnode, ipToBytes } from '@p2p-node/protos';
import type { MappingKind, NatProfile } from './profile-types.js';

const TO_WIRE: Record<MappingKind, p2pnode.MappingBehavior> = {
  unknown: p2pnode.MappingBehavior.MAPPING_UNKNOWN,
  none: p2pnode.MappingBehavior.MAPPING_NONE,
  'port-preserving': p2pnode.MappingBehavior.MAPPING_PORT_PRESERVING,
  'endpoint-independent': p2pnode.MappingBehavior.MAPPING_ENDPOINT_INDEPENDENT,
  sequential: p2pnode.MappingBehavior.MAPPING_SEQUENTIAL,
  random: p2pnode.MappingBehavior.MAPPING_RANDOM,
};

/** The profile as it goes into a PeerRecord. */
export function toWireProfile(p: NatProfile): p2pnode.INatProfile {
  return {
    mapping: TO_WIRE[p.mapping],
    publicIp: p.publicIp ? ipToBytes(p.publicIp) : new Uint8Array(0),
    portPreserving: p.portPreserving,
    delta: p.delta,
  };
}

export function fromWireMapping(m: p2pnode.MappingBehavior | null | undefined): MappingKind {
  for (const [kind, value] of Object.entries(TO_WIRE)) if (value === m) return kind as MappingKind;
  return 'unknown';
}
