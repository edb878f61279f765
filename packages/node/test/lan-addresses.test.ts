import { describe, expect, it } from 'vitest';
import { ipv6Addresses, isGlobalIpv6 } from '../src/lan-addresses.js';

describe('our IPv6 addresses', () => {
  it('counts only global ones: not link-local, unique-local, loopback or IPv4-mapped', () => {
    for (const a of ['2001:db8:1::2', '2a01:4f8::1', '2001:db8:ffff::3']) expect(isGlobalIpv6(a), a).toBe(true);
    for (const a of ['fe80::1', 'febf::1', 'fc00::1', 'fd12:3456::1', '::1', '::ffff:10.0.0.1']) expect(isGlobalIpv6(a), a).toBe(false);
  });

  it('lists none for a peer bound to one IPv4 address (a test on loopback means loopback only)', () => {
    expect(ipv6Addresses('127.0.0.1')).toEqual([]);
    expect(ipv6Addresses('10.1.0.2')).toEqual([]);
  });
});
