// An offer is how one side's prediction reaches the other: through the
// wire and back, the planner must see the prediction the sender made.
import { describe, expect, it } from 'vitest';
import { decodeOffer, encodeOffer } from '@p2p-node/dht-signal';
import { planPunch, predict, type MappingKind, type NatProfile } from '@p2p-node/punch';
import { dialerSideOf, offerFrom, predictionOf, provisionalOffer, sideOf } from '../src/offer.js';

function profile(mapping: MappingKind, extra: Partial<NatProfile> = {}): NatProfile {
  return {
    mapping,
    publicIp: '203.0.113.5',
    portPreserving: mapping === 'port-preserving' || mapping === 'none',
    delta: 0,
    localPort: 40000,
    lastMappedPort: 40000,
    mappedPort: 40000,
    observations: [],
    reason: 'test',
    ...extra,
  };
}

const profiles: NatProfile[] = [
  profile('none'),
  profile('port-preserving'),
  profile('endpoint-independent', { mappedPort: 51000, lastMappedPort: 51000 }),
  profile('sequential', { delta: -2, lastMappedPort: 52010, mappedPort: 52010 }),
  profile('random', { lastMappedPort: 61234 }),
];

describe('offer', () => {
  it.each(profiles.map((p) => [p.mapping, p] as const))('carries a %s prediction through the wire unchanged', (_, p) => {
    const sent = offerFrom(p, predict(p), ['10.0.0.2'], 12.4);
    const got = decodeOffer(encodeOffer(sent));
    expect(predictionOf(got)).toEqual(predict(p));
    expect(got.nat.mapping).toBe(p.mapping);
    expect(got.rttMs).toBe(12);
    expect(sideOf(got)).toEqual({ prediction: predict(p), lanEndpoints: [{ host: '10.0.0.2', port: 40000 }], reachable: p.mapping === 'none' });
  });

  it('keeps the sequential delta and the whole window of ports', () => {
    const p = profiles[3]!;
    const got = decodeOffer(encodeOffer(offerFrom(p, predict(p), [], 0)));
    expect(got.nat.delta).toBe(-2);
    expect(got.publicEndpoints.map((e) => e.port)).toEqual([52008, 52006, 52004, 52002, 52000, 51998, 51996, 51994]);
  });

  it('plans the same punch from both ends after the wire', () => {
    const a = profiles[3]!;
    const b = profiles[2]!;
    const wire = (p: NatProfile) => predictionOf(decodeOffer(encodeOffer(offerFrom(p, predict(p), [], 0))));
    const fromA = planPunch({ local: predict(a), remote: wire(b) });
    const fromB = planPunch({ local: predict(b), remote: wire(a) });
    expect(fromA.strategy).toBe('direct');
    expect(fromA.candidates.map((c) => c.port)).toEqual(predict(b).ports);
    expect(fromB.candidates.map((c) => c.port)).toEqual(predict(a).ports);
  });

  it('marks a provisional offer and keeps it through the wire', () => {
    const got = decodeOffer(encodeOffer(provisionalOffer(['10.0.0.2'], 40001)));
    expect(got).toEqual({ publicEndpoints: [], lanEndpoints: [{ host: '10.0.0.2', port: 40001 }], nat: { mapping: 'unknown' }, localPort: 40001, rttMs: 0, provisional: true });
  });

  it('reads a provisional offer as port preservation at the address the introducer saw, and not at all without it', () => {
    const offer = provisionalOffer(['10.0.0.2'], 40001);
    expect(dialerSideOf(offer, { host: '203.0.113.104', port: 6881 })).toEqual({
      prediction: { method: 'port-preservation', publicIp: '203.0.113.104', ports: [40001], localPort: 40001 },
      lanEndpoints: [{ host: '10.0.0.2', port: 40001 }],
      reachable: false,
    });
    expect(dialerSideOf(offer, undefined)).toBeUndefined();
    // A real offer is taken as it states itself; the introducer's word plays no part.
    const real = { ...offer, provisional: false, publicEndpoints: [{ host: '203.0.113.9', port: 5000 }], nat: { mapping: 'port-preserving' as const, publicIp: '203.0.113.9' } };
    expect(dialerSideOf(real, { host: '203.0.113.104', port: 6881 })).toEqual(sideOf(real));
  });
});
