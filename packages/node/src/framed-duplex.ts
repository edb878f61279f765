import { Duplex } from 'node:stream';
import type SecretStream from '@hyperswarm/secret-stream';
import type { SecureStream } from './secure-stream.js';

/**
 * secret-stream frames each write as one message of at most 16 MiB; larger
 * user writes are cut into pieces this size.
 */
export const MAX_FRAME = 64 * 1024;

/**
 * streamx (what secret-stream is) is not a Node stream; users expect
 * `instanceof Duplex`. The wrapper also makes the end of the stream
 * authenticated: a TCP FIN is not, so a cut or injected FIN would pass for a
 * clean end and silently truncate data. Every message therefore starts with
 * a type byte, and an END message closes the stream inside the encrypted
 * channel.
 */
export function wrapAsNodeDuplex(secret: SecretStream, remotePublicKey: Uint8Array, handshakeHash: Uint8Array): SecureStream {
  const DATA = 0;
  const END = 1;
  let pendingWrite: (() => void) | undefined;
  let peerFinished = false;
  const duplex = new Duplex({
    read() {
      secret.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      let ok = true;
      for (let i = 0; i < chunk.length; i += MAX_FRAME) ok = secret.write(Buffer.concat([Buffer.of(DATA), chunk.subarray(i, i + MAX_FRAME)]));
      if (ok) return cb();
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
    if (message[0] !== DATA || message.length < 2) return void duplex.destroy(new Error('malformed message inside the secure channel'));
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
  return duplex as SecureStream;
}
