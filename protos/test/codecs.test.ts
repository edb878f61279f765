import { describe, expect, it } from 'vitest';
import { endpointFromWire, endpointToWire, natInfoFromWire, natInfoToWire, p2pnode } from '@p2p-node/protos';
import { reasonOf } from './reason-of.js';

describe('endpoint codec', () => {
  it('round-trips IPv4 and IPv6 through the wire message', () => {
    for (const hp of [{ host: '203.0.113.7', port: 1 }, { host: '2001:db8::1', port: 65535 }]) {
      const bytes = p2pnode.Endpoint.encode(endpointToWire(hp)).finish();
      expect(endpointFromWire(p2pnode.Endpoint.decode(bytes), 'e')).toEqual(hp);
    }
  });

  it('refuses to write what a reader would refuse', () => {
    expect(() => endpointToWire({ host: '10.0.0.1', port: 0 })).toThrow(/port outside 1-65535/);
    expect(() => endpointToWire({ host: '10.0.0.1', port: 1.5 })).toThrow(/port outside/);
    expect(() => endpointToWire({ host: 'localhost', port: 1 })).toThrow(/not an IP/);
  });

  it('refuses a stranger\'s bad endpoint, naming it', () => {
    expect(reasonOf(() => endpointFromWire({ ip: new Uint8Array(5), port: 1 }, 'LAN endpoint 3'))).toBe('malformed');
    expect(() => endpointFromWire({ ip: new Uint8Array(4), port: 0 }, 'LAN endpoint 3')).toThrow(/LAN endpoint 3 has port 0/);
    expect(() => endpointFromWire({}, 'introducer 0')).toThrow(/introducer 0 has a 0-byte IP/);
  });
});

describe('NAT info codec', () => {
  it('round-trips every field', () => {
    const nat = { mapping: 'sequential' as const, publicIp: '198.51.100.2', portPreserving: true, delta: -3 };
    const bytes = p2pnode.NatProfile.encode(natInfoToWire(nat)).finish();
    expect(natInfoFromWire(p2pnode.NatProfile.decode(bytes))).toEqual(nat);
    const mapped = { mapping: 'random' as const, publicIp: '203.0.113.7', portMapped: true };
    const mappedBytes = p2pnode.NatProfile.encode(natInfoToWire(mapped)).finish();
    expect(natInfoFromWire(p2pnode.NatProfile.decode(mappedBytes))).toEqual(mapped);
  });

  it('reads an absent profile and an unknown mapping as unknown', () => {
    expect(natInfoFromWire(undefined)).toEqual({ mapping: 'unknown' });
    expect(natInfoFromWire({ mapping: 99 as p2pnode.MappingBehavior })).toEqual({ mapping: 'unknown' });
  });

  it('refuses a bad public IP or a delta that is no port step', () => {
    expect(reasonOf(() => natInfoFromWire({ publicIp: new Uint8Array(3) }))).toBe('malformed');
    expect(reasonOf(() => natInfoFromWire({ delta: -70_000 }))).toBe('field-bounds');
    expect(() => natInfoToWire({ mapping: 'sequential', delta: 65_536 })).toThrow(/not a port step/);
  });
});
