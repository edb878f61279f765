import { stat } from 'node:fs/promises';
import { isIP } from 'node:net';
import { MAX_LIFETIME_SEC, parseHostPortList, type HostPort } from '@p2p-node/dht-signal';
import { CliError, ExitCode } from './exit-codes.js';

/*
 * Every option is parsed here, before a command opens a socket or touches a
 * file: a bad value is a usage error (exit 2) on one line, never a failure
 * deep inside the DHT with a socket left open.
 */

export const BOOTSTRAP_ENV = 'P2P_NODE_BOOTSTRAP';
/** setTimeout's ceiling: a longer delay silently becomes 1 ms (with a warning), so a timer loop would spin. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

const usage = (message: string) => new CliError(message, ExitCode.usage);
const quote = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);

/**
 * The bootstrap list from --bootstrap or P2P_NODE_BOOTSTRAP. There is no
 * built-in default on purpose: p2p-node never falls back to public hosts.
 * DHT nodes must be IPv4 (bittorrent-dht's KRPC is IPv4 only) unless
 * `anyFamily`, for lists used only as TCP reflectors.
 */
export function resolveBootstrap(flag: string | undefined, { required, anyFamily = false }: { required: boolean; anyFamily?: boolean }): HostPort[] {
  const text = flag ?? process.env[BOOTSTRAP_ENV];
  if (text === undefined || text.trim() === '') {
    if (required) throw usage(`no bootstrap nodes: pass --bootstrap HOST:PORT[,HOST:PORT...] or set ${BOOTSTRAP_ENV}`);
    return [];
  }
  const list = parseList(text, 'bootstrap list');
  if (!anyFamily) requireIpv4(list, 'bootstrap list');
  return list;
}

/** A HOST:PORT list of DHT nodes that may also be `none` (an empty list). */
export function parseHostPortsOrNone(text: string, what: string): HostPort[] {
  if (text.trim() === 'none') return [];
  const list = parseList(text, what);
  requireIpv4(list, what);
  return list;
}

function parseList(text: string, what: string): HostPort[] {
  try {
    return parseHostPortList(text);
  } catch (err) {
    throw usage(`bad ${what}: ${(err as Error).message}`);
  }
}

function requireIpv4(list: HostPort[], what: string): void {
  const v6 = list.find((hp) => isIP(hp.host) !== 4);
  if (v6) throw usage(`bad ${what}: [${v6.host}]:${v6.port} is IPv6; IPv6 DHT nodes are not supported (bittorrent-dht speaks IPv4 only)`);
}

/** An IPv4 address to bind the DHT's UDP socket to. */
export function parseBindHost(text: string, what: string): string {
  if (isIP(text) !== 4) throw usage(`${what} must be an IPv4 address of this host (the DHT speaks IPv4 only), got ${quote(text)}`);
  return text;
}

/** A port number; `min` 1 where 0 ("any free port") makes no sense, e.g. a port to advertise. */
export function parsePort(text: string, what: string, { min = 0 }: { min?: number } = {}): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > 65535) throw usage(`${what} must be a port number ${min}-65535, got ${quote(text)}`);
  return n;
}

export function parsePositiveInt(text: string, what: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n <= 0 || n > max) throw usage(`${what} must be a whole number 1-${max}, got ${quote(text)}`);
  return n;
}

/** A delay in milliseconds that a timer can hold. */
export function parseTimerMs(text: string, what: string): number {
  return parsePositiveInt(text, what, MAX_TIMER_MS);
}

/** --lifetime and --republish (seconds): a lifetime records allow, a republish period a timer can hold and shorter than the lifetime. */
export function parseRepublishing(lifetimeText: string, republishText: string): { lifetimeSec: number; republishSec: number } {
  const lifetimeSec = parsePositiveInt(lifetimeText, '--lifetime', MAX_LIFETIME_SEC);
  const republishSec = parsePositiveInt(republishText, '--republish', Math.floor(MAX_TIMER_MS / 1000));
  if (republishSec >= lifetimeSec) {
    throw usage(`--republish (${republishSec} s) must be shorter than --lifetime (${lifetimeSec} s), or the record expires between republishes`);
  }
  return { lifetimeSec, republishSec };
}

/**
 * A file the command will write (state, memory): an empty path or a folder
 * is a usage error before any socket opens, not a warning after the work.
 * `alternative` says how to do without it.
 */
export async function checkFilePathOption(path: string, flag: string, alternative: string): Promise<string> {
  if (path === '') throw usage(`${flag} needs a file path (${alternative})`);
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) throw usage(`${flag} ${path} is a folder; name a file in it (${alternative})`);
  return path;
}
