import { createHash } from 'node:crypto';

/** BEP 44: storers drop items whose bencoded `v` is longer than this. */
export const MAX_BENCODED_VALUE_BYTES = 1000;

/** The DHT key of a mutable item: sha1(k || salt). */
export function mutableTarget(publicKey: Uint8Array, salt: Uint8Array): Buffer {
  return createHash('sha1').update(publicKey).update(salt).digest();
}

/** Size of a byte string once bencoded ("<len>:<bytes>"). */
export function bencodedLength(v: Uint8Array): number {
  return String(v.length).length + 1 + v.length;
}

/**
 * The bytes a BEP 44 signature covers: the bencoded dict {salt, seq, v}
 * without its outer "d" and "e" (salt only when not empty), keys sorted.
 * Written out by hand because it is three fixed keys, and it must match
 * bittorrent-dht's encodeSigData byte for byte.
 */
export function signatureData(salt: Uint8Array, seq: number, v: Uint8Array): Buffer {
  if (!Number.isSafeInteger(seq) || seq < 0) throw new Error(`seq must be a non-negative safe integer, got ${seq}`);
  const parts: Buffer[] = [];
  if (salt.length > 0) parts.push(Buffer.from(`4:salt${salt.length}:`), Buffer.from(salt));
  parts.push(Buffer.from(`3:seqi${seq}e1:v${v.length}:`), Buffer.from(v));
  return Buffer.concat(parts);
}
