/**
 * Whether `buf` is exactly one well-formed bencoded value, checked in one
 * linear pass without building anything. bencode 2.0.3 (the decoder
 * k-rpc-socket, and so bittorrent-dht, uses) trusts string lengths: a
 * negative one moves its read position backwards, and the 10-byte datagram
 * `d1:al-3:ee` kept it looping forever, freezing the whole node (found by
 * bench/soak.mjs). Only what passes here is handed to it.
 */
export function isWellFormedBencode(buf: Buffer, maxDepth = 32): boolean {
  /** Open containers: a list, or a dictionary waiting for a key or for that key's value. */
  const open: ('list' | 'key' | 'value')[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const c = buf[pos]!;
    const top = open[open.length - 1];
    if (c === E) {
      // A dictionary may only end where a key would start.
      if (top === undefined || top === 'value') return false;
      open.pop();
      pos++;
    } else if (top === 'key' && !isDigit(c)) {
      return false;
    } else if (c === D || c === L) {
      if (open.length >= maxDepth) return false;
      open.push(c === D ? 'key' : 'list');
      pos++;
      continue;
    } else if (c === I) {
      let end = pos + 1;
      if (buf[end] === MINUS) end++;
      const digitsFrom = end;
      while (end < buf.length && isDigit(buf[end]!)) end++;
      if (end === digitsFrom || end - digitsFrom > 20 || buf[end] !== E) return false;
      pos = end + 1;
    } else if (isDigit(c)) {
      let end = pos;
      let length = 0;
      // At most 7 digits: no datagram holds a longer string.
      while (end < buf.length && isDigit(buf[end]!) && end - pos < 7) length = length * 10 + (buf[end++]! - ZERO);
      if (buf[end] !== COLON) return false;
      pos = end + 1 + length;
      if (pos > buf.length) return false;
    } else {
      return false;
    }
    // A value (or key) is complete: the whole input, or the next step in its dictionary.
    if (open.length === 0) return pos === buf.length;
    const parent = open.length - 1;
    if (open[parent] === 'key') open[parent] = 'value';
    else if (open[parent] === 'value') open[parent] = 'key';
  }
  return false;
}

const D = 0x64;
const L = 0x6c;
const I = 0x69;
const E = 0x65;
const COLON = 0x3a;
const MINUS = 0x2d;
const ZERO = 0x30;

function isDigit(c: number): boolean {
  return c >= ZERO && c <= ZERO + 9;
}
