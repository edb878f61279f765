// The keyed stream over real TCP sockets on 127.0.0.1, with keys from a real
// Noise IK handshake (as signaling carries it): the bytes are encrypted and
// intact, the end of the stream is authenticated, tampering is an error, and
// only the holder of the session keys can open the stream.
import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { keyedStream, StreamOpenError } from '../src/keyed-stream.js';
import type { SecureStream } from '../src/secure-stream.js';
import { keyedPair, sessionKeys, tcpPair } from './keyed-pair.js';

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
const firstError = (s: SecureStream) => new Promise<Error>((resolve) => s.once('error', resolve));
const settle = () => new Promise((r) => setTimeout(r, 50));

describe('keyedStream', () => {
  it('names the peer, shares the handshake hash, and carries data both ways with half-close', async () => {
    const { dial, listen, keys } = await keyedPair();
    expect(Buffer.from(dial.remotePublicKey).equals(keys.listener.publicKey)).toBe(true);
    expect(Buffer.from(listen.remotePublicKey).equals(keys.dialer.publicKey)).toBe(true);
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

  it('zeroRtt: bytes written before the listener even wrapped its socket arrive intact, and not in the clear', async () => {
    const { client, server, close } = await tcpPair();
    const keys = sessionKeys();
    const dial = await keyedStream(client, true, keys.dialer, 3000, { zeroRtt: true });
    const secret = Buffer.from('for the session keys only, '.repeat(40));
    dial.end(secret);
    // What the socket carries: read raw off the wire first, then handed to the listener's stream.
    const wire: Buffer[] = [];
    const onRaw = (c: Buffer) => wire.push(c);
    server.on('data', onRaw);
    while (Buffer.concat(wire).length < secret.length) await new Promise((r) => setImmediate(r));
    server.off('data', onRaw);
    server.pause();
    expect(Buffer.concat(wire).includes(secret.subarray(0, 27))).toBe(false);
    server.unshift(Buffer.concat(wire));
    const listen = await keyedStream(server, false, keys.listener, 3000);
    const got = await readAll(listen);
    expect(got.equals(secret)).toBe(true);
    listen.end();
    await readAll(dial);
    close();
  });

  it('rejects tampered bytes instead of delivering them', async () => {
    // A man in the middle that flips one bit once, armed only after the first 5 kB were delivered.
    const { client, server, close } = await tcpPair();
    const pair = await tcpPair();
    const keys = sessionKeys();
    let armed = false;
    let flipped = false;
    // Relay: dialer <-> [server | pair.client] <-> listener, corrupting bytes from the dialer once armed.
    server.on('data', (chunk: Buffer) => {
      if (armed && !flipped && chunk.length > 40) {
        chunk[chunk.length - 5]! ^= 0x01;
        flipped = true;
      }
      pair.client.write(chunk);
    });
    pair.client.on('data', (chunk: Buffer) => server.write(chunk));
    const [dial, listen] = await Promise.all([keyedStream(client, true, keys.dialer, 3000), keyedStream(pair.server, false, keys.listener, 3000)]);
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
    await settle();
    expect(flipped).toBe(true);
    expect(errors.length).toBe(1);
    // Whatever was delivered before the bad frame is intact (the same bytes, in order); nothing after it is.
    const delivered = Buffer.concat(chunks);
    expect(delivered.length).toBeGreaterThanOrEqual(5_000);
    expect(delivered.length).toBeLessThan(sent.length);
    expect(sha(delivered)).toBe(sha(sent.subarray(0, delivered.length)));
    close();
    pair.close();
  });

  it('reports a connection cut mid-stream as an error on both ends, not as a clean end', async () => {
    const { dial, listen, client } = await keyedPair();
    const dialErrors: Error[] = [];
    dial.on('error', (e) => dialErrors.push(e));
    dial.write(Buffer.from('partial'));
    const reading = readAll(listen);
    await settle();
    client.destroy();
    await expect(reading).rejects.toThrow(/closed before the peer ended/);
    // The side whose socket was cut learns it too.
    await settle();
    expect(dialErrors.map((e) => e.message)).toEqual([expect.stringMatching(/closed before the peer ended/)]);
  });

  it('reports a TCP FIN without the authenticated end as an error, after delivering what came before it intact', async () => {
    const { dial, listen, client } = await keyedPair();
    dial.on('error', () => undefined);
    const chunks: Buffer[] = [];
    listen.on('data', (c: Buffer) => chunks.push(c));
    const failed = firstError(listen);
    dial.write(Buffer.from('partial'));
    while (Buffer.concat(chunks).length < 7) await new Promise((r) => setImmediate(r));
    // A FIN on the raw socket: what a middlebox or a stray segment can forge, unlike the END message.
    client.end();
    expect((await failed).message).toMatch(/closed before the peer ended/);
    expect(Buffer.concat(chunks).toString()).toBe('partial');
    dial.destroy();
  });

  it('fails with StreamOpenError when the far side says nothing: the promise, or the zeroRtt stream', async () => {
    const { client, server, close } = await tcpPair();
    const keys = sessionKeys();
    // The open timeout is what ends it (the test's deadline catches a hang).
    const rejected = await keyedStream(client, true, keys.dialer, 300).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(StreamOpenError);
    expect((rejected as Error).message).toMatch(/nothing within 300 ms/);
    const second = await tcpPair();
    const stream = await keyedStream(second.client, true, keys.dialer, 300, { zeroRtt: true });
    const err = await firstError(stream);
    expect(err).toBeInstanceOf(StreamOpenError);
    expect(err.message).toMatch(/nothing within 300 ms/);
    server.destroy();
    second.server.destroy();
    close();
    second.close();
  });

  it('refuses a stranger holding keys of another handshake on the socket, on both ends, without waiting out the timeout', async () => {
    const { client, server, close } = await tcpPair();
    const keys = sessionKeys();
    // A p2p-node peer on the right socket, but with keys from a handshake of its own.
    const stranger = sessionKeys().listener;
    const [d, s] = await Promise.allSettled([keyedStream(client, true, keys.dialer, 5000), keyedStream(server, false, stranger, 5000)]);
    expect(d.status).toBe('rejected');
    expect((d as PromiseRejectedResult).reason).toBeInstanceOf(StreamOpenError);
    expect(((d as PromiseRejectedResult).reason as Error).message).not.toMatch(/nothing within/);
    expect(s.status).toBe('rejected');
    expect((s as PromiseRejectedResult).reason).toBeInstanceOf(StreamOpenError);
    close();
  });

  it('zeroRtt: a stranger with other keys makes the handed-over stream fail, and reads none of its bytes', async () => {
    const { client, server, close } = await tcpPair();
    const keys = sessionKeys();
    const stranger = sessionKeys().listener;
    const strangerSide = keyedStream(server, false, stranger, 5000);
    const strangerData: Buffer[] = [];
    strangerSide.then((st) => st.on('data', (c: Buffer) => strangerData.push(c))).catch(() => undefined);
    const stream = await keyedStream(client, true, keys.dialer, 5000, { zeroRtt: true });
    stream.write('for the session keys only');
    const err = await firstError(stream);
    expect(err).toBeInstanceOf(StreamOpenError);
    expect(err.message).not.toMatch(/nothing within/);
    await expect(strangerSide).rejects.toThrow(StreamOpenError);
    expect(strangerData).toEqual([]);
    close();
  });

  it('fails with StreamOpenError when the socket closes before the peer\'s OPEN, without waiting out the timeout', async () => {
    const first = await tcpPair();
    const keys = sessionKeys();
    first.server.destroy();
    const rejected = await keyedStream(first.client, true, keys.dialer, 5000).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(StreamOpenError);
    // Learned from the socket (EOF, reset or EPIPE, whichever comes first), not from the timeout.
    expect((rejected as Error).message).not.toMatch(/nothing within/);
    const second = await tcpPair();
    const stream = await keyedStream(second.client, true, keys.dialer, 5000, { zeroRtt: true });
    second.server.destroy();
    const err = await firstError(stream);
    expect(err).toBeInstanceOf(StreamOpenError);
    expect(err.message).not.toMatch(/nothing within/);
    first.close();
    second.close();
  });
});
