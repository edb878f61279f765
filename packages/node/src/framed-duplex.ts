import { Duplex } from 'node:stream';
import type SecretStream from '@hyperswarm/secret-stream';
import type { SecureStream } from './secure-stream.js';

/**
 * secret-stream frames each write as one message of at most 16 MiB; larger
 * user writes are cut into pieces this size.
 */
export const MAX_FRAME = 64 * 1024;

/**
 * Node's default (16 KiB) is below one frame: every frame would fill the
 * buffer and pause secret-stream, then resume it, once per message. A few
 * frames' worth lets a burst flow.
 */
const HIGH_WATER_MARK = 1024 * 1024;

/**
 * The first message each end writes on a stream keyed in signaling: it proves
 * that the far end of this very socket holds the session keys (the secret-
 * stream header alone raises no event), so neither side hands a stream over
 * before its peer is known to be on it.
 */
export const OPEN_MESSAGE = Buffer.of(2);

/**
 * streamx (what secret-stream is) is not a Node stream; users expect
 * `instanceof Duplex`. The wrapper also makes the end of the stream
 * authenticated: a TCP FIN is not, so a cut or injected FIN would pass for a
 * clean end and silently truncate data. Every message therefore starts with
 * a type byte, and an END message closes the stream inside the encrypted
 * channel.
 */
export function wrapAsNodeDuplex(secret: SecretStream, remotePublicKey: Uint8Array, handshakeHash: Uint8Array, onPeerOpen?: () => void): SecureStream {
  const DATA = 0;
  const END = 1;
  let pendingWrite: (() => void) | undefined;
  let peerFinished = false;
  let bytesIn = 0;
  let bytesOut = 0;
  /**
   * Cuts `chunk` into frames of at most MAX_FRAME payload, each built in the
   * buffer secret-stream then encrypts in place (alloc), so the bytes are
   * copied once on their way to the socket instead of twice. secret-stream
   * only skips its copy for the latest alloc, so a chunk of several frames
   * still pays it for all but its last: stdin and echoed reads come in at
   * most 64 KiB, one frame. Returns secret-stream's backpressure verdict.
   */
  const sendData = (chunk: Buffer): boolean => {
    let ok = true;
    for (let at = 0; at < chunk.length; at += MAX_FRAME) {
      const n = Math.min(chunk.length - at, MAX_FRAME);
      const frame = secret.alloc(1 + n);
      frame[0] = DATA;
      chunk.copy(frame, 1, at, at + n);
      ok = secret.write(frame);
    }
    return ok;
  };
  const duplex = new Duplex({
    readableHighWaterMark: HIGH_WATER_MARK,
    writableHighWaterMark: HIGH_WATER_MARK,
    read() {
      secret.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      bytesOut += chunk.length;
      if (sendData(chunk)) return cb();
      pendingWrite = cb;
    },
    final(cb) {
      // Finish only once secret-stream has flushed: Node destroys a duplex
      // whose both sides are done, and that would drop queued frames (END too).
      secret.once('finish', () => cb());
      secret.write(Buffer.of(END));
      secret.end();
    },
    destroy(err, cb) {
      secret.destroy(err ?? undefined);
      cb(err);
    },
  });
  secret.on('drain', () => {
    const cb = pendingWrite;
    pendingWrite = undefined;
    cb?.();
  });
  secret.on('data', (message: Buffer) => {
    if (peerFinished) return void duplex.destroy(new Error('peer sent data after its authenticated end'));
    if (message[0] === END && message.length === 1) {
      peerFinished = true;
      return;
    }
    if (message[0] === OPEN_MESSAGE[0] && message.length === 1) return onPeerOpen?.();
    if (message[0] !== DATA || message.length < 2) return void duplex.destroy(new Error('malformed message inside the secure channel'));
    bytesIn += message.length - 1;
    if (!duplex.push(message.subarray(1))) secret.pause();
  });
  secret.on('end', () => {
    if (peerFinished) duplex.push(null);
    else duplex.destroy(new Error('secure connection closed before the peer ended it (data may be missing)'));
  });
  secret.on('error', (err: Error) => duplex.destroy(err));
  // A close without the peer's end is a cut connection: say so instead of
  // leaving a reader waiting forever. After a clean end, unread data stays
  // readable and the duplex closes itself once both sides are done.
  secret.on('close', () => {
    if (!peerFinished && !duplex.destroyed) duplex.destroy(new Error('secure connection closed before the peer ended it (data may be missing)'));
  });
  Object.defineProperty(duplex, 'remotePublicKey', { value: remotePublicKey, enumerable: true });
  Object.defineProperty(duplex, 'handshakeHash', { value: handshakeHash, enumerable: true });
  Object.defineProperty(duplex, 'bytesIn', { get: () => bytesIn, enumerable: true });
  Object.defineProperty(duplex, 'bytesOut', { get: () => bytesOut, enumerable: true });
  return duplex as SecureStream;
}
