export { p2pnode } from '../generated/wire.js';
export { decodeBounded, WireDecodeError, type DecodeLimits, type MessageCodec } from './decode-bounded.js';
export { type HostPort, parseHostPort, parseHostPortList, formatHostPort } from './host-port.js';
export { endpointToWire, endpointFromWire, ipToBytes, bytesToIp } from './endpoint.js';
export { type NatMapping, type NatInfo, natInfoToWire, natInfoFromWire } from './nat-info.js';
export { P2pNodeError } from './errors.js';
export type { PunchOffer } from './punch-offer.js';
