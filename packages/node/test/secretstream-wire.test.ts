// The secure channel's wire (secretstream-wire.ts, framed-duplex.ts) against
// @hyperswarm/secret-stream itself, which earlier p2p-node versions ran: the
// same bytes both ways over real TCP on 127.0.0.1, so old and new peers (and
// relays, which only pass bytes on) still understand each other. Then the
// reader's bounds, tampering, and the reuse of sent buffers under backpressure.
import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import SecretStream from '@hyperswarm/secret-stream';
import { keyedStream } from '../src/keyed-stream.js';
import { MAX_FRAME, SEND_PAYLOAD } from '../src/framed-duplex.js';
import { HEADER_MESSAGE_BYTES, LENGTH_BYTES, MessageReader, Opener, SEAL_OVERHEAD, Sealer, streamId } from '../src/secretstream-wire.js';
import { keyedPair, sessionKeys, tcpPair } from './keyed-pair.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const DATA = 0;
const END = 1;
const OPEN = 2;

/** The library's messages on `secret`, until `count` have come (each one our type byte + payload). */
function libraryMessages(secret: SecretStream, count: number): Promise<Buffer[]> {
  const got: Buffer[] = [];
  return new Promise((resolve, reject) => {
    secret.on('data', (m: Buffer) => {
      got.push(Buffer.from(m));
      if (got.length === count) resolve(got);
    });
    secret.on('error', reject);
  });
}

describe('secretstream wire', () => {
  it('names streams as @hyperswarm/secret-stream does', () => {
    const hash = randomBytes(64);
    for (const initiator of [true, false]) expect(streamId(hash, initiator).equals(SecretStream.id(hash, initiator))).toBe(true);
  });

  it('what we send, the library reads: header, OPEN, DATA cut to our message size, END', async () => {
    const { client, server, close } = await tcpPair();
    const keys = sessionKeys();
    const payload = randomBytes(3 * SEND_PAYLOAD + 5);
    const lib = new SecretStream(false, server, { handshake: keys.listener });
    const messages = libraryMessages(lib, 1 + 4 + 1);
    const ours = await keyedStream(client, true, keys.dialer, 3000, { zeroRtt: true });
    ours.end(payload);
    const got = await messages;
    expect(got[0]).toEqual(Buffer.of(OPEN));
    expect(got.slice(1, 5).map((m) => m[0])).toEqual([DATA, DATA, DATA, DATA]);
    expect(got.slice(1, 4).map((m) => m.length)).toEqual([SEND_PAYLOAD + 1, SEND_PAYLOAD + 1, SEND_PAYLOAD + 1]);
    expect(sha(Buffer.concat(got.slice(1, 5).map((m) => m.subarray(1))))).toBe(sha(payload));
    expect(got[5]).toEqual(Buffer.of(END));
    // And the library's OPEN and END close ours cleanly.
    const ended = once(ours.resume(), 'end');
    lib.write(Buffer.of(OPEN));
    lib.write(Buffer.of(END));
    lib.end();
    await ended;
    close();
  });

  it('what the library sends (as earlier versions framed it, up to 64 KiB a message), we read', async () => {
    const { client, server, close } = await tcpPair();
    const keys = sessionKeys();
    const lib = new SecretStream(true, client, { handshake: keys.dialer });
    const parts = [randomBytes(MAX_FRAME), randomBytes(1), randomBytes(MAX_FRAME - 1), randomBytes(40_000)];
    lib.write(Buffer.of(OPEN));
    for (const p of parts) lib.write(Buffer.concat([Buffer.of(DATA), p]));
    lib.write(Buffer.of(END));
    lib.end();
    const ours = await keyedStream(server, false, keys.listener, 3000);
    const chunks: Buffer[] = [];
    ours.on('data', (c: Buffer) => chunks.push(c));
    await once(ours, 'end');
    expect(sha(Buffer.concat(chunks))).toBe(sha(Buffer.concat(parts)));
    close();
  });

  it('gathers a message split at any byte, and hands a whole one on as a view of the read', () => {
    const keys = sessionKeys();
    const sealer = new Sealer(keys.dialer.tx, keys.dialer.hash, true);
    const payload = randomBytes(1000);
    const wire = Buffer.concat([sealer.headerMessage, sealer.seal(DATA, payload, 0, payload.length)]);
    for (let cut = 0; cut <= wire.length; cut++) {
      // Messages are opened in place, in the chunks the reader got: each try gets its own copy.
      const bytes = Buffer.from(wire);
      const opener = new Opener(keys.listener.rx, keys.listener.hash, false);
      const reader = new MessageReader(MAX_FRAME + 1 + SEAL_OVERHEAD);
      const plain: Buffer[] = [];
      for (const chunk of [bytes.subarray(0, cut), bytes.subarray(cut)]) {
        reader.read(chunk, (body) => {
          const p = opener.open(body);
          if (p) plain.push(Buffer.from(p));
          return true;
        });
      }
      expect(plain.length).toBe(1);
      expect(plain[0]!.equals(Buffer.concat([Buffer.of(DATA), payload]))).toBe(true);
    }
    const reader = new MessageReader(100);
    const whole = Buffer.concat([Buffer.of(5, 0, 0), Buffer.from('hello')]);
    let seen: Buffer | undefined;
    reader.read(whole, (body) => ((seen = body), true));
    expect(seen?.buffer).toBe(whole.buffer);
  });

  it('refuses a length over the bound before gathering anything, a stranger header, and a tampered message', () => {
    const reader = new MessageReader(MAX_FRAME + 1 + SEAL_OVERHEAD);
    expect(() => reader.read(Buffer.of(0xff, 0xff, 0xff, 1, 2, 3), () => true)).toThrow(/over the/);
    const keys = sessionKeys();
    const other = sessionKeys();
    const stranger = new Sealer(other.dialer.tx, other.dialer.hash, true);
    const opener = new Opener(keys.listener.rx, keys.listener.hash, false);
    expect(() => opener.open(stranger.headerMessage.subarray(LENGTH_BYTES))).toThrow(/does not belong to this session/);
    const sealer = new Sealer(keys.dialer.tx, keys.dialer.hash, true);
    expect(opener.open(sealer.headerMessage.subarray(LENGTH_BYTES, LENGTH_BYTES + HEADER_MESSAGE_BYTES))).toBeUndefined();
    const message = sealer.seal(DATA, Buffer.from('pay me'), 0, 6).subarray(LENGTH_BYTES);
    message[8]! ^= 1;
    expect(() => opener.open(message)).toThrow(/failed authentication/);
  });

  it('a burst far larger than the pool of sent buffers, written while the peer does not read, arrives intact', async () => {
    const { dial, listen } = await keyedPair();
    // Many distinct 64 KiB chunks: if a pooled buffer were reused before the socket wrote it, a later chunk would overwrite an earlier one.
    const parts = Array.from({ length: 200 }, () => randomBytes(64 * 1024));
    listen.pause();
    for (const p of parts) dial.write(p);
    dial.end();
    await new Promise((r) => setTimeout(r, 200));
    const got: Buffer[] = [];
    listen.on('data', (c: Buffer) => got.push(c));
    listen.resume();
    await once(listen, 'end');
    expect(sha(Buffer.concat(got))).toBe(sha(Buffer.concat(parts)));
  }, 20_000);
});
