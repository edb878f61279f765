// A punch between two sides that both have a global IPv6 address needs no
// prediction: both IPv4 sides here map randomly (no IPv4 plan exists), and
// the punch goes over IPv6 anyway. (A real simultaneous open through IPv6
// firewalls: lab/test/dial.test.ts, pair v6-v6.)
import { createServer, type AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { describe, expect, test } from 'vitest';
import { connectPeer, type PeerSide } from '../src/connect-policy.js';
import { PunchError } from '../src/errors.js';
import { fixedPort } from './ports.js';

const hasIpv6Loopback = Object.values(networkInterfaces()).some((addrs) => addrs?.some((a) => a.family === 'IPv6' && a.address === '::1'));

function side(localPort: number, ipv6: boolean): PeerSide {
  return {
    prediction: { method: 'unpredictable', publicIp: '203.0.113.1', ports: [], localPort },
    lanEndpoints: [],
    reachable: false,
    ...(ipv6 ? { ipv6Endpoints: [{ host: '::1', port: localPort }] } : {}),
  };
}

describe('connectPeer over IPv6', () => {
  if (!hasIpv6Loopback) console.warn('!!! IPv6 punch test SKIPPED: this machine has no ::1');
  test.skipIf(!hasIpv6Loopback)('both sides with IPv6: the punch goes to the peer\'s IPv6 endpoint (method ipv6), though no IPv4 plan exists', async () => {
    // The peer's end listens here: on loopback SYNs cross in no time, so a true simultaneous open needs the lab's delay.
    const peer = createServer((s) => s.pipe(s));
    await new Promise<void>((resolve) => peer.listen(0, '::1', resolve));
    const peerPort = (peer.address() as AddressInfo).port;
    const a = await fixedPort();
    try {
      const remote: PeerSide = { ...side(peerPort, false), ipv6Endpoints: [{ host: '::1', port: peerPort }] };
      const r = await connectPeer({ localPort: a, local: side(a, true), remote, role: 'initiator', agreement: 'select', rttMs: 1, timeoutMs: 5_000 });
      expect(r.winner).toMatchObject({ host: '::1', port: peerPort, method: 'ipv6' });
      expect(r.socket.localPort).toBe(a);
      // The echo carries the punch's own SELECT byte first, then ours.
      let echoed = '';
      const got = new Promise<void>((resolve) => r.socket.on('data', (d: Buffer) => (echoed += d.toString()).endsWith('over v6') && resolve()));
      r.socket.write('over v6');
      await got;
      expect(echoed).toMatch(/over v6$/);
      r.socket.destroy();
    } finally {
      peer.close();
    }
  });

  test('IPv6 on one side only: IPv4 decides, and two random NATs have no plan', async () => {
    const [a, b] = [await fixedPort(), await fixedPort()];
    const err = await connectPeer({ localPort: a, local: side(a, true), remote: side(b, false), role: 'initiator', rttMs: 1, timeoutMs: 1_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PunchError);
    expect((err as PunchError).code).toBe('unpredictable-peer');
  });
});
