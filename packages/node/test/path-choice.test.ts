// choosePath is the rule both ends apply to the same two offers: they must
// agree on whether to punch, and on when and where to meet at a relay.
// The offers go through the wire codec, as signaling carries them.
import { describe, expect, it } from 'vitest';
import { decodeOffer, encodeOffer } from '@p2p-node/dht-signal';
import { predict, type MappingKind, type NatProfile } from '@p2p-node/punch';
import { dialerSideOf, offerFrom, provisionalOffer, sideOf } from '../src/offer.js';
import { canPunch, choosePath, RELAY_HEAD_START_MS, RELAYS_PER_DIAL, type RelayMode } from '../src/path-choice.js';

function offer(mapping: MappingKind, ip: string, relays = [{ host: '203.0.113.10', port: 6882 }]) {
  const profile: NatProfile = {
    mapping,
    publicIp: ip,
    portPreserving: mapping === 'port-preserving' || mapping === 'none',
    delta: mapping === 'sequential' ? 2 : 0,
    localPort: 40000,
    lastMappedPort: mapping === 'random' ? 61234 : 40000,
    mappedPort: mapping === 'random' ? 61234 : 40000,
    observations: [],
    reason: 'fixture',
  };
  return decodeOffer(encodeOffer({ ...offerFrom(profile, predict(profile), [], 20), relays }));
}

const kinds: MappingKind[] = ['none', 'port-preserving', 'endpoint-independent', 'sequential', 'random'];
const unpunchable = new Set(['random/random', 'sequential/random', 'random/sequential']);

