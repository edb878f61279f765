import { describe, expect, it } from 'vitest';
import { decodeBounded, p2pnode, WireDecodeError, endpointFromWire, formatHostPort, ipToBytes, bytesToIp } from '@p2p-node/protos';
import { reasonOf } from './reason-of.js';

const record = (extra: Partial<p2pnode.PeerRecord.$Properties> = {}) =>
  p2pnode.PeerRecord.encode({ publicKey: new Uint8Array(32).fill(7), issuedAt: 1_800_000_000, lifetime: 600, ...extra }).finish();

describe('decodeBounded', () => {
  it('round-trips a record', () => {
    const bytes = record({ publicEndpoints: [{ ip: ipToBytes('203.0.113.7'), port: 4000 }] });
    const got = decodeBounded(p2pnode.PeerRecord, bytes);
    expect(got.issuedAt).toBe(1_800_000_000);
    expect(formatHostPort(endpointFromWire(got.publicEndpoints[0]!, 'endpoint'))).toBe('203.0.113.7:4000');
  });

  it('refuses oversized input before decoding it', () => {
    expect(reasonOf(() => decodeBounded(p2pnode.PeerRecord, new Uint8Array(1001)))).toBe('too-large');
  });

  it('refuses truncated and garbage bytes with a typed error', () => {
    const good = record();
    expect(reasonOf(() => decodeBounded(p2pnode.PeerRecord, good.subarray(0, good.length - 1)))).toBe('malformed');
    expect(reasonOf(() => decodeBounded(p2pnode.PeerRecord, Buffer.from('ffffffffffffffffff', 'hex')))).toBe('malformed');
  });

  it('refuses too many repeated entries and overlong fields', () => {
    const many = Array.from({ length: 17 }, (_, i) => ({ ip: ipToBytes('10.0.0.1'), port: i }));
    expect(reasonOf(() => decodeBounded(p2pnode.PeerRecord, record({ lanEndpoints: many })))).toBe('field-bounds');
    expect(reasonOf(() => decodeBounded(p2pnode.PeerRecord, record({ publicKey: new Uint8Array(300) })))).toBe('field-bounds');
  });

  it('survives random bytes without throwing anything but WireDecodeError', () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    let refused = 0;
    const otherErrors: unknown[] = [];
    for (let i = 0; i < 2000; i++) {
      const bytes = Uint8Array.from({ length: 1 + (i % 200) }, rand);
      try {
        decodeBounded(p2pnode.PeerRecord, bytes);
      } catch (err) {
        if (err instanceof WireDecodeError) refused++;
        else otherErrors.push(err);
      }
    }
    expect(otherErrors).toEqual([]);
    // Most random bytes are no valid record: the check above saw real throws.
    expect(refused).toBeGreaterThan(1000);
  });
});

describe('endpoint helpers', () => {
  it('packs and unpacks IPv4 and IPv6', () => {
    expect(bytesToIp(ipToBytes('198.51.100.23'))).toBe('198.51.100.23');
    expect(bytesToIp(ipToBytes('::1'))).toBe('::1');
    expect(ipToBytes('2001:db8::1').length).toBe(16);
    expect(() => ipToBytes('example.com')).toThrow(/not an IP/);
  });
});
