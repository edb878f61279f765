// A private DHT on 127.0.0.1 for tests: real UDP sockets, in one process.
import { DhtNode, type DhtNodeOptions } from '../src/dht-node.js';

export const LOOPBACK = '127.0.0.1';
/** Short query timeout: every dead node would otherwise cost bittorrent-dht's 2 s. */
export const TEST_QUERY_TIMEOUT_MS = 300;

export async function startSwarm(size: number, extra: Partial<DhtNodeOptions> = {}): Promise<DhtNode[]> {
  const base = { host: LOOPBACK, port: 0, queryTimeoutMs: TEST_QUERY_TIMEOUT_MS, waitForFullBootstrap: true, ...extra };
  const first = await DhtNode.start({ ...base, bootstrap: [] });
  const rest: DhtNode[] = [];
  // Batches, so later nodes find earlier ones through more than the one bootstrap.
  for (let i = 1; i < size; i += 10) {
    const batch = Math.min(10, size - i);
    const seeds = [first, ...rest.slice(-3)].map((n) => n.address());
    rest.push(
      ...(await Promise.all(
        Array.from({ length: batch }, () =>
          DhtNode.start({ ...base, bootstrap: seeds }),
        ),
      )),
    );
  }
  return [first, ...rest];
}

export async function stopAll(nodes: DhtNode[]): Promise<void> {
  await Promise.all(nodes.map((n) => n.stop()));
}

/** XOR distance between two node ids as a bigint, to pick a node far from another. */
export function xorDistance(a: Uint8Array, b: Uint8Array): bigint {
  let d = 0n;
  for (let i = 0; i < a.length; i++) d = (d << 8n) | BigInt(a[i]! ^ b[i]!);
  return d;
}

export function farthestFrom(origin: DhtNode, nodes: DhtNode[]): DhtNode {
  return nodes
    .filter((n) => n !== origin)
    .reduce((best, n) => (xorDistance(n.nodeId(), origin.nodeId()) > xorDistance(best.nodeId(), origin.nodeId()) ? n : best));
}
