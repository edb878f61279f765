import type { DhtNode } from '@p2p-node/dht-signal';
import type { Log } from './log.js';
import { type NodeState, rememberNodeState } from './node-state.js';

/**
 * A bootstrap node is the longest-lived node there is: with `--state` it
 * keeps its DHT node id across restarts (others' tables and the records they
 * hold near it know it by that id). Its public address is rarely the one it
 * binds (0.0.0.0), so once it has peers it asks them, and takes an id valid
 * for that address (BEP 42) when its own is not. Runs in the background: the
 * node serves meanwhile, and a failure only leaves the id as it was.
 */
export async function keepBootstrapNodeId(node: DhtNode, statePath: string | undefined, saved: NodeState | undefined, log: Log): Promise<void> {
  const warn = (why: string) => log.warn(`warning: ${why}`);
  const current = (externalIp?: string): NodeState => ({ nodeId: node.nodeId(), ...(externalIp ? { externalIp } : {}) });
  let written = saved;
  if (statePath) {
    const atStart = current(saved?.externalIp);
    await rememberNodeState(statePath, written, atStart, warn);
    written = atStart;
  }
  let externalIp: string;
  try {
    externalIp = (await node.observedAddress()).host;
  } catch (err) {
    log.debug(`public address not learnt from peers: ${(err as Error).message}`);
    return;
  }
  if (node.stopped) return;
  if (node.adoptExternalIp(externalIp)) {
    log.info(`dht node id ${Buffer.from(node.nodeId()).toString('hex').slice(0, 8)}... derived from public IP ${externalIp} (BEP 42)`, { nodeId: Buffer.from(node.nodeId()).toString('hex'), externalIp });
  }
  if (statePath) await rememberNodeState(statePath, written, current(externalIp), warn);
}
