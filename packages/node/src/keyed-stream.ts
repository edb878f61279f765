import type { Socket } from 'node:net';
import SecretStream from '@hyperswarm/secret-stream';
import { P2pNodeError } from '@p2p-node/protos';
import type { SessionKeys } from './noise-session.js';
import { OPEN_MESSAGE, wrapAsNodeDuplex } from './framed-duplex.js';
import type { SecureStream } from './secure-stream.js';

/** The far end of the socket did not prove it holds the session keys agreed in signaling. */
export class StreamOpenError extends P2pNodeError {
  constructor(message: string) {
    super('stream-open-failed', message);
  }
}

/**
 * Turns a connected socket into the encrypted stream whose keys the Noise
 * handshake in signaling produced. Each end writes its secret-stream header
 * and an OPEN message at once (one flight, no round trip of its own), and
 * resolves when the peer's OPEN has arrived and decrypted: proof that the far
 * end of this socket holds the keys. A stranger on the socket (a reused
 * port, a hijacked endpoint) cannot produce it, and the stream fails.
 */
export function keyedStream(socket: Socket, initiator: boolean, keys: SessionKeys, timeoutMs: number): Promise<SecureStream> {
  // netcat semantics: one side's EOF must not end the other side's writes.
  socket.allowHalfOpen = true;
  // The header and OPEN are small back-to-back writes: Nagle would hold the second behind an ACK.
  socket.setNoDelay(true);
  const secret = new SecretStream(initiator, socket, { handshake: keys });
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream.destroy();
      socket.destroy();
      reject(new StreamOpenError(`the peer did not open the secure stream (${why})`));
    };
    const stream = wrapAsNodeDuplex(secret, keys.remotePublicKey, keys.hash, () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream.off('error', onError);
      stream.off('close', onClose);
      resolve(stream);
    });
    const onError = (err: Error) => fail(err.message);
    const onClose = () => fail('connection closed');
    stream.on('error', onError);
    stream.on('close', onClose);
    const timer = setTimeout(() => fail(`nothing within ${timeoutMs} ms`), timeoutMs);
    secret.write(OPEN_MESSAGE);
  });
}
