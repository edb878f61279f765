import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
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
 * and an OPEN message at once (one flight, no round trip of its own). The
 * peer's OPEN, once it decrypts, proves that the far end of this socket
 * holds the keys; a stranger on the socket (a reused port, a hijacked
 * endpoint) cannot produce it.
 *
 * By default the promise waits for that proof. With `zeroRtt` (the dialer)
 * it resolves at once, so the first bytes leave with the header instead of
 * a round trip later: they are encrypted to the peer's keys, so nobody else
 * can read them, and whatever arrives was written by the peer. If the proof
 * does not come (timeout, garbage, a socket cut before it), the stream is
 * destroyed with a StreamOpenError: an error, never a silent loss.
 */
export function keyedStream(socket: Socket | Duplex, initiator: boolean, keys: SessionKeys, timeoutMs: number, opts: { zeroRtt?: boolean } = {}): Promise<SecureStream> {
  // netcat semantics: one side's EOF must not end the other side's writes.
  socket.allowHalfOpen = true;
  // The header and OPEN are small back-to-back writes: Nagle would hold the second behind an ACK.
  // (A relay circuit that is not a bare socket set it on its own.)
  if (socket instanceof Socket) socket.setNoDelay(true);
  const secret = new SecretStream(initiator, socket, { handshake: keys });
  return new Promise((resolve, reject) => {
    let settled = false;
    let proven = false;
    /** The proof came or cannot come any more: stop watching for it. False if that was already decided. */
    const conclude = (): boolean => {
      if (proven) return false;
      proven = true;
      clearTimeout(timer);
      secret.off('error', onError);
      secret.off('close', onClose);
      secret.off('end', onEnd);
      return true;
    };
    /** `own`: a typed failure of the connection itself (a relay circuit that never formed), reported as it is. */
    const fail = (why: string, own?: P2pNodeError) => {
      if (!conclude()) return;
      const err = own ?? new StreamOpenError(`the peer on this connection did not prove it holds the session keys (${why}): wrong key, or not the peer that answered in signaling`);
      // Handed over already (zeroRtt): the user's stream reports this error, first in
      // line since these listeners came before the wrapper's. Not yet: the promise does.
      stream.destroy(settled ? err : undefined);
      socket.destroy();
      if (!settled) {
        settled = true;
        reject(err);
      }
    };
    const onError = (err: Error) => fail(err.message, err instanceof P2pNodeError ? err : undefined);
    const onClose = () => fail('connection closed');
    const onEnd = () => fail('the peer hung up');
    secret.on('error', onError);
    secret.on('close', onClose);
    secret.on('end', onEnd);
    const stream = wrapAsNodeDuplex(secret, keys.remotePublicKey, keys.hash, () => {
      if (!conclude()) return;
      if (!settled) {
        settled = true;
        resolve(stream);
      }
    });
    const timer = setTimeout(() => fail(`nothing within ${timeoutMs} ms`), timeoutMs);
    secret.write(OPEN_MESSAGE);
    if (opts.zeroRtt) {
      settled = true;
      resolve(stream);
    }
  });
}
