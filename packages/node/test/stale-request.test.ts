// A dialer's newer request calls off what its older one started; a late
// copy of the older one (a retransmission the dialer gave up on, arriving
// through another introducer) must not do the same to the newer. Real
// PeerNode listener, real introducers and relay on loopback; the dialer
// side is driven by hand so that the older request can arrive last.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DhtNode, generateIdentity, type PunchOffer } from '@p2p-node/dht-signal';
import { keyedStream } from '../src/keyed-stream.js';
import { NoiseDialer } from '../src/noise-session.js';
import { provisionalOffer } from '../src/offer.js';
import { PeerNode } from '../src/peer-node.js';
import { openCircuit } from '../src/relay-client.js';
import { circuitToken } from '../src/relay-wire.js';
import { dhtSignaling } from '../src/signaling.js';
import { startInfra, type Infra } from './relay-infra.js';

describe('a late, older request from the same dialer', () => {
  let infra: Infra;
  beforeAll(async () => {
    infra = await startInfra();
  });
  afterAll(async () => {
    await infra?.stop();
  });

  it('is refused and leaves the newer request\'s relay circuit standing: the stream opens and echoes', async () => {
    const listenerId = generateIdentity();
    const listener = await PeerNode.create({ identity: listenerId, bootstrap: infra.bootstrap, host: '127.0.0.1', queryTimeoutMs: 300 });
    await listener.listen((s) => {
      s.on('error', () => undefined);
      s.pipe(s);
    });
    const dialerId = generateIdentity();
    const dht = await DhtNode.start({ host: '127.0.0.1', port: 0, bootstrap: infra.bootstrap, queryTimeoutMs: 300 });
    try {
      // relayUse 'only': the listener goes to its relay at once with this exchange's circuit token.
      const offer: PunchOffer = { ...provisionalOffer([], 40_000), relayUse: 'only' };
      const newer = new NoiseDialer(dialerId, listenerId.publicKey);
      const answer = await dhtSignaling.request(dht, dialerId, listenerId.publicKey, infra.bootstrap, offer, newer.message);
      const keys = newer.finish(answer.session);
      expect(answer.offer.relays?.length).toBeGreaterThan(0);

      // The older request: issued 2 s ago (the signature covers the time), arriving now.
      const older = new NoiseDialer(dialerId, listenerId.publicKey);
      const clock = vi.spyOn(Date, 'now').mockReturnValue(Date.now() - 2_000);
      let late: Promise<unknown>;
      try {
        late = dhtSignaling.request(dht, dialerId, listenerId.publicKey, infra.bootstrap, offer, older.message);
      } finally {
        clock.mockRestore();
      }
      await expect(late).rejects.toThrow(/superseded/);

      // Had the late request counted as new, it would have called off the newer one's half of the circuit.
      const socket = await openCircuit(answer.offer.relays![0]!, circuitToken(keys.hash), { timeoutMs: 5_000 });
      const stream = await keyedStream(socket, true, keys, 5_000);
      const echoed = new Promise<string>((resolve) => stream.once('data', (d: Buffer) => resolve(d.toString())));
      stream.write('still here');
      expect(await echoed).toBe('still here');
      stream.destroy();
    } finally {
      await dht.stop();
      await listener.close();
    }
  });
});
