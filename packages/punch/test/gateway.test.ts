import { describe, expect, it } from 'vitest';
import { gatewayFromRouteTable } from '../src/gateway.js';

// /proc/net/route as read in the NAT lab (lab/src/topology.ts), whitespace kept.
const HEAD = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT                                                       ';
/** rand1h1: its LAN 10.3.0.0/24, and the lab internet 203.0.113.0/24 via its NAT box 10.3.0.1; no default route. */
const LAN_HOST = [
  HEAD,
  'eth0\t0000030A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0                                                                               ',
  'eth0\t007100CB\t0100030A\t0003\t0\t0\t0\t00FFFFFF\t0\t0\t0                                                                               ',
].join('\n');
/** A home NAT box behind a carrier NAT (n4rand): the internet via the carrier's 10.1.0.1. */
const HOME_BOX = [
  HEAD,
  'wan\t0000010A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0',
  'brl\t0000020A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0',
  'wan\t007100CB\t0100010A\t0003\t0\t0\t0\t00FFFFFF\t0\t0\t0',
].join('\n');
/** This machine outside the lab: a default route via 192.0.2.1 and its own link. */
const DEFAULT_ONLY = [HEAD, 'eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0', 'eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0'].join('\n');

describe('gatewayFromRouteTable', () => {
  it('finds the NAT box in front of a lab host, from the route to a reflector', () => {
    expect(gatewayFromRouteTable(LAN_HOST, '203.0.113.10')).toBe('10.3.0.1');
    expect(gatewayFromRouteTable(HOME_BOX, '203.0.113.11')).toBe('10.1.0.1');
  });

  it('says there is none for an address on our own link or one no route covers', () => {
    expect(gatewayFromRouteTable(LAN_HOST, '10.3.0.7')).toBeUndefined();
    expect(gatewayFromRouteTable(LAN_HOST, '198.51.100.1')).toBeUndefined();
  });

  it('takes the default route when nothing more specific has a gateway, and the most specific one otherwise', () => {
    expect(gatewayFromRouteTable(DEFAULT_ONLY, '203.0.113.10')).toBe('192.0.2.1');
    expect(gatewayFromRouteTable(DEFAULT_ONLY, '192.0.2.77')).toBeUndefined();
    const both = `${DEFAULT_ONLY}\neth0\t007100CB\t0500020A\t0003\t0\t0\t0\t00FFFFFF\t0\t0\t0`;
    expect(gatewayFromRouteTable(both, '203.0.113.10')).toBe('10.2.0.5');
  });

  it('ignores lines it cannot read and addresses that are not IPv4', () => {
    expect(gatewayFromRouteTable(`${LAN_HOST}\ngarbage\n\teth0 zz`, '203.0.113.10')).toBe('10.3.0.1');
    expect(gatewayFromRouteTable(LAN_HOST, '2001:db8::1')).toBeUndefined();
    expect(gatewayFromRouteTable('', '203.0.113.10')).toBeUndefined();
  });
});
