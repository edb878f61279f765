import { readFile } from 'node:fs/promises';

/**
 * The next hop the kernel uses towards `ip`, read from a Linux
 * /proc/net/route table: the NAT box in front of us, where NAT-PMP requests
 * go. Asked for the route to a known public host (a reflector) rather than
 * the default route, since a host may have none (the lab's LAN hosts reach
 * only the lab's internet) or several. Undefined when no gatewayed route
 * covers `ip` (we are on the same link: no NAT in between).
 */
export function gatewayFromRouteTable(table: string, ip: string): string | undefined {
  const target = ipv4ToLittleEndian(ip);
  if (target === undefined) return undefined;
  let best: { gateway: number | undefined; prefix: number; metric: number } | undefined;
  for (const line of table.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const [dest, gateway, flags, , , metric, mask] = [f[1], f[2], f[3], f[4], f[5], f[6], f[7]].map((h) => parseInt(h!, 16));
    if ([dest, gateway, flags, metric, mask].some((n) => n === undefined || Number.isNaN(n))) continue;
    // RTF_UP (0x1): a route in use. The most specific one wins, as in the kernel.
    if ((flags! & 0x1) === 0 || ((target & mask!) >>> 0) !== dest) continue;
    const prefix = popcount(mask!);
    // RTF_GATEWAY (0x2): through a router; without it the address is on our link.
    const via = (flags! & 0x2) !== 0 ? gateway! : undefined;
    if (!best || prefix > best.prefix || (prefix === best.prefix && metric! < best.metric)) best = { gateway: via, prefix, metric: metric! };
  }
  return best?.gateway === undefined ? undefined : littleEndianToIpv4(best.gateway);
}

/** gatewayFromRouteTable on this host's table; undefined where there is no /proc/net/route (not Linux). */
export async function gatewayTowards(ip: string): Promise<string | undefined> {
  const table = await readFile('/proc/net/route', 'utf8').catch(() => undefined);
  return table === undefined ? undefined : gatewayFromRouteTable(table, ip);
}

/** /proc/net/route prints addresses as the kernel stores them: network order read as a little-endian word. */
function ipv4ToLittleEndian(ip: string): number | undefined {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return (parts[0]! | (parts[1]! << 8) | (parts[2]! << 16) | (parts[3]! << 24)) >>> 0;
}

function littleEndianToIpv4(n: number): string {
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.');
}

function popcount(n: number): number {
  let c = 0;
  for (let v = n >>> 0; v; v >>>= 1) c += v & 1;
  return c;
}
