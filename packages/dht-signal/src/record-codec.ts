import { decodeBounded, endpointFromWire, endpointToWire, natInfoFromWire, natInfoToWire, p2pnode, WireDecodeError } from '@p2p-node/protos';
import type { HostPort, NatInfo, NatMapping } from '@p2p-node/protos';
import { RecordInvalidError } from './errors.js';

/** Names the protocol and record version; a new record format gets a new salt, so old readers never misparse it. */
export const RECORD_SALT: Uint8Array = new TextEncoder().encode('p2p-node/v1');

export type { NatInfo, NatMapping };

export interface RecordContent {
  /** Predicted public TCP endpoints. */
  publicEndpoints: HostPort[];
  lanEndpoints: HostPort[];
  /** Global IPv6 addresses with the punch port. */
  ipv6Endpoints?: HostPort[];
  nat?: NatInfo;
  /** DHT nodes (UDP) that forward signaling to this peer. */
  introducers: HostPort[];
  /** Seconds the record stays valid after it is issued. */
  lifetimeSec?: number;
}

/** The fields of a PeerRecord, once decoded and checked against the bounds below. */
export interface RecordFields {
  publicKey: Uint8Array;
  issuedAt: number;
  lifetime: number;
  publicEndpoints: HostPort[];
  lanEndpoints: HostPort[];
  ipv6Endpoints: HostPort[];
  nat: NatInfo;
  introducers: HostPort[];
}

/** A week: long enough for any sane republish period, short enough that a leaked old record dies. */
export const MAX_LIFETIME_SEC = 7 * 24 * 3600;
/** Clock skew tolerated before a record "issued in the future" is refused. */
export const MAX_CLOCK_SKEW_SEC = 300;

/** Per list (public, LAN, introducers); publishers are held to the same bound. */
export const MAX_ENDPOINTS_PER_LIST = 16;

const READ_LIMITS = { maxBytes: 1000, maxRepeated: MAX_ENDPOINTS_PER_LIST, maxFieldBytes: 64, maxDepth: 4 };

export function encodePeerRecord(fields: RecordFields): Uint8Array {
  return p2pnode.PeerRecord.encode({
    publicKey: fields.publicKey,
    publicEndpoints: fields.publicEndpoints.map(endpointToWire),
    lanEndpoints: fields.lanEndpoints.map(endpointToWire),
    ipv6Endpoints: fields.ipv6Endpoints.map(endpointToWire),
    nat: natInfoToWire(fields.nat),
    introducers: fields.introducers.map(endpointToWire),
    issuedAt: fields.issuedAt,
    lifetime: fields.lifetime,
  }).finish();
}

/** Decodes a stranger's `v` and checks every field; RecordInvalidError says what was wrong. Does not check the signature or expiry. */
export function decodePeerRecord(v: Uint8Array, nowSec: number): RecordFields {
  try {
    return readRecord(decodeBounded(p2pnode.PeerRecord, v, READ_LIMITS), nowSec);
  } catch (err) {
    if (err instanceof WireDecodeError) throw new RecordInvalidError(err.reason, err.message);
    throw err;
  }
}

function readRecord(msg: p2pnode.PeerRecord, nowSec: number): RecordFields {
  if (msg.publicKey.length !== 32) throw new RecordInvalidError('malformed', `public key is ${msg.publicKey.length} bytes, not 32`);
  if (msg.issuedAt === 0) throw new RecordInvalidError('malformed', 'no issue time');
  if (msg.lifetime === 0 || msg.lifetime > MAX_LIFETIME_SEC) {
    throw new RecordInvalidError('field-bounds', `lifetime ${msg.lifetime} s is outside 1..${MAX_LIFETIME_SEC}`);
  }
  if (msg.issuedAt > nowSec + MAX_CLOCK_SKEW_SEC) {
    throw new RecordInvalidError('issued-in-future', `issued at ${msg.issuedAt}, now is ${nowSec}`);
  }
  return {
    // A copy, as a plain Uint8Array: protobufjs hands out a Buffer view into the storer's reply.
    publicKey: new Uint8Array(msg.publicKey),
    issuedAt: msg.issuedAt,
    lifetime: msg.lifetime,
    publicEndpoints: msg.publicEndpoints.map((e, i) => endpointFromWire(e, `public endpoint ${i}`)),
    lanEndpoints: msg.lanEndpoints.map((e, i) => endpointFromWire(e, `LAN endpoint ${i}`)),
    ipv6Endpoints: msg.ipv6Endpoints.map((e, i) => {
      if (e.ip?.length !== 16) throw new RecordInvalidError('malformed', `IPv6 endpoint ${i} is not an IPv6 address`);
      return endpointFromWire(e, `IPv6 endpoint ${i}`);
    }),
    introducers: msg.introducers.map((e, i) => endpointFromWire(e, `introducer ${i}`)),
    nat: natInfoFromWire(msg.nat),
  };
}
