import { isIP } from 'node:net';

export interface HostPort {
  host: string;
  port: number;
}

/** Parses `1.2.3.4:567` or `[::1]:567`; names are refused because a reflector list must not need DNS. */
export function parseHostPort(text: string): HostPort {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  if (!m) throw new Error(`expected HOST:PORT, got "${text}"`);
  const host = m[1]!;
  const port = Number(m[2]);
  if (isIP(host) === 0) throw new Error(`"${host}" is not an IP address`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`"${m[2]}" is not a port`);
  return { host, port };
}

export function formatHostPort({ host, port }: HostPort): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
