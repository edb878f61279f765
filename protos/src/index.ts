export { p2pnode } from '../generated/wire.js';
export { decodeBounded, WireDecodeError, type DecodeLimits, type MessageCodec } from './decode-bounded.js';
export { type HostPort, parseHostPort, parseHostPortList, formatHostPort } from './host-port.js';
export { endpointToString, endpointFromHostPort, ipToBytes, bytesToIp } from './endpoint.js';
export { type NatMapping, natMappingToWire, natMappingFromWire } from './nat-mapping.js';
export { P2pNodeError } from './errors.js';
