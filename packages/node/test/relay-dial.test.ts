// Relayed dials on loopback: PeerNodes meet at a bootstrap node's circuit
// relay (learned when the listener registers), the stream stays end-to-end
// encrypted (a tap in front of the relay never sees the plaintext), a punch
// that fails falls back to the relay, a full relay is reported as
// relay-busy, and a relay that dies mid-stream is an error on the stream,
// never a silent end. (Random NATs that only a relay can join: lab/test.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import net, { type Server, type Socket } from 'node:net';
import { generateIdentity, type HostPort } from '@p2p-node/dht-signal';
import { PeerNode, type PeerStream } from '../src/peer-node.js';
import { DialError } from '../src/peer-errors.js';
import { RelayError } from '../src/relay-client.js';
import { dialProcess } from './dial-process.js';
import { startInfra, startTwoRelayInfra, type Infra } from './relay-infra.js';

/** A TCP tap in front of the relay: what it forwards is exactly what the relay sees. */
function startTap(target: () => number): Promise<{ server: Server; seen: Buffer[]; port: number }> {
  const seen: Buffer[] = [];
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    const upstream = net.connect({ port: target(), host: '127.0.0.1', allowHalfOpen: true });
    for (const [from, to] of [[client, upstream], [upstream, client]] as [Socket, Socket][]) {
      from.on('data', (c: Buffer) => (seen.push(Buffer.from(c)), to.write(c)));
      from.on('end', () => to.end());
      from.on('error', () => to.destroy());
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, seen, port: (server.address() as net.AddressInfo).port })));
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
function readAll(s: PeerStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    s.on('data', (c: Buffer) => parts.push(c));
    s.once('end', () => resolve(Buffer.concat(parts)));
    s.once('error', reject);
  });
}

function node(bootstrap: HostPort[], identity = generateIdentity()) {
  return PeerNode.create({ identity, bootstrap, host: '127.0.0.1', queryTimeoutMs: 300, onProgress: (p, d) => process.env.P2P_DEBUG && console.error(p, d) });
}

async function pair(bootstrap: HostPort[], onConnection: (s: PeerStream) => void = (s) => s.pipe(s)) {
  const listenerId = generateIdentity();
  const listener = await node(bootstrap, listenerId);
  await listener.listen((s) => {
    s.on('error', () => undefined);
    onConnection(s);
  });
  const dialer = await node(bootstrap);
  return { listenerId, listener, dialer, close: () => Promise.all([dialer.close(), listener.close()]) };
}

