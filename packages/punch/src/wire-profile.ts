import { p2pnode, ipToBytes, natMappingFromWire, natMappingToWire } from '@p2p-node/protos';
import type { MappingKind, NatProfile } from './profile-types.js';

/** The profile as it goes into a PeerRecord. */
export function toWireProfile(p: NatProfile): p2pnode.INatProfile {
  return {
    mapping: natMappingToWire(p.mapping),
    publicIp: p.publicIp ? ipToBytes(p.publicIp) : new Uint8Array(0),
    portPreserving: p.portPreserving,
    delta: p.delta,
  };
}

export function fromWireMapping(m: p2pnode.MappingBehavior | null | undefined): MappingKind {
  return natMappingFromWire(m);
}
