import { isIP } from 'node:net';

export interface EndpointLike {
  ip: Uint8Array;
  port: number;
}

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

export function endpointFromHostPort(host: string, port: number): EndpointLike {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`not a port: ${port}`);
  return { ip: ipToBytes(host), port };
}

export function endpointToString(ep: EndpointLike): string {
  const host = bytesToIp(ep.ip);
  return ep.ip.length === 16 ? `[${host}]:${ep.port}` : `${host}:${ep.port}`;
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