describe('relayed dials on loopback', () => {
  let infra: Infra;
  let tap: Awaited<ReturnType<typeof startTap>>;
  beforeAll(async () => {
    let relayPort = 0;
    tap = await startTap(() => relayPort);
    infra = await startInfra({}, (relay) => ((relayPort = relay.address().port), tap.port));
  });
  afterAll(async () => {
    await infra?.stop();
    tap?.server.close();
  });

  it('meets the listener at its relay (relay: only): 1 MiB echoed intact, the relay saw only ciphertext', async () => {
    const p = await pair(infra.bootstrap);
    try {
      const stream = await p.dialer.dial(p.listenerId.publicKey, { relay: 'only' });
      expect(stream.info.path).toBe('relayed');
      expect(stream.info.method).toBe('relay');
      // The relay the listener named is the one its introducers advertised: here, the tap.
      expect(stream.info.candidate).toBe(`127.0.0.1:${tap.port}`);
      const payload = Buffer.concat([Buffer.from('PLAINTEXT-MARKER-'.repeat(64)), randomBytes(1024 * 1024)]);
      const echoed = readAll(stream);
      stream.end(payload);
      expect(sha(await echoed)).toBe(sha(payload));
      const seen = Buffer.concat(tap.seen);
      // Both directions crossed the relay (at least twice the payload), none of it readable.
      expect(seen.length).toBeGreaterThan(2 * payload.length);
      expect(seen.includes(Buffer.from('PLAINTEXT-MARKER-PLAINTEXT-MARKER-'))).toBe(false);
      expect(seen.includes(payload.subarray(2000, 2064))).toBe(false);
      expect(infra.relay.stats().spliced).toBeGreaterThanOrEqual(1);
    } finally {
      await p.close();
    }
  });

  it('falls back to the relay when the direct path fails (the listener stopped accepting), and says so', async () => {
    const p = await pair(infra.bootstrap);
    try {
      // The listener has no NAT, so dialers connect to its server: take that away.
      await (p.listener as unknown as { listener: { server: { close(): Promise<void> } } }).listener.server.close();
      const progress: string[] = [];
      const dialer = await PeerNode.create({ identity: generateIdentity(), bootstrap: infra.bootstrap, host: '127.0.0.1', queryTimeoutMs: 300, onProgress: (ph, d) => progress.push(`${ph}: ${d}`) });
      try {
        const stream = await dialer.dial(p.listenerId.publicKey);
        expect(stream.info.path).toBe('relayed');
        expect(progress.some((l) => /^relay: no punched socket yet: meeting the peer at relay/.test(l))).toBe(true);
        const payload = randomBytes(64 * 1024);
        const echoed = readAll(stream);
        stream.end(payload);
        expect(sha(await echoed)).toBe(sha(payload));
      } finally {
        await dialer.close();
      }
    } finally {
      await p.close();
    }
  });

  it('direct only (relay: never) fails with punch-failed when the direct path fails', async () => {
    const p = await pair(infra.bootstrap);
    try {
      await (p.listener as unknown as { listener: { server: { close(): Promise<void> } } }).listener.server.close();
      const before = infra.relay.stats().spliced;
      const err = await p.dialer.dial(p.listenerId.publicKey, { relay: 'never' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DialError);
      expect((err as DialError).code).toBe('punch-failed');
      expect(infra.relay.stats().spliced).toBe(before);
    } finally {
      await p.close();
    }
  });
});

describe('relay trouble', () => {
  it('a relay at its limits: relay-busy with the relay\'s reason, on the stream, from dial() with waitForPeer, and as CLI exit 10', async () => {
    const infra = await startInfra({ maxCircuits: 1 });
    // Take the relay's one place with a half that waits for a partner.
    const squatter = net.connect(infra.relay.address().port, '127.0.0.1');
    squatter.on('error', () => undefined);
    squatter.write(Buffer.concat([Buffer.from([0, 34, 10, 32]), randomBytes(32)]));
    const p = await pair(infra.bootstrap);
    try {
      for (let i = 0; i < 50 && infra.relay.stats().circuits < 1; i++) await new Promise((r) => setTimeout(r, 20));
      expect(infra.relay.stats().circuits).toBe(1);
      // The relay as the only path: the stream is handed over at once and the verdict ends it.
      const stream = await p.dialer.dial(p.listenerId.publicKey, { relay: 'only' });
      stream.write(Buffer.from('never delivered'));
      const err = await new Promise<Error>((resolve) => {
        stream.on('data', () => undefined);
        stream.once('error', resolve);
        stream.once('end', () => resolve(new Error('ended cleanly')));
      });
      expect(err).toBeInstanceOf(RelayError);
      expect((err as RelayError).code).toBe('relay-busy');
      expect(err.message).toMatch(/is busy: relay busy: 1 circuits open/);
      const waited = await p.dialer.dial(p.listenerId.publicKey, { relay: 'only', waitForPeer: true }).catch((e: unknown) => e);
      expect(waited).toBeInstanceOf(DialError);
      expect((waited as DialError).code).toBe('relay-busy');
      expect((waited as Error).message).toMatch(/is busy: relay busy: 1 circuits open/);
      const bootstrap = infra.bootstrap.map((b) => `${b.host}:${b.port}`).join(',');
      const cli = await dialProcess([Buffer.from(p.listenerId.publicKey).toString('hex'), '--relay-only'], bootstrap, Buffer.from('hello'));
      expect(cli.code, cli.err).toBe(10);
      expect(cli.err).toMatch(/^p2p-node: no path to [0-9a-f]{64}: relay 127\.0\.0\.1:\d+ is busy: relay busy: 1 circuits open$/m);
    } finally {
      squatter.destroy();
      await p.close();
      await infra.stop();
    }
  });

  it('a relay that is down: the dial meets the listener at its next relay, where it waits too', async () => {
    const infra = await startTwoRelayInfra();
    const p = await pair(infra.bootstrap);
    try {
      const [first, second] = infra.relays.map((r) => r.address());
      // The listener names both relays, the first one first.
      const answerRelays = await p.dialer.dial(p.listenerId.publicKey, { relay: 'only' }).then((s) => (s.destroy(), s.info.candidate));
      expect(answerRelays).toBe(`${first!.host}:${first!.port}`);
      await infra.relays[0]!.close();
      const payload = randomBytes(64 * 1024);
      for (const waitForPeer of [false, true]) {
        const stream = await p.dialer.dial(p.listenerId.publicKey, { relay: 'only', waitForPeer });
        expect(stream.info.path).toBe('relayed');
        expect(stream.info.candidate).toBe(`${second!.host}:${second!.port}`);
        const back = readAll(stream);
        stream.end(payload);
        expect(sha(await back)).toBe(sha(payload));
      }
      expect(infra.relays[1]!.stats().spliced).toBe(2);
    } finally {
      await p.close();
      await infra.stop().catch(() => undefined);
    }
  });

  it('a relay that dies mid-stream: both ends see an error, not a clean end', async () => {
    const infra = await startInfra();
    let listenerSide: PeerStream | undefined;
    const listenerError = new Promise<Error>((resolve) => {
      void pair(infra.bootstrap, (s) => {
        listenerSide = s;
        s.on('error', resolve);
        s.on('data', () => undefined);
      }).then((p) => (current = p));
    });
    let current: Awaited<ReturnType<typeof pair>> | undefined;
    for (let i = 0; i < 100 && !current; i++) await new Promise((r) => setTimeout(r, 20));
    const p = current!;
    try {
      const stream = await p.dialer.dial(p.listenerId.publicKey, { relay: 'only' });
      stream.write(randomBytes(1000));
      for (let i = 0; i < 100 && !listenerSide; i++) await new Promise((r) => setTimeout(r, 20));
      expect(listenerSide).toBeDefined();
      const dialerOutcome = new Promise<string>((resolve) => {
        stream.on('data', () => undefined);
        stream.once('error', (e) => resolve(`error: ${e.message}`));
        stream.once('end', () => resolve('end'));
      });
      await infra.relay.close();
      expect(await dialerOutcome).toMatch(/^error: /);
      expect((await listenerError).message.length).toBeGreaterThan(0);
    } finally {
      await p.close();
      await infra.stop().catch(() => undefined);
    }
  });
});
