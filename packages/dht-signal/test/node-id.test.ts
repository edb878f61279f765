import { describe, expect, it } from 'vitest';
import { isExemptFromNodeIdCheck, isNodeIdValidForIp, nodeIdForIp } from '../src/node-id.js';

// BEP 42's published examples: IP, and a node id valid for it (its last byte is `rand`).
const BEP42_EXAMPLES: Array<[string, string]> = [
  ['124.31.75.21', '5fbfbff10c5d6a4ec8a88e4c6ab4c28b95eee401'],
  ['21.75.31.124', '5a3ce9c14e7a08645677bbd1cfe7d8f956d53256'],
  ['65.23.51.170', 'a5d43220bc8f112a3d426c84764f8c2a1150e616'],
  ['84.124.73.14', '1b0321dd1bb1fe518101ceef99462b947a01ff41'],
  ['43.213.53.83', 'e56f6cbf5b7c4be0237986d5243b87aa6d51305a'],
];

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('BEP 42 node ids', () => {
  it('accepts each of BEP 42 examples for its own address and rebuilds it from its free bits', () => {
    for (const [ip, idHex] of BEP42_EXAMPLES) {
      const id = Buffer.from(idHex, 'hex');
      expect(isNodeIdValidForIp(id, ip), ip).toBe(true);
      // The derived bits overwrite only the first 21: starting from the example itself must give it back.
      expect(hex(nodeIdForIp(ip, id)), ip).toBe(idHex);
      // Starting from zeros with the same rand byte, the first 21 bits still match the example's.
      const fromZeros = nodeIdForIp(ip, Uint8Array.from({ length: 20 }, (_, i) => (i === 19 ? id[19]! : 0)));
      expect(hex(fromZeros.subarray(0, 2)), ip).toBe(idHex.slice(0, 4));
      expect(fromZeros[2]! & 0xf8, ip).toBe(id[2]! & 0xf8);
    }
  });

  it('refuses an example id for another example address, and for its own address with another rand byte', () => {
    for (let i = 0; i < BEP42_EXAMPLES.length; i++) {
      const [, idHex] = BEP42_EXAMPLES[i]!;
      const [otherIp] = BEP42_EXAMPLES[(i + 1) % BEP42_EXAMPLES.length]!;
      expect(isNodeIdValidForIp(Buffer.from(idHex, 'hex'), otherIp)).toBe(false);
    }
    const [ip, idHex] = BEP42_EXAMPLES[0]!;
    const otherRand = Buffer.from(idHex, 'hex');
    otherRand[19] = otherRand[19]! ^ 0x07; // the low three bits enter the CRC
    expect(isNodeIdValidForIp(otherRand, ip)).toBe(false);
    const highBitsOnly = Buffer.from(idHex, 'hex');
    highBitsOnly[19] = highBitsOnly[19]! ^ 0xf0; // the high five do not
    expect(isNodeIdValidForIp(highBitsOnly, ip)).toBe(true);
  });

  it('derives valid ids for the lab addresses, random in the free bits', () => {
    for (const ip of ['203.0.113.1', '198.51.100.77', '203.0.113.254']) {
      const a = nodeIdForIp(ip);
      const b = nodeIdForIp(ip);
      expect(isNodeIdValidForIp(a, ip)).toBe(true);
      expect(isNodeIdValidForIp(b, ip)).toBe(true);
      expect(hex(a)).not.toBe(hex(b));
    }
  });

  it('exempts LAN and loopback addresses (any id passes) and checks public ones', () => {
    const random = Buffer.alloc(20, 0xab);
    for (const ip of ['10.1.2.3', '127.0.0.1', '172.16.0.9', '172.31.255.1', '192.168.1.1', '169.254.3.4']) {
      expect(isExemptFromNodeIdCheck(ip), ip).toBe(true);
      expect(isNodeIdValidForIp(random, ip), ip).toBe(true);
    }
    for (const ip of ['172.32.0.1', '11.0.0.1', '203.0.113.5']) expect(isExemptFromNodeIdCheck(ip), ip).toBe(false);
    expect(isNodeIdValidForIp(Buffer.alloc(19), '10.0.0.1')).toBe(false);
  });

  it('refuses to derive from what is not an IPv4 address, or from a base of the wrong size', () => {
    expect(() => nodeIdForIp('2001:db8::1')).toThrow(/IPv4/);
    expect(() => nodeIdForIp('example.org')).toThrow(/IPv4/);
    expect(() => nodeIdForIp('203.0.113.1', new Uint8Array(19))).toThrow(/20 bytes/);
  });
});