describe('choosePath', () => {
  for (const a of kinds) {
    for (const b of kinds) {
      it(`${a} dialer, ${b} listener: both ends choose the same path`, () => {
        const dialer = offer(a, '203.0.113.101', []);
        const listener = offer(b, '203.0.113.102');
        const fromDialer = choosePath('auto', sideOf(dialer), sideOf(listener), listener.relays);
        const fromListener = choosePath('auto', sideOf(listener), sideOf(dialer), listener.relays);
        expect(fromDialer).toEqual(fromListener);
        const noPunch = unpunchable.has(`${a}/${b}`);
        expect(canPunch(sideOf(dialer), sideOf(listener))).toBe(!noPunch);
        expect(fromDialer).toEqual(
          noPunch
            ? { punch: false, relays: [{ host: '203.0.113.10', port: 6882 }], relayAfterMs: 0 }
            : { punch: true, relays: [{ host: '203.0.113.10', port: 6882 }], relayAfterMs: RELAY_HEAD_START_MS },
        );
      });
    }
  }

  it('never: no relay, whatever the NATs', () => {
    const r = offer('random', '203.0.113.102');
    expect(choosePath('never', sideOf(offer('random', '203.0.113.101')), sideOf(r), r.relays)).toEqual({ punch: false, relays: [], relayAfterMs: 0 });
    expect(choosePath('never', sideOf(offer('port-preserving', '203.0.113.101')), sideOf(r), r.relays).relays).toEqual([]);
  });

  it('only: the relay at once, no punch, even where a punch would work', () => {
    const pp = offer('port-preserving', '203.0.113.102');
    for (const mode of ['only'] as RelayMode[]) {
      expect(choosePath(mode, sideOf(offer('port-preserving', '203.0.113.101')), sideOf(pp), pp.relays)).toEqual({ punch: false, relays: pp.relays, relayAfterMs: 0 });
    }
  });

  it('a listener that names no relay: punch where possible, else nothing to try', () => {
    const none = offer('random', '203.0.113.102', []);
    expect(none.relays).toBeUndefined();
    expect(choosePath('auto', sideOf(offer('random', '203.0.113.101')), sideOf(none), none.relays)).toEqual({ punch: false, relays: [], relayAfterMs: 0 });
    expect(choosePath('auto', sideOf(offer('port-preserving', '203.0.113.101')), sideOf(none), none.relays)).toEqual({ punch: true, relays: [], relayAfterMs: RELAY_HEAD_START_MS });
  });

  it('a provisional guess counts only a direct punch: a random listener goes to the relay at once, others punch the guess', () => {
    const guess = dialerSideOf(provisionalOffer([], 40000), { host: '203.0.113.101', port: 1 })!;
    const want: Record<string, boolean> = { none: true, 'port-preserving': true, 'endpoint-independent': true, sequential: true, random: false };
    for (const kind of kinds) {
      const listener = offer(kind, '203.0.113.102');
      const c = choosePath('auto', sideOf(listener), guess, listener.relays, { provisional: true });
      expect(c.punch, kind).toBe(want[kind]);
      expect(c.relayAfterMs, kind).toBe(want[kind] ? RELAY_HEAD_START_MS : 0);
      // Without the guess flag, pp x random is a birthday punch, not a relay.
      if (kind === 'random') expect(choosePath('auto', sideOf(listener), guess, listener.relays).punch).toBe(true);
    }
  });

  it('global IPv6 on both sides: a direct punch whatever the IPv4 NATs, a provisional guess included; on one side only: IPv4 decides', () => {
    const v6 = (o: ReturnType<typeof offer>, host: string) => decodeOffer(encodeOffer({ ...o, ipv6Endpoints: [{ host, port: o.localPort }] }));
    const dialer = v6(offer('random', '203.0.113.101', []), '2001:db8:1::2');
    const listener = v6(offer('random', '203.0.113.102'), '2001:db8:2::2');
    expect(choosePath('auto', sideOf(dialer), sideOf(listener), listener.relays)).toEqual({ punch: true, relays: listener.relays, relayAfterMs: RELAY_HEAD_START_MS });
    expect(choosePath('auto', sideOf(listener), sideOf(dialer), listener.relays)).toEqual(choosePath('auto', sideOf(dialer), sideOf(listener), listener.relays));
    const guess = dialerSideOf(decodeOffer(encodeOffer({ ...provisionalOffer([], 40000), ipv6Endpoints: [{ host: '2001:db8:1::2', port: 40000 }] })), { host: '203.0.113.101', port: 1 })!;
    expect(choosePath('auto', sideOf(listener), guess, listener.relays, { provisional: true }).punch).toBe(true);
    const v4only = offer('random', '203.0.113.102');
    expect(choosePath('auto', sideOf(dialer), sideOf(v4only), v4only.relays)).toEqual({ punch: false, relays: v4only.relays, relayAfterMs: 0 });
  });

  it('a dial uses at most RELAYS_PER_DIAL of the listener\'s relays, in its order, on both ends', () => {
    const many = offer('random', '203.0.113.102', [10, 11, 12].map((n) => ({ host: `203.0.113.${n}`, port: 6882 })));
    const dialer = offer('random', '203.0.113.101', []);
    const fromDialer = choosePath('auto', sideOf(dialer), sideOf(many), many.relays);
    expect(fromDialer.relays).toEqual(many.relays!.slice(0, RELAYS_PER_DIAL));
    expect(RELAYS_PER_DIAL).toBe(2);
    expect(choosePath('auto', sideOf(many), sideOf(dialer), many.relays)).toEqual(fromDialer);
  });

  it('the relays and the dialer\'s relay use survive the wire', () => {
    const o = { ...offer('random', '203.0.113.102'), relayUse: 'only' as const };
    const back = decodeOffer(encodeOffer(o));
    expect(back.relays).toEqual([{ host: '203.0.113.10', port: 6882 }]);
    expect(back.relayUse).toBe('only');
    expect(decodeOffer(encodeOffer({ ...o, relayUse: 'never' })).relayUse).toBe('never');
    expect(decodeOffer(encodeOffer({ ...o, relayUse: undefined })).relayUse).toBeUndefined();
  });
});
