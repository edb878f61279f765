import { randomBytes } from 'node:crypto';
import { isIPv4 } from 'node:net';
import crc32c from 'crc-32/crc32c.js';

/**
 * BEP 42 node ids: the first 21 bits come from a CRC32-C of the node's
 * external IPv4 address (masked, mixed with 3 random bits that the id's last
 * byte carries), so a host cannot pick ids next to a key it wants to eclipse.
 * Mainline clients (libtorrent) prefer, and can insist on, ids that match the
 * address they see; a p2p-node node with a random id would rank below them.
 */

const V4_MASK = [0x03, 0x0f, 0x3f, 0xff];

/** The masked address mixed with r (0-7), as BEP 42 feeds it to CRC32-C. */
function idPrefixCrc(ip: string, r: number): number {
  const octets = ip.split('.').map(Number);
  const masked = octets.map((o, i) => o & V4_MASK[i]!);
  masked[0] = masked[0]! | ((r & 0x7) << 5);
  return crc32c.buf(Uint8Array.from(masked)) >>> 0;
}

/**
 * A BEP 42 id for `ip`: the bits BEP 42 fixes (the first 21) are derived, the
 * rest come from `base` (random by default). Its last byte is BEP 42's `rand`,
 * whose low three bits enter the CRC.
 */
export function nodeIdForIp(ip: string, base: Uint8Array = randomBytes(20)): Uint8Array {
  if (!isIPv4(ip)) throw new Error(`BEP 42 ids are derived here from an IPv4 address, got "${ip}"`);
  if (base.length !== 20) throw new Error('a DHT node id is 20 bytes');
  const id = Uint8Array.from(base);
  const crc = idPrefixCrc(ip, id[19]!);
  id[0] = (crc >>> 24) & 0xff;
  id[1] = (crc >>> 16) & 0xff;
  id[2] = ((crc >>> 8) & 0xf8) | (id[2]! & 0x07);
  return id;
}

/**
 * Addresses BEP 42 exempts: a node on a LAN or loopback has no external
 * address to derive from, and any id is acceptable there.
 */
export function isExemptFromNodeIdCheck(ip: string): boolean {
  if (!isIPv4(ip)) return true;
  const [a, b] = ip.split('.').map(Number) as [number, number];
  return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
}

/** True when `id`'s first 21 bits are what BEP 42 derives from `ip` and its last byte (exempt addresses always pass). */
export function isNodeIdValidForIp(id: Uint8Array, ip: string): boolean {
  if (id.length !== 20) return false;
  if (isExemptFromNodeIdCheck(ip)) return true;
  const crc = idPrefixCrc(ip, id[19]!);
  return id[0] === ((crc >>> 24) & 0xff) && id[1] === ((crc >>> 16) & 0xff) && (id[2]! & 0xf8) === ((crc >>> 8) & 0xf8);
}
