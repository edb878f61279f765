import { p2pnode } from '../generated/wire.js';
import { WireDecodeError } from './decode-bounded.js';
import { bytesToIp, ipToBytes } from './endpoint.js';

/** How a NAT maps local TCP ports to public ones: the one vocabulary records, offers and profiles share. */
export type NatMapping = 'unknown' | 'none' | 'port-preserving' | 'endpoint-independent' | 'sequential' | 'random';

/** What a peer says about its NAT, in records and punch offers alike. */
export interface NatInfo {
  mapping: NatMapping;
  /** The NAT's public IP as the peer measured it, if known. */
  publicIp?: string;
  portPreserving?: boolean;
  /** Port step between consecutive mappings, for sequential NATs. */
  delta?: number;
  /** The public endpoints are a port mapping the NAT made on request (UPnP-IGD, NAT-PMP) to a listening socket: reachable without a punch. */
  portMapped?: boolean;
}

const TO_WIRE: Record<NatMapping, p2pnode.MappingBehavior> = {
  unknown: p2pnode.MappingBehavior.MAPPING_UNKNOWN,
  none: p2pnode.MappingBehavior.MAPPING_NONE,
  'port-preserving': p2pnode.MappingBehavior.MAPPING_PORT_PRESERVING,
  'endpoint-independent': p2pnode.MappingBehavior.MAPPING_ENDPOINT_INDEPENDENT,
  sequential: p2pnode.MappingBehavior.MAPPING_SEQUENTIAL,
  random: p2pnode.MappingBehavior.MAPPING_RANDOM,
};

function natMappingToWire(m: NatMapping): p2pnode.MappingBehavior {
  return TO_WIRE[m];
}

/** Values a newer peer may send that we do not know read as 'unknown'. */
function natMappingFromWire(v: p2pnode.MappingBehavior | null | undefined): NatMapping {
  return (Object.keys(TO_WIRE) as NatMapping[]).find((m) => TO_WIRE[m] === v) ?? 'unknown';
}

/** The one NatInfo -> wire NatProfile codec; refuses a delta no reader would accept. */
export function natInfoToWire(nat: NatInfo): p2pnode.NatProfile.$Properties {
  const wire: p2pnode.NatProfile.$Properties = { mapping: natMappingToWire(nat.mapping) };
  if (nat.publicIp !== undefined) wire.publicIp = ipToBytes(nat.publicIp);
  if (nat.portPreserving !== undefined) wire.portPreserving = nat.portPreserving;
  if (nat.delta !== undefined) {
    if (!Number.isInteger(nat.delta) || Math.abs(nat.delta) > 65535) throw new Error(`NAT delta ${nat.delta} is not a port step`);
    wire.delta = nat.delta;
  }
  if (nat.portMapped) wire.portMapped = true;
  return wire;
}

/**
 * Reads the NAT profile a stranger sent. Proto3 cannot tell an absent field
 * from its default, so `false` and 0 come back as absent fields.
 */
export function natInfoFromWire(wire: p2pnode.NatProfile.$Properties | null | undefined): NatInfo {
  const w = wire ?? {};
  const info: NatInfo = { mapping: natMappingFromWire(w.mapping) };
  const ip = w.publicIp;
  if (ip && ip.length > 0) {
    if (ip.length !== 4 && ip.length !== 16) throw new WireDecodeError('malformed', `NAT public IP has ${ip.length} bytes`);
    info.publicIp = bytesToIp(ip);
  }
  if (w.portPreserving) info.portPreserving = true;
  if (w.delta) {
    if (Math.abs(w.delta) > 65535) throw new WireDecodeError('field-bounds', `NAT delta ${w.delta} is not a port step`);
    info.delta = w.delta;
  }
  if (w.portMapped) info.portMapped = true;
  return info;
}
