import { parseHostPortList, type HostPort } from '@p2p-node/dht-signal';
import { CliError, ExitCode } from './exit-codes.js';

export const BOOTSTRAP_ENV = 'P2P_NODE_BOOTSTRAP';

/**
 * The bootstrap list from --bootstrap or P2P_NODE_BOOTSTRAP. There is no
 * built-in default on purpose: p2p-node never falls back to public hosts.
 */
export function resolveBootstrap(flag: string | undefined, { required }: { required: boolean }): HostPort[] {
  const text = flag ?? process.env[BOOTSTRAP_ENV];
  if (text === undefined || text.trim() === '') {
    if (required) {
      throw new CliError(`no bootstrap nodes: pass --bootstrap HOST:PORT[,HOST:PORT...] or set ${BOOTSTRAP_ENV}`, ExitCode.usage);
    }
    return [];
  }
  try {
    return parseHostPortList(text);
  } catch (err) {
    throw new CliError(`bad bootstrap list: ${(err as Error).message}`, ExitCode.usage);
  }
}

export function parsePort(text: string, what: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw new CliError(`${what} must be a port number 0-65535, got ${JSON.stringify(text)}`, ExitCode.usage);
  return n;
}

export function parsePositiveInt(text: string, what: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n <= 0 || !Number.isSafeInteger(n)) {
    throw new CliError(`${what} must be a positive whole number, got ${JSON.stringify(text)}`, ExitCode.usage);
  }
  return n;
}

/** A HOST:PORT list option that may also be `none` (an empty list). */
export function parseHostPortsOrNone(text: string, what: string): HostPort[] {
  if (text.trim() === 'none') return [];
  try {
    return parseHostPortList(text);
  } catch (err) {
    throw new CliError(`bad ${what}: ${(err as Error).message}`, ExitCode.usage);
  }
}
