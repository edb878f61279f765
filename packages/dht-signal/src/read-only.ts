import type { KRpc, KrpcMessage, KrpcPeer } from 'bittorrent-dht';

/**
 * BEP 43 read-only nodes. A node that will not stay (a `lookup`, a `dial`
 * process) sets `ro: 1` in every query it sends, so that others do not put
 * it in their routing tables: once it exits, a table entry would be a dead
 * contact that every lookup through that table waits a query timeout on
 * (libtorrent kept asking dead lookup ports for 15 s). Every p2p-node node
 * honours the flag from others, whatever its own mode.
 */

interface SendingSocket {
  send(peer: KrpcPeer, message: Record<string, unknown>, cb?: () => void): void;
}

interface AddingRpc {
  _addNode(node: KrpcPeer): void;
}

/** True for a query whose sender says it is read-only (BEP 43: a top-level `ro` of 1). */
export function isReadOnlyQuery(query: KrpcMessage): boolean {
  return (query as { ro?: unknown }).ro === 1;
}

/**
 * k-rpc-socket builds each query afresh from `q` and `a` alone, so the flag
 * is added where every query (and its retransmissions) leaves: its send.
 */
export function markQueriesReadOnly(rpc: KRpc): void {
  const socket = rpc.socket as unknown as SendingSocket;
  const send = socket.send.bind(socket);
  socket.send = (peer, message, cb) => {
    if (message.y === 'q') message.ro = 1;
    send(peer, message, cb);
  };
}

/**
 * k-rpc adds the sender of every query to the table before anyone else sees
 * the query. Listeners run in order, so one placed before k-rpc's marks a
 * read-only query and one placed after clears the mark; in between, k-rpc's
 * add is skipped. A read-only node already in the table (it was not, once)
 * stays until it fails a ping like any other.
 */
export function honourReadOnlyQueries(rpc: KRpc): void {
  let fromReadOnly = false;
  rpc.socket.prependListener('query', (query: KrpcMessage) => {
    fromReadOnly = isReadOnlyQuery(query);
  });
  rpc.socket.on('query', () => {
    fromReadOnly = false;
  });
  const adding = rpc as unknown as AddingRpc;
  const addNode = adding._addNode.bind(rpc);
  adding._addNode = (node) => {
    if (!fromReadOnly) addNode(node);
  };
}
