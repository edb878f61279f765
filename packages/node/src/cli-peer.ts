import type { Identity } from '@p2p-node/dht-signal';
import { parsePositiveInt, resolveBootstrap } from './cli-args.js';
import { PeerNode } from './peer-node.js';

/** What `listen` and `dial` share: options to a PeerNode whose progress goes to stderr. */
export interface PeerCliOptions {
  bootstrap?: string;
  host: string;
  queryTimeout?: string;
}

export const logErr = (s: string): void => void process.stderr.write(`${s}\n`);

export function createCliPeer(identity: Identity, opts: PeerCliOptions): Promise<PeerNode> {
  return PeerNode.create({
    identity,
    bootstrap: resolveBootstrap(opts.bootstrap, { required: true }),
    host: opts.host,
    ...(opts.queryTimeout ? { queryTimeoutMs: parsePositiveInt(opts.queryTimeout, '--query-timeout') } : {}),
    onProgress: (phase, detail) => logErr(`${phase}: ${detail}`),
  });
}
