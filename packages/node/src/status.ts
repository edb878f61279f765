import type { Log, LogFields } from './log.js';

/*
 * The one-line status of a long-running command: every --status-interval
 * seconds and on SIGUSR1 (`systemctl reload` sends it). In text mode a line
 * for people; in json mode the same numbers as fields, beside the line.
 */

/** What a bootstrap node has done since it started. */
export interface BootstrapCounts {
  /** Nodes in the DHT routing table. */
  nodes: number;
  /** BEP 44 items this node holds for others (records). */
  records: number;
  /** Listeners registered with our introducer now. */
  registrations: number;
  /** Dial requests we forwarded that the listener answered, its answer relayed back. */
  introductions: number;
  /** Circuits the relay spliced, and those open now; undefined with --no-relay. */
  relay?: { circuits: number; open: number; bytes: number };
}

/** What a listener has done since it started. */
export interface ListenCounts {
  nodes: number;
  records: number;
  /** Connections handed over, by path. */
  direct: number;
  lan: number;
  relayed: number;
  /** Connections open now. */
  open: number;
  /** Dials answered that ended without a connection. */
  failed: number;
  /** Application bytes over all connections, both directions. */
  bytesIn: number;
  bytesOut: number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** 512 B, 3.4 KiB, 1.2 MiB, 5.0 GiB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/** 45s, 12m05s, 2h03m, 3d04h. */
export function formatUptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${pad(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86400)}d${pad(Math.floor(s / 3600) % 24)}h`;
}

export function bootstrapStatus(c: BootstrapCounts, uptimeMs: number): { line: string; fields: LogFields } {
  const relay = c.relay
    ? `${plural(c.relay.circuits, 'circuit')} relayed (${c.relay.open} open), ${formatBytes(c.relay.bytes)} relayed`
    : 'relay off';
  const line = `status: ${plural(c.nodes, 'node')} in table, ${plural(c.records, 'record')} stored, ${plural(c.registrations, 'listener')} registered, ${plural(c.introductions, 'introduction')} relayed, ${relay}, up ${formatUptime(uptimeMs)}`;
  const fields: LogFields = {
    event: 'status',
    nodes: c.nodes,
    records: c.records,
    registrations: c.registrations,
    introductions: c.introductions,
    ...(c.relay ? { circuits: c.relay.circuits, circuitsOpen: c.relay.open, relayedBytes: c.relay.bytes } : {}),
    uptimeSec: Math.floor(uptimeMs / 1000),
  };
  return { line, fields };
}

export function listenStatus(c: ListenCounts, uptimeMs: number): { line: string; fields: LogFields } {
  const total = c.direct + c.lan + c.relayed;
  const line =
    `status: ${plural(c.nodes, 'node')} in table, ${plural(c.records, 'record')} stored, ` +
    `${plural(total, 'connection')} (${c.direct} direct, ${c.lan} lan, ${c.relayed} relayed; ${c.open} open), ${c.failed} failed, ` +
    `${formatBytes(c.bytesIn)} in / ${formatBytes(c.bytesOut)} out, up ${formatUptime(uptimeMs)}`;
  const fields: LogFields = {
    event: 'status',
    nodes: c.nodes,
    records: c.records,
    connections: total,
    direct: c.direct,
    lan: c.lan,
    relayed: c.relayed,
    open: c.open,
    failed: c.failed,
    bytesIn: c.bytesIn,
    bytesOut: c.bytesOut,
    uptimeSec: Math.floor(uptimeMs / 1000),
  };
  return { line, fields };
}

/**
 * Logs `status()` every `intervalSec` (0: never by itself) and on each
 * SIGUSR1, from now on; "status: starting" while it returns undefined. The handler also keeps SIGUSR1 from doing what it
 * does to a Node process by default (start the inspector), so install this
 * before announcing readiness. Returns the function that stops it.
 */
export function reportStatus(log: Log, intervalSec: number, status: () => { line: string; fields: LogFields } | undefined): () => void {
  let stopped = false;
  const print = (): void => {
    if (stopped) return;
    try {
      const { line, fields } = status() ?? { line: 'status: starting', fields: { event: 'status', starting: true } };
      log.info(line, fields);
    } catch (err) {
      // A status line is never worth the process.
      log.warn(`status: ${(err as Error).message}`);
    }
  };
  process.on('SIGUSR1', print);
  const timer = intervalSec > 0 ? setInterval(print, intervalSec * 1000) : undefined;
  timer?.unref();
  return () => {
    stopped = true;
    // The handler stays until exit, doing nothing: a SIGUSR1 while stopping must not start the inspector.
    if (timer) clearInterval(timer);
  };
}
