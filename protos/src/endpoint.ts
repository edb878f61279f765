import { isIP } from 'node:net';
import { p2pnode } from '../generated/wire.js';
import { WireDecodeError } from './decode-bounded.js';
import type { HostPort } from './host-port.js';

/** Packs a textual IPv4 or IPv6 address into 4 or 16 bytes. */
export function ipToBytes(host: string): Uint8Array {
  const family = isIP(host);
  if (family === 4) return Uint8Array.from(host.split('.').map(Number));
  if (family === 6) return ipv6ToBytes(host);
  throw new Error(`not an IP address: ${host}`);
}

/** Unpacks 4 or 16 bytes into a textual address. */
export function bytesToIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
    return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
  }
  throw new Error(`an IP address has 4 or 16 bytes, not ${bytes.length}`);
}

/**
 * The one HostPort -> wire Endpoint codec (records, offers, reflector
 * replies). It refuses what no reader would accept, so a bad endpoint fails
 * where it was made rather than in every peer that reads it.
 */
export function endpointToWire(hp: HostPort): p2pnode.Endpoint.$Properties {
  if (!Number.isInteger(hp.port) || hp.port < 1 || hp.port > 65535) throw new Error(`endpoint ${hp.host}:${hp.port} has a port outside 1-65535`);
  return { ip: ipToBytes(hp.host), port: hp.port };
}

/** Reads an endpoint a stranger sent; `what` names it in the WireDecodeError ("public endpoint 2"). */
export function endpointFromWire(e: p2pnode.Endpoint.$Properties, what: string): HostPort {
  const ip = e.ip ?? new Uint8Array();
  if (ip.length !== 4 && ip.length !== 16) throw new WireDecodeError('malformed', `${what} has a ${ip.length}-byte IP`);
  const port = e.port ?? 0;
  if (port < 1 || port > 65535) throw new WireDecodeError('malformed', `${what} has port ${port}`);
  return { host: bytesToIp(ip), port };
}

function ipv6ToBytes(host: string): Uint8Array {
  const [head = '', tail] = host.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':'));
  const headGroups = parse(head);
  const tailGroups = tail === undefined ? [] : parse(tail);
  const out = new Uint8Array(16);
  const groups =
    tail === undefined ? headGroups : [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  });
  return out;
}
