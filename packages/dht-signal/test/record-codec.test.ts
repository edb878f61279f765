import bencode from 'bencode';
import { p2pnode } from '@p2p-node/protos';
import { describe, expect, it } from 'vitest';
import { RecordInvalidError } from '../src/errors.js';
import { bencodedLength, MAX_BENCODED_VALUE_BYTES, signatureData } from '../src/mutable-item.js';
import { decodePeerRecord, encodePeerRecord, MAX_CLOCK_SKEW_SEC, RECORD_SALT, type RecordFields } from '../src/record-codec.js';

const NOW = 1_800_000_000;
const fields: RecordFields = {
  publicKey: new Uint8Array(32).fill(9),
  issuedAt: NOW,
  lifetime: 600,
  publicEndpoints: [{ host: '203.0.113.9', port: 443 }, { host: '2001:db8::1', port: 8443 }],
  lanEndpoints: [{ host: '10.0.0.2', port: 5000 }],
  ipv6Endpoints: [{ host: '2001:db8:7::2', port: 5000 }],
  introducers: [{ host: '198.51.100.3', port: 6881 }],
  nat: { mapping: 'sequential', publicIp: '203.0.113.9', delta: -2 },
};

/** A valid record as protobufjs takes it, to write fields the encoder would refuse. */
function encodedFields(): p2pnode.PeerRecord.$Properties {
  return { publicKey: fields.publicKey, issuedAt: fields.issuedAt, lifetime: fields.lifetime, nat: { mapping: p2pnode.MappingBehavior.MAPPING_RANDOM } };
}

function reason(f: () => unknown): string | undefined {
  try {
    f();
  } catch (err) {
    if (err instanceof RecordInvalidError) return err.reason;
    throw err;
  }
  return undefined;
}

describe('PeerRecord codec', () => {
  it('round-trips every field', () => {
    expect(decodePeerRecord(encodePeerRecord(fields), NOW)).toEqual(fields);
  });

  it('refuses bytes that are not a PeerRecord, and values out of bounds', () => {
    expect(reason(() => decodePeerRecord(Buffer.alloc(30, 0xff), NOW))).toBe('malformed');
    // An IPv4 address in the IPv6 list would be punched as if it had no NAT.
    expect(reason(() => decodePeerRecord(encodePeerRecord({ ...fields, ipv6Endpoints: [{ host: '203.0.113.9', port: 5000 }] }), NOW))).toBe('malformed');
    expect(reason(() => decodePeerRecord(Buffer.alloc(1001, 0), NOW))).toBe('too-large');
    expect(reason(() => decodePeerRecord(encodePeerRecord({ ...fields, publicKey: new Uint8Array(31) }), NOW))).toBe('malformed');
    expect(reason(() => decodePeerRecord(encodePeerRecord({ ...fields, lifetime: 0 }), NOW))).toBe('field-bounds');
    expect(reason(() => decodePeerRecord(encodePeerRecord({ ...fields, lifetime: 30 * 86400 }), NOW))).toBe('field-bounds');
    expect(reason(() => decodePeerRecord(encodePeerRecord({ ...fields, issuedAt: NOW + MAX_CLOCK_SKEW_SEC + 1 }), NOW))).toBe('issued-in-future');
    // Written past the encoder, which refuses port 0 itself.
    const portZero = { ...encodedFields(), lanEndpoints: [{ ip: Uint8Array.from([10, 0, 0, 1]), port: 0 }] };
    expect(reason(() => decodePeerRecord(p2pnode.PeerRecord.encode(portZero).finish(), NOW))).toBe('malformed');
    const shortIp = { ...encodedFields(), publicEndpoints: [{ ip: new Uint8Array(5), port: 1 }] };
    expect(reason(() => decodePeerRecord(p2pnode.PeerRecord.encode(shortIp).finish(), NOW))).toBe('malformed');
    const bigDelta = { ...encodedFields(), nat: { delta: 70_000 } };
    expect(reason(() => decodePeerRecord(p2pnode.PeerRecord.encode(bigDelta).finish(), NOW))).toBe('field-bounds');
    const many = Array.from({ length: 17 }, (_, i) => ({ host: '10.0.0.1', port: i + 1 }));
    expect(reason(() => decodePeerRecord(encodePeerRecord({ ...fields, introducers: many }), NOW))).toBe('field-bounds');
  });

  it('refuses to encode what readers would refuse', () => {
    expect(() => encodePeerRecord({ ...fields, lanEndpoints: [{ host: '10.0.0.1', port: 0 }] })).toThrow(/port outside 1-65535/);
    expect(() => encodePeerRecord({ ...fields, introducers: [{ host: 'example.com', port: 1 }] })).toThrow(/not an IP/);
    expect(() => encodePeerRecord({ ...fields, nat: { mapping: 'sequential', delta: 70_000 } })).toThrow(/not a port step/);
  });
});

describe('BEP 44 helpers', () => {
  it('signature data equals the bencoded {salt, seq, v} without its outer d...e, as storers compute it', () => {
    const v = Buffer.from('some value bytes');
    for (const seq of [0, 1, 1_764_000_000_000_000]) {
      const expected = bencode.encode({ salt: Buffer.from(RECORD_SALT), seq, v }).subarray(1, -1);
      expect(signatureData(RECORD_SALT, seq, v).equals(expected)).toBe(true);
    }
    expect(signatureData(new Uint8Array(), 5, v).equals(bencode.encode({ seq: 5, v }).subarray(1, -1))).toBe(true);
  });

  it('stays within BEP 44: a salt of at most 64 bytes, a v of at most 1,000 bytes bencoded', () => {
    expect(RECORD_SALT.length).toBeGreaterThan(0);
    expect(RECORD_SALT.length).toBeLessThanOrEqual(64);
    expect(MAX_BENCODED_VALUE_BYTES).toBe(1000);
    // A record with every list as long as a listener fills it (see records.test.ts for the refusal of bigger ones).
    const full: RecordFields = {
      ...fields,
      publicEndpoints: Array.from({ length: 4 }, (_, i) => ({ host: `198.51.100.${i + 1}`, port: 40000 + i })),
      lanEndpoints: Array.from({ length: 4 }, (_, i) => ({ host: `10.0.0.${i + 1}`, port: 40000 + i })),
      ipv6Endpoints: Array.from({ length: 4 }, (_, i) => ({ host: `2001:db8::${i + 1}`, port: 40000 + i })),
      introducers: Array.from({ length: 8 }, (_, i) => ({ host: `203.0.113.${i + 1}`, port: 6881 })),
    };
    expect(bencodedLength(encodePeerRecord(full))).toBeLessThanOrEqual(MAX_BENCODED_VALUE_BYTES);
  });

  it('measures a byte string the way bencode writes it', () => {
    for (const n of [0, 9, 10, 995, 996, 1000]) expect(bencodedLength(new Uint8Array(n))).toBe(bencode.encode(Buffer.alloc(n)).length);
  });
});
