import { isIP } from 'node:net';

/** A textual IP address and a port: the one address shape every package passes around. */
export interface HostPort {
  host: string;
  port: number;
}

/**
 * Parses "127.0.0.1:6881,[::1]:7000". Hosts must be IP literals: resolving
 * names would let a typo leak queries to whatever the name points at, and a
 * reflector list must not need DNS.
 */
export function parseHostPortList(s: string): HostPort[] {
  if (typeof s !== 'string' || s.trim() === '') throw new Error('empty host:port list');
  return s.split(',').map((item) => parseHostPort(item.trim()));
}

/** Parses `1.2.3.4:567` or `[::1]:567`. */
export function parseHostPort(item: string): HostPort {
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(item) ?? /^([^:[\]]+):(\d+)$/.exec(item);
  if (!match) throw new Error(`"${item}" is not HOST:PORT (IPv6 as [addr]:port)`);
  const host = match[1]!;
  const port = Number(match[2]);
  if (isIP(host) === 0) throw new Error(`"${host}" in "${item}" is not an IP address`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`port ${match[2]} in "${item}" is not in 1-65535`);
  return { host, port };
}

export function formatHostPort(hp: HostPort): string {
  return isIP(hp.host) === 6 ? `[${hp.host}]:${hp.port}` : `${hp.host}:${hp.port}`;
}
