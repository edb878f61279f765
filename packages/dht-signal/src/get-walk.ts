import type { KRpc, KrpcRemote } from 'bittorrent-dht';

export interface GetReply {
  r: Record<string, unknown>;
  peer: KrpcRemote;
}

export interface GetWalk {
  /** Settles with the number of nodes that answered, once no query is outstanding. */
  finished: Promise<number>;
  /** No new queries after this; answers already on the way are ignored. */
  stop(): void;
}

/**
 * An iterative BEP 44 `get` towards `target` using k-rpc's closest-node walk
 * directly, because bittorrent-dht's own `get` reports nothing until every
 * node on the path has answered or timed out. Callers see each reply as it
 * arrives and decide themselves when they know enough.
 */
export function walkGet(rpc: KRpc, target: Buffer, onReply: (reply: GetReply) => void): GetWalk {
  let stopped = false;
  const finished = new Promise<number>((resolve) => {
    rpc.closest(
      target,
      { q: 'get', a: { id: rpc.id, target } },
      (res, peer) => {
        if (stopped) return false;
        if (res.r) onReply({ r: res.r, peer });
        return !stopped;
      },
      (_err, count) => resolve(count),
    );
  });
  return {
    finished,
    stop: () => {
      stopped = true;
    },
  };
}

/** Kademlia distance, compared bytewise as a big-endian number. */
export function compareDistance(target: Buffer, a: Buffer, b: Buffer): number {
  for (let i = 0; i < target.length; i++) {
    const da = (a[i] ?? 0) ^ target[i]!;
    const db = (b[i] ?? 0) ^ target[i]!;
    if (da !== db) return da - db;
  }
  return 0;
}
