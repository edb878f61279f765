import type { HostPort, Identity } from '@p2p-node/dht-signal';
import { parseBindHost, parseTimerMs, resolveBootstrap } from './cli-args.js';
import { PeerNode } from './peer-node.js';

/** What `listen` and `dial` share, as given on the command line. */
export interface PeerCliOptions {
  bootstrap?: string;
  host: string;
  queryTimeout?: string;
}

/** The same, checked: parse before reading keys or binding sockets. */
export interface PeerCliConfig {
  bootstrap: HostPort[];
  host: string;
  queryTimeoutMs?: number;
  /** See PeerNodeOptions. */
  dhtReadOnly?: boolean;
  dhtNodeId?: Uint8Array;
  externalIp?: string;
}

export const logErr = (s: string): void => void process.stderr.write(`${s}\n`);

export function parsePeerCliOptions(opts: PeerCliOptions): PeerCliConfig {
  return {
    bootstrap: resolveBootstrap(opts.bootstrap, { required: true }),
    host: parseBindHost(opts.host, '--host'),
    ...(opts.queryTimeout !== undefined ? { queryTimeoutMs: parseTimerMs(opts.queryTimeout, '--query-timeout') } : {}),
  };
}

/** A PeerNode whose progress goes to stderr (or to `onProgress`: `listen` logs it through its logger). */
export function createCliPeer(
  identity: Identity,
  config: PeerCliConfig,
  onProgress: (phase: string, detail: string) => void = (phase, detail) => logErr(`${phase}: ${detail}`),
): Promise<PeerNode> {
  return PeerNode.create({ identity, ...config, onProgress });
}
