import bencode from 'bencode';

/** No answer of ours may be larger: one IPv4 datagram that needs no fragmentation on any real path. */
export const MAX_ANSWER_BYTES = 1200;
/** At most this many answer bytes per request byte to a source that has not proven its address. */
export const MAX_UNPROVEN_RATIO = 4;

const SENT_QUERY_MEMORY = 4096;
const PROVEN_MEMORY = 10_000;
const PROOF_TTL_MS = 15 * 60_000;
const REQUEST_MEMORY = 4096;
const NODE_INFO_BYTES = 26;

/**
 * Who has proven it receives at its source address, and how large each
 * pending query was, so an answer can be held to the reflection bounds. A
 * UDP source address can be spoofed: a `get` for a stored 1,000-byte item
 * drew 1,203 bytes from 86 (14x) to whoever the source claimed to be. A
 * host proves itself by answering a query of ours: only the real owner of
 * the address saw our random transaction id. Everyone else gets answers of
 * at most 4x their request (a p2p-node reader pads its `get` for that).
 */
export class AnswerBudget {
  /** `host:port/t` of queries we sent, in sending order. */
  private readonly sentQueries = new Set<string>();
  /** host -> proven until (ms), least recently proven first. */
  private readonly proven = new Map<string, number>();
  /** `host:port/t` -> size of the query waiting for our answer. */
  private readonly requests = new Map<string, number>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  querySent(host: string, port: number, t: Buffer): void {
    bounded(this.sentQueries, SENT_QUERY_MEMORY).add(key(host, port, t));
  }

  /** A response or error to one of our queries: its sender proved its address. */
  responseReceived(host: string, port: number, t: Buffer): void {
    const k = key(host, port, t);
    if (!this.sentQueries.delete(k)) return;
    this.proven.delete(host);
    bounded(this.proven, PROVEN_MEMORY).set(host, this.now() + PROOF_TTL_MS);
  }

  queryReceived(host: string, port: number, t: Buffer, bytes: number): void {
    bounded(this.requests, REQUEST_MEMORY).set(key(host, port, t), bytes);
  }

  /** The most an answer to that query may weigh (forgets the query). */
  budgetFor(host: string, port: number, t: Buffer): number {
    const k = key(host, port, t);
    const requestBytes = this.requests.get(k);
    this.requests.delete(k);
    if (requestBytes === undefined || this.isProven(host)) return MAX_ANSWER_BYTES;
    return Math.min(MAX_ANSWER_BYTES, MAX_UNPROVEN_RATIO * requestBytes);
  }

  isProven(host: string): boolean {
    const until = this.proven.get(host);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.proven.delete(host);
    return false;
  }
}

/**
 * The answer `message` (a decoded KRPC response) cut down to `budget` bytes:
 * first fewer `nodes` (a lookup learns them from other nodes too), then
 * without the optional `ip` hint (BEP 42), then without the put token (a
 * full 1,000-byte item with bittorrent-dht's 20-byte token comes to 1,203
 * bytes; a reader needs no token, only a writer replacing a full-size item
 * here misses it), then, if the value itself is too large, without the
 * value (`v`, `k`, `sig`, `seq`, `values`) but with nodes and token, so the
 * asker can still walk on, or prove itself and ask again. Undefined when
 * nothing fits.
 */
export function shapeAnswer(message: { r: Record<string, unknown> } & Record<string, unknown>, budget: number): Buffer | undefined {
  const { ip: _ip, ...withoutIp } = message;
  const { token: _token, ...withoutToken } = message.r;
  const { v: _v, k: _k, sig: _sig, seq: _seq, values: _values, ...withoutValue } = message.r;
  for (const r of [message.r, withoutToken, withoutValue]) {
    for (const top of [message, withoutIp]) {
      const out = fitNodes(top, r, budget);
      if (out) return out;
    }
  }
  return undefined;
}

/** `top` with answer `r`, keeping as many of r's nodes as fit in `budget`. */
function fitNodes(top: Record<string, unknown>, r: Record<string, unknown>, budget: number): Buffer | undefined {
  const nodes = Buffer.isBuffer(r.nodes) ? r.nodes : undefined;
  for (let n = nodes ? Math.floor(nodes.length / NODE_INFO_BYTES) : 0; n >= 0; n--) {
    const { nodes: _nodes, ...rest } = r;
    const out = bencode.encode({ ...top, r: n > 0 ? { ...rest, nodes: nodes!.subarray(0, n * NODE_INFO_BYTES) } : rest });
    if (out.length <= budget) return out;
  }
  return undefined;
}

function key(host: string, port: number, t: Buffer): string {
  return `${host}:${port}/${t.toString('hex')}`;
}

/** The collection, after making room for one more entry by dropping the oldest. */
function bounded<T extends Set<string> | Map<string, unknown>>(c: T, max: number): T {
  if (c.size >= max) c.delete(c.keys().next().value!);
  return c;
}
