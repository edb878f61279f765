import type DHT from 'bittorrent-dht';

/** BEP 5: a node answers with the K = 8 closest nodes it knows. */
const NODES_PER_ANSWER = 8;

/**
 * Peers per get_peers answer. bittorrent-dht sends every peer it holds for
 * the info_hash: 2,000 announces from one IP made a 95-byte get_peers draw
 * 8,279 bytes, a reflector for spoofed sources. 32 compact peers (8 bytes
 * each bencoded) keep the answer near 340 bytes, under 4x the request, and a
 * lookup still gathers peers from the several nodes it asks.
 */
export const PEERS_PER_ANSWER = 32;

/**
 * bittorrent-dht answers find_node/get_peers/get with `nodes.closest(target)`
 * and no count, i.e. its whole routing table (3.7 KB at 1,000 nodes, which
 * fragments on real links). Its own lookups pass an explicit count, so only
 * answers change.
 */
export function limitNodesPerAnswer(dht: DHT): void {
  const table = dht._rpc.nodes;
  const closest = table.closest.bind(table);
  table.closest = (id: Buffer, n?: number) => closest(id, n ?? NODES_PER_ANSWER);
}

/** get_peers answers call `_peers.get(infoHash)` with no count; record-cache then samples `n` at random. */
export function limitPeersPerAnswer(dht: DHT): void {
  const peers = dht._peers;
  const get = peers.get.bind(peers);
  peers.get = (infoHashHex: string, n?: number) => get(infoHashHex, Math.min(n ?? PEERS_PER_ANSWER, PEERS_PER_ANSWER));
}
