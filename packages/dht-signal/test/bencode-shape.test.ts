import bencode from 'bencode';
import { describe, expect, it } from 'vitest';
import { isWellFormedBencode } from '../src/bencode-shape.js';
import { checkDatagram } from '../src/krpc-guard.js';

describe('isWellFormedBencode', () => {
  it('accepts exactly one well-formed value', () => {
    for (const ok of ['i5e', 'i-5e', '0:', '4:spam', 'le', 'de', 'd1:a1:be', 'l4:spami42ee', 'd1:ad1:bi1eee']) expect(isWellFormedBencode(Buffer.from(ok)), ok).toBe(true);
  });

  it('refuses negative or overlong lengths, bad integers, keys that are not strings, trailing bytes and deep nesting', () => {
    const bad = ['d1:al-3:ee', 'ie', 'i-e', 'i1', '4:spa', 'd1:ae', 'd1:a1:bee', 'di1e1:ae', 'd1:a1:b', 'i5ei6e', 'x', '', `${'l'.repeat(40)}${'e'.repeat(40)}`];
    for (const b of bad) expect(isWellFormedBencode(Buffer.from(b)), b).toBe(false);
  });

  it('accepts whatever the encoder writes', () => {
    for (let i = 0; i < 500; i++) {
      const v = { t: Buffer.from('aa'), y: 'q', q: 'get', a: { id: Buffer.alloc(20, i % 256), n: i - 250, l: [1, -2, Buffer.alloc(i % 50)], d: { x: { y: [] } } } };
      expect(isWellFormedBencode(bencode.encode(v))).toBe(true);
    }
  });

  it('keeps the datagram that froze bencode 2.0.3 away from it', () => {
    expect(checkDatagram(Buffer.from('d1:al-3:ee'))).toBe('not bencode');
  });
});
