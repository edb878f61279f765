import { decodeBounded, p2pnode, WireDecodeError } from '@p2p-node/protos';
import { bytesToIp, ipToBytes, natMappingFromWire, natMappingToWire, type NatMapping } from '@p2p-node/protos';
import { RecordInvalidError } from './errors.js';
import type { HostPort } from '@p2p-node/protos';

/** Names the protocol and record version; a new record format gets a new salt, so old readers never misparse it. */
export const RECORD_SALT: Uint8Array = new TextEncoder().encode('p2p-node/v1');

export type { NatMapping };

export interface NatInfo {
  mapping: NatMapping;
  /** The NAT's public IP as the peer measured it, if known. */
  publicIp?: string;
  portPreserving?: boolean;
  /** Port step between consecutive mappings, for sequential NATs. */
  delta?: number;
}

export interface RecordContent {
  /** Predicted public TCP endpoints. */
  publicEndpoints: HostPort[];
  lanEndpoints: HostPort[];
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
  const endpoint = (hp: HostPort): p2pnode.Endpoint.$Properties => ({ ip: ipToBytes(hp.host), port: hp.port });
  const nat: p2pnode.NatProfile.$Properties = { mapping: natMappingToWire(fields.nat.mapping) };
  if (fields.nat.publicIp !== undefined) nat.publicIp = ipToBytes(fields.nat.publicIp);
  if (fields.nat.portPreserving !== undefined) nat.portPreserving = fields.nat.portPreserving;
  if (fields.nat.delta !== undefined) nat.delta = fields.nat.delta;
  return p2pnode.PeerRecord.encode({
    publicKey: fields.publicKey,
    publicEndpoints: fields.publicEndpoints.map(endpoint),
    lanEndpoints: fields.lanEndpoints.map(endpoint),
    nat,
    introducers: fields.introducers.map(endpoint),
    issuedAt: fields.issuedAt,
    lifetime: fields.lifetime,
  }).finish();
}

/** Decodes a stranger's `v` and checks every field; RecordInvalidError says what was wrong. Does not check the signature or expiry. */
export function decodePeerRecord(v: Uint8Array, nowSec: number): RecordFields {
  let msg: p2pnode.PeerRecord;
  try {
    msg = decodeBounded(p2pnode.PeerRecord, v, READ_LIMITS);
  } catch (err) {
    if (err instanceof WireDecodeError) {
      throw new RecordInvalidError(err.reason === 'too-large' ? 'too-large' : err.reason, err.message);
    }
    throw err;
  }
  if (msg.publicKey.length !== 32) throw new RecordInvalidError('malformed', `public key is ${msg.publicKey.length} bytes, not 32`);
  if (msg.issuedAt === 0) throw new RecordInvalidError('malformed', 'no issue time');
  if (msg.lifetime === 0 || msg.lifetime > MAX_LIFETIME_SEC) {
    throw new RecordInvalidError('field-bounds', `lifetime ${msg.lifetime} s is outside 1..${MAX_LIFETIME_SEC}`);
  }
  if (msg.issuedAt > nowSec + MAX_CLOCK_SKEW_SEC) {
    throw new RecordInvalidError('issued-in-future', `issued at ${msg.issuedAt}, now is ${nowSec}`);
  }
  const nat = msg.nat ?? {};
  return {
    // A copy, as a plain Uint8Array: protobufjs hands out a Buffer view into the storer's reply.
    publicKey: new Uint8Array(msg.publicKey),
    issuedAt: msg.issuedAt,
    lifetime: msg.lifetime,
    publicEndpoints: msg.publicEndpoints.map((e, i) => readEndpoint(e, `public endpoint ${i}`)),
    lanEndpoints: msg.lanEndpoints.map((e, i) => readEndpoint(e, `LAN endpoint ${i}`)),
    introducers: msg.introducers.map((e, i) => readEndpoint(e, `introducer ${i}`)),
    nat: readNat(nat),
  };
}

function readEndpoint(e: p2pnode.Endpoint.$Properties, what: string): HostPort {
  const ip = e.ip ?? new Uint8Array();
  if (ip.length !== 4 && ip.length !== 16) throw new RecordInvalidError('malformed', `${what} has a ${ip.length}-byte IP`);
  const port = e.port ?? 0;
  if (port < 1 || port > 65535) throw new RecordInvalidError('malformed', `${what} has port ${port}`);
  return { host: bytesToIp(ip), port };
}

function readNat(nat: p2pnode.NatProfile.$Properties): NatInfo {
  const mapping = natMappingFromWire(nat.mapping);
  const info: NatInfo = { mapping };
  const ip = nat.publicIp;
  if (ip && ip.length > 0) {
    if (ip.length !== 4 && ip.length !== 16) throw new RecordInvalidError('malformed', `NAT public IP has ${ip.length} bytes`);
    info.publicIp = bytesToIp(ip);
  }
  if (nat.portPreserving) info.portPreserving = true;
  if (nat.delta) {
    if (Math.abs(nat.delta) > 65535) throw new RecordInvalidError('field-bounds', `NAT delta ${nat.delta} is not a port step`);
    info.delta = nat.delta;
  }
  return info;
}
