import { p2pnode } from '../generated/wire.js';

/** How a NAT maps local TCP ports to public ones: the one vocabulary records, offers and profiles share. */
export type NatMapping = 'unknown' | 'none' | 'port-preserving' | 'endpoint-independent' | 'sequential' | 'random';

const TO_WIRE: Record<NatMapping, p2pnode.MappingBehavior> = {
  unknown: p2pnode.MappingBehavior.MAPPING_UNKNOWN,
  none: p2pnode.MappingBehavior.MAPPING_NONE,
  'port-preserving': p2pnode.MappingBehavior.MAPPING_PORT_PRESERVING,
  'endpoint-independent': p2pnode.MappingBehavior.MAPPING_ENDPOINT_INDEPENDENT,
  sequential: p2pnode.MappingBehavior.MAPPING_SEQUENTIAL,
  random: p2pnode.MappingBehavior.MAPPING_RANDOM,
};

export function natMappingToWire(m: NatMapping): p2pnode.MappingBehavior {
  return TO_WIRE[m];
}

/** Values a newer peer may send that we do not know read as 'unknown'. */
export function natMappingFromWire(v: p2pnode.MappingBehavior | null | undefined): NatMapping {
  return (Object.keys(TO_WIRE) as NatMapping[]).find((m) => TO_WIRE[m] === v) ?? 'unknown';
}
