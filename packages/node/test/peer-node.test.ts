// PeerNode end to end on loopback: a private DHT whose nodes are also
// reflectors and introducers, one listener and dialers, real UDP and TCP.
// (Through real NATs: see lab/test.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { DhtNode, generateIdentity, serveIntroducer, type HostPort, type Introducer } from '@p2p-node/dht-signal';
import type { Reflector } from '@p2p-node/punch';
import net from 'node:net';
import { PeerNode, type PeerStream } from '../src/peer-node.js';
import { keyedStream, StreamOpenError } from '../src/keyed-stream.js';
import { sessionKeys } from './keyed-pair.js';
import { nodeWithReflector } from './relay-infra.js';
import { DialError } from '../src/peer-errors.js';

const infra: { dht: DhtNode; reflector: Reflector; introducer: Introducer }[] = [];
let bootstrap: HostPort[];

async function startInfra(host: string, seeds: HostPort[]) {
  const { dht, reflector } = await nodeWithReflector(host, seeds);
  infra.push({ dht, reflector, introducer: serveIntroducer(dht) });
  return dht.address();
}

beforeAll(async () => {
  // Two loopback IPs: NAT profiling needs reflectors on two addresses.
  const first = await startInfra('127.0.0.1', []);
  const others = [];
  for (let i = 0; i < 5; i++) others.push(await startInfra(i % 2 ? '127.0.0.1' : '127.0.0.2', [first]));
  bootstrap = [first, ...others.slice(0, 3)];
});

afterAll(async () => {
  for (const x of infra) {
    x.introducer.stop();
    await x.reflector.close();
    await x.dht.stop();
  }
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
function readAll(s: PeerStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    s.on('data', (c: Buffer) => parts.push(c));
    s.once('end', () => resolve(Buffer.concat(parts)));
    s.once('error', reject);
  });
}

async function node(identity = generateIdentity()) {
  return PeerNode.create({ identity, bootstrap, host: '127.0.0.1', queryTimeoutMs: 300, onProgress: (p, d) => process.env.P2P_DEBUG && console.error(p, d) });
}

