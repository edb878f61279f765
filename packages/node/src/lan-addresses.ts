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
