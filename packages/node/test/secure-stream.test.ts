// The Noise layer over real TCP sockets on 127.0.0.1.
import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { once } from 'node:events';
import { generateIdentity, type Identity } from '@p2p-node/dht-signal';
import { HandshakeError, secureStream, WrongKeyError, type SecureStream } from '../src/secure-stream.js';

async function tcpPair(): Promise<{ client: net.Socket; server: net.Socket; close: () => void }> {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address() as net.AddressInfo;
  const accepted = once(srv, 'connection');
  const client = net.connect({ port, host: '127.0.0.1' });
  const [server] = (await accepted) as [net.Socket];
  // Relay sockets in the tamper test are not wrapped: a reset there is expected, not a test failure.
  for (const s of [client, server]) s.on('error', () => undefined);
  await once(client, 'connect').catch(() => undefined);
  return { client, server, close: () => srv.close() };
}

async function securePair(dialer: Identity, listener: Identity, dialed: Uint8Array = listener.publicKey) {
  const { client, server, close } = await tcpPair();
  const results = await Promise.allSettled([
    secureStream(client, true, { identity: dialer, remotePublicKey: dialed, handshakeTimeoutMs: 3000 }),
    secureStream(server, false, { identity: listener, handshakeTimeoutMs: 3000 }),
  ]);
  close();
  return results;
}

/** Reads to the end without destroying the stream (for-await would, killing the half-open write side). */
function readAll(s: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    s.on('data', (c: Buffer) => parts.push(c));
    s.once('end', () => resolve(Buffer.concat(parts)));
    s.once('error', reject);
  });
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('secureStream', () => {
  it('authenticates both ends to their ed25519 keys and carries data both ways with half-close', async () => {
    const a = generateIdentity();
    const b = generateIdentity();
    const [d, l] = await securePair(a, b);
    expect(d.status).toBe('fulfilled');
    expect(l.status).toBe('fulfilled');
    const dial = (d as PromiseFulfilledResult<SecureStream>).value;
    const listen = (l as PromiseFulfilledResult<SecureStream>).value;
    expect(Buffer.from(dial.remotePublicKey).equals(Buffer.from(b.publicKey))).toBe(true);
    expect(Buffer.from(listen.remotePublicKey).equals(Buffer.from(a.publicKey))).toBe(true);
    expect(Buffer.from(dial.handshakeHash).equals(Buffer.from(listen.handshakeHash))).toBe(true);

    const up = randomBytes(5 * 1024 * 1024);
    const down = randomBytes(3 * 1024 * 1024 + 17);
    const received = readAll(listen);
    dial.end(up);
    // The listener still writes after the dialer half-closed.
    const got = await received;
    listen.end(down);
    const back = await readAll(dial);
    expect(sha(got)).toBe(sha(up));
    expect(sha(back)).toBe(sha(down));
  });

  it('refuses a peer that does not hold the dialed key, on both sides, without hanging', async () => {
    const a = generateIdentity();
    const b = generateIdentity();
    const someoneElse = generateIdentity();
    const [d, l] = await securePair(a, b, someoneElse.publicKey);
    expect(d.status).toBe('rejected');
    expect((d as PromiseRejectedResult).reason).toBeInstanceOf(WrongKeyError);
    expect(l.status).toBe('rejected');
    expect((l as PromiseRejectedResult).reason).toBeInstanceOf(HandshakeError);
    // The listener learned it from the dialer closing, not by waiting out its handshake timeout.
    expect(((l as PromiseRejectedResult).reason as Error).message).not.toMatch(/did not finish within/);
  });

  it('fails with HandshakeError when the far side says nothing', async () => {
    const { client, server, close } = await tcpPair();
    // The handshake timeout is what ends it (the test's deadline catches a hang).
    await expect(secureStream(client, true, { identity: generateIdentity(), remotePublicKey: generateIdentity().publicKey, handshakeTimeoutMs: 300 })).rejects.toThrow(
      new HandshakeError('Noise handshake did not finish within 300 ms'),
    );
    server.destroy();
    close();
  });

  it('rejects tampered bytes instead of delivering them', async () => {
    // A man in the middle that flips one bit once, armed only after the first 5 kB were delivered.
    const a = generateIdentity();
    const b = generateIdentity();
    const { client, server, close } = await tcpPair();
    const pair = await tcpPair();
    let seen = 0;
    let armed = false;
    let flipped = false;
    client.on('data', () => undefined);
    // Relay: dialer <-> [server | pair.client] <-> listener, corrupting bytes from the dialer past the handshake.
    server.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (armed && !flipped && chunk.length > 40) {
        chunk[chunk.length - 5]! ^= 0x01;
        flipped = true;
      }
      pair.client.write(chunk);
    });
    pair.client.on('data', (chunk: Buffer) => server.write(chunk));
    const [dial, listen] = await Promise.all([
      secureStream(client, true, { identity: a, remotePublicKey: b.publicKey }),
      secureStream(pair.server, false, { identity: b }),
    ]);
    const errors: Error[] = [];
    const failed = new Promise<void>((resolve) => listen.on('error', (e) => (errors.push(e), resolve())));
    dial.on('error', () => undefined);
    const chunks: Buffer[] = [];
    listen.on('data', (c: Buffer) => chunks.push(c));
    const sent = randomBytes(20_000);
    for (let i = 0; i < 5; i++) dial.write(sent.subarray(i * 1000, (i + 1) * 1000));
    while (Buffer.concat(chunks).length < 5_000) await new Promise((r) => setImmediate(r));
    armed = true;
    for (let i = 5; i < 20; i++) dial.write(sent.subarray(i * 1000, (i + 1) * 1000));
    await failed;
    // Nothing more arrives once the bad frame was seen (a little time for stray events).
    await new Promise((r) => setImmediate(r));
    expect(errors.length).toBe(1);
    // Whatever was delivered before the bad frame is intact (the same bytes, in order); nothing after it is.
    const delivered = Buffer.concat(chunks);
    expect(delivered.length).toBeGreaterThanOrEqual(5_000);
    expect(delivered.length).toBeLessThan(sent.length);
    expect(sha(delivered)).toBe(sha(sent.subarray(0, delivered.length)));
    close();
    pair.close();
  });

  it('reports a connection cut mid-stream as an error, not as a clean end', async () => {
    const a = generateIdentity();
    const b = generateIdentity();
    const { client, server, close } = await tcpPair();
    const [dial, listen] = await Promise.all([
      secureStream(client, true, { identity: a, remotePublicKey: b.publicKey }),
      secureStream(server, false, { identity: b }),
    ]);
    const dialErrors: Error[] = [];
    dial.on('error', (e) => dialErrors.push(e));
    dial.write(Buffer.from('partial'));
    const reading = readAll(listen);
    await new Promise((r) => setTimeout(r, 50));
    client.destroy();
    await expect(reading).rejects.toThrow(/closed before the peer ended/);
    // The side whose socket was cut learns it too.
    await new Promise((r) => setTimeout(r, 100));
    expect(dialErrors.map((e) => e.message)).toEqual([expect.stringMatching(/closed before the peer ended/)]);
    close();
  });
});
