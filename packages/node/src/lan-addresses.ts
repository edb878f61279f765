import { networkInterfaces } from 'node:os';

/**
 * Addresses a peer on the same LAN could reach us at: the bound address when
 * it is a specific one, else every non-internal IPv4 interface address.
 */
export function lanAddresses(boundHost: string): string[] {
  if (boundHost !== '0.0.0.0' && boundHost !== '::') return [boundHost];
  const out: string[] = [];
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) out.push(a.address);
  }
  return out.slice(0, 4);
}

/**
 * Our global IPv6 addresses, when bound to every address: no link-local
 * (fe80::/10), unique-local (fc00::/7) or IPv4-mapped ones, which no peer
 * elsewhere could reach. Bound to one IPv4 address (a test on loopback),
 * none: a peer bound there means to use that address only.
 */
export function ipv6Addresses(boundHost: string): string[] {
  if (boundHost !== '0.0.0.0' && boundHost !== '::') return [];
  const out: string[] = [];
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv6' && !a.internal && isGlobalIpv6(a.address)) out.push(a.address);
  }
  return out.slice(0, 2);
}

export function isGlobalIpv6(address: string): boolean {
  const first = parseInt(address.split(':')[0] || '0', 16);
  if ((first & 0xffc0) === 0xfe80 || (first & 0xfe00) === 0xfc00) return false;
  return !address.startsWith('::');
}