describe('PeerNode on loopback', () => {
  it('dials a listener by public key and echoes data through the encrypted stream, five times in a row', async () => {
    const listenerId = generateIdentity();
    const listener = await node(listenerId);
    const dialerId = generateIdentity();
    const dialer = await node(dialerId);
    const seenDialers: string[] = [];
    try {
      await listener.listen((s) => {
        seenDialers.push(Buffer.from(s.remotePublicKey).toString('hex'));
        s.on('error', (e) => console.error('listener side', e.message));
        s.pipe(s);
      });
      for (let i = 0; i < 5; i++) {
        const stream = await dialer.dial(listenerId.publicKey);
        expect(Buffer.from(stream.remotePublicKey).equals(Buffer.from(listenerId.publicKey))).toBe(true);
        expect(stream.info.path).toMatch(/direct|lan/);
        expect(stream.info.timings.totalMs).toBeGreaterThan(0);
        const payload = randomBytes(256 * 1024 + i);
        const echoed = readAll(stream).catch((e: Error) => { throw new Error(`dial ${i}: ${e.message}`); });
        stream.end(payload);
        expect(sha(await echoed)).toBe(sha(payload));
      }
      expect(seenDialers).toEqual(Array(5).fill(Buffer.from(dialerId.publicKey).toString('hex')));
    } finally {
      await dialer.close();
      await listener.close();
    }
  });

  it('refuses a dialer that is not in the allow list, with a clear error on the dialer', async () => {
    const listenerId = generateIdentity();
    const listener = await node(listenerId);
    const dialer = await node();
    let accepted = 0;
    try {
      await listener.listen(() => accepted++, { allow: [generateIdentity().publicKey] });
      const err = await dialer.dial(listenerId.publicKey).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DialError);
      expect((err as DialError).failure).toBe('refused');
      expect(accepted).toBe(0);
    } finally {
      await dialer.close();
      await listener.close();
    }
  });

  it('fails with not-found for a key that published nothing', async () => {
    const dialer = await node();
    try {
      const t0 = performance.now();
      const err = await dialer.dial(generateIdentity().publicKey).catch((e: unknown) => e);
      expect((err as DialError).failure).toBe('not-found');
      expect(performance.now() - t0).toBeLessThan(5000);
    } finally {
      await dialer.close();
    }
  });

  it('fails with lookup-failed when the node is closed while the lookup runs', async () => {
    const dialer = await PeerNode.create({ identity: generateIdentity(), bootstrap, host: '127.0.0.1', queryTimeoutMs: 300, warmUp: false });
    const dialing = dialer.dial(generateIdentity().publicKey).catch((e: unknown) => e);
    // Closing stops the DHT node: the early signaling flight fails (and is passed over, as
    // for any key no introducer holds), then the lookup it falls back on ends unfinished.
    await dialer.close();
    const err = await dialing;
    expect(err).toBeInstanceOf(DialError);
    expect((err as DialError).failure).toBe('lookup-failed');
    expect((err as Error).message).toMatch(/^lookup failed: lookup aborted: the DHT node was stopped$/);
  });

  it('refuses a listener whose record and signaling name a key that the TCP endpoint cannot prove (exit code: wrong key)', async () => {
    const namedId = generateIdentity();
    const named = await node(namedId);
    const impostorId = generateIdentity();
    // The endpoint in the named key's record and answers is taken over by a peer holding another key.
    const { offer } = await named.listen(() => undefined);
    await (named as unknown as { listener: { server: { close(): Promise<void> } } }).listener.server.close();
    // It speaks the keyed stream, with the keys of a handshake it really answered, but for another dial.
    const impostorKeys = sessionKeys(generateIdentity(), impostorId).listener;
    let impostorConnections = 0;
    const impostor = net.createServer({ allowHalfOpen: true }, (sock) => {
      impostorConnections++;
      sock.on('error', () => undefined);
      keyedStream(sock, false, impostorKeys, 5000).catch(() => undefined);
    });
    await new Promise<void>((r) => impostor.listen(offer.localPort, '127.0.0.1', r));
    const dialer = await node();
    try {
      // Waiting for the peer's proof: the dial itself fails.
      const err = await dialer.dial(namedId.publicKey, { waitForPeer: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DialError);
      expect((err as DialError).failure).toBe('wrong-key');
      expect((err as Error).message).toMatch(/did not prove it holds/);
      // Zero round trip (the default): the stream is handed over keyed, and fails as soon as the impostor cannot prove the key.
      const stream = await dialer.dial(namedId.publicKey);
      stream.write('for the dialed key only');
      const streamErr = await new Promise<Error>((resolve) => stream.once('error', resolve));
      expect(streamErr).toBeInstanceOf(StreamOpenError);
      expect(streamErr.message).toMatch(/did not prove it holds the session keys/);
      // Both verdicts came from the impostor on the socket, not from a refused connection.
      expect(impostorConnections).toBeGreaterThanOrEqual(2);
    } finally {
      impostor.close();
      await dialer.close();
      await named.close();
    }
  });

  it('keeps serving dialers while one host holds idle connections open against it', async () => {
    const listenerId = generateIdentity();
    const listener = await node(listenerId);
    const dialer = await node();
    const idle: net.Socket[] = [];
    try {
      const { offer } = await listener.listen((s) => s.pipe(s));
      const openIdle = (n: number) => {
        for (let i = 0; i < n; i++) {
          const sock = net.connect({ host: '127.0.0.1', port: offer.localPort, localAddress: '127.0.0.2' });
          sock.on('error', () => undefined);
          idle.push(sock);
        }
      };
      // 40 connections from 127.0.0.2 that never say anything; more after the gate's 3 s grace.
      openIdle(40);
      await new Promise((r) => setTimeout(r, 3200));
      openIdle(10);
      await new Promise((r) => setTimeout(r, 200));
      // Past its share and its grace, the host's oldest idle connections are closed to make room.
      expect(idle.slice(0, 40).filter((s) => s.destroyed || s.readyState !== 'open').length).toBeGreaterThanOrEqual(10);
      const stream = await dialer.dial(listenerId.publicKey);
      const echoed = readAll(stream);
      stream.end(Buffer.from('still here'));
      expect((await echoed).toString()).toBe('still here');
    } finally {
      for (const s of idle) s.destroy();
      await dialer.close();
      await listener.close();
    }
  });
});

