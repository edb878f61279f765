import type { KRpc, KrpcError, KrpcPeer, KrpcRemote } from 'bittorrent-dht';

export interface GetReply {
  r: Record<string, unknown>;
  peer: KrpcRemote;
}

export interface GetWalk {
  /** Settles with the number of nodes that answered, once the walk has ended or was stopped. */
  finished: Promise<number>;
  /** Cancels the queries still in flight and sends no more. */
  stop(): void;
  /** Nodes sent a query so far. */
  asked(): number;
}

export interface WalkOptions {
  /** Queries in flight at once; default 8. */
  parallel?: number;
  /**
   * A query unanswered this long no longer holds a slot, so one dead node
   * does not slow the walk; it may still answer until its timeout.
   */
  stallMs?: number;
}

interface Candidate {
  peer: KrpcPeer;
  state: 'new' | 'pending' | 'done' | 'failed';
  sentAt: number;
  tid: number;
}

const NODE_INFO_BYTES = 26;
/** Brings a get (86 bytes bare) to over 300: 4x that covers the largest answer, 1,200 bytes. */
const GET_PADDING = Buffer.alloc(224);

/**
 * An iterative BEP 44 `get` towards `target`. bittorrent-dht's own `get`
 * (k-rpc's closest walk) reports nothing until every node on the path has
 * answered or timed out, cannot be stopped, and keeps its queries to dead
 * nodes in k-rpc's shared concurrency slots after its caller lost interest,
 * which then delays the next put. This walk hands each reply to the caller
 * as it arrives, and stop() cancels whatever is still in flight.
 *
 * It ends when the k closest candidates that did not fail have answered.
 */
export function walkGet(rpc: KRpc, target: Buffer, onReply: (reply: GetReply) => void, opts: WalkOptions = {}): GetWalk {
  const parallel = opts.parallel ?? 8;
  const stallMs = opts.stallMs ?? 200;
  const candidates = new Map<string, Candidate>();
  let answered = 0;
  let asked = 0;
  let stopped = false;
  let finish: (n: number) => void = () => {};
  const finished = new Promise<number>((resolve) => {
    finish = resolve;
  });
  // Padded so that a full-size answer stays within 4x of the request: a node
  // we never queried answers an unpadded get with at most 4x its size, which
  // leaves out a large stored value (see answer-budget.ts). Unknown keys are
  // ignored by every BEP 5 node.
  const message = { q: 'get', a: { id: rpc.id, target, pad: GET_PADDING } };

  const add = (peer: KrpcPeer): void => {
    const key = `${peer.host}:${peer.port}`;
    if (!candidates.has(key)) candidates.set(key, { peer, state: 'new', sentAt: 0, tid: 0 });
  };

  const send = (c: Candidate): void => {
    asked++;
    c.state = 'pending';
    c.sentAt = Date.now();
    c.tid = rpc.socket.query(c.peer, message, (err, res) => onAnswer(c, err, res?.r));
  };

  const onAnswer = (c: Candidate, err: KrpcError | null, r: Record<string, unknown> | undefined): void => {
    if (c.state !== 'pending') return;
    if (err || !r) {
      c.state = 'failed';
      // Like k-rpc: a node that timed out or changed its id leaves the routing table (a cancelled query proves nothing).
      const gone = err?.code === 'ETIMEDOUT' || err?.code === 'EUNEXPECTEDNODE';
      if (gone && c.peer.id && rpc.nodes.get(c.peer.id)) rpc.nodes.remove(c.peer.id);
    } else {
      c.state = 'done';
      answered++;
      if (Buffer.isBuffer(r.nodes)) for (const peer of parseNodes(r.nodes, rpc.id)) add(peer);
      if (!stopped) onReply({ r, peer: { host: c.peer.host, port: c.peer.port, ...(c.peer.id ? { id: c.peer.id } : {}) } });
    }
    kick();
  };

  const kick = (): void => {
    if (stopped) return;
    // Sending on a closed dgram socket throws, and kick also runs from a timer.
    if (rpc.destroyed) return end();
    const now = Date.now();
    const stalled = (c: Candidate): boolean => c.state === 'pending' && now - c.sentAt >= stallMs;
    // Stalled nodes step aside so the walk can reach the next closest ones.
    const usable = [...candidates.values()].filter((c) => c.state !== 'failed' && !stalled(c));
    usable.sort((a, b) => compareDistance(target, a.peer.id, b.peer.id));
    const closest = usable.slice(0, rpc.k);
    let active = closest.filter((c) => c.state === 'pending').length;
    for (const c of closest) {
      if (active >= parallel) break;
      if (c.state === 'new') {
        send(c);
        active++;
      }
    }
    // The walk itself waits for stalled queries to answer or time out; callers that
    // know enough earlier (WalkProgress) stop it.
    const anyPending = [...candidates.values()].some((c) => c.state === 'pending');
    if (!anyPending && closest.every((c) => c.state === 'done')) end();
  };

  const end = (): void => {
    if (stopped) return;
    stopped = true;
    clearInterval(stallTimer);
    if (!rpc.destroyed) for (const c of candidates.values()) if (c.state === 'pending') rpc.socket.cancel(c.tid);
    finish(answered);
  };

  // Stalled queries free their slot by time passing, not by an event.
  const stallTimer = setInterval(kick, Math.max(10, stallMs / 2));
  for (const peer of rpc.nodes.closest(target, rpc.k)) add(peer);
  // The same rule as k-rpc: a table smaller than the bootstrap list asks the bootstrap nodes too.
  if (candidates.size < Math.max(1, rpc.bootstrap.length)) for (const peer of rpc.bootstrap) add({ host: peer.host, port: peer.port });
  process.nextTick(kick);

  return { finished, stop: end, asked: () => asked };
}

function parseNodes(buf: Buffer, selfId: Buffer): KrpcPeer[] {
  const peers: KrpcPeer[] = [];
  for (let i = 0; i + NODE_INFO_BYTES <= buf.length; i += NODE_INFO_BYTES) {
    const id = Buffer.from(buf.subarray(i, i + 20));
    const port = buf.readUInt16BE(i + 24);
    if (port === 0 || id.equals(selfId)) continue;
    peers.push({ id, host: `${buf[i + 20]}.${buf[i + 21]}.${buf[i + 22]}.${buf[i + 23]}`, port });
  }
  return peers;
}

/** Kademlia distance, compared bytewise as a big-endian number; nodes of unknown id (bootstrap) sort last. */
export function compareDistance(target: Buffer, a: Buffer | undefined, b: Buffer | undefined): number {
  if (!a || !b) return (a ? 0 : 1) - (b ? 0 : 1);
  for (let i = 0; i < target.length; i++) {
    const da = (a[i] ?? 0) ^ target[i]!;
    const db = (b[i] ?? 0) ^ target[i]!;
    if (da !== db) return da - db;
  }
  return 0;
}
