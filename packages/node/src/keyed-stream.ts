import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { P2pNodeError } from '@p2p-node/protos';
import type { SessionKeys } from './noise-session.js';
import { secureDuplex } from './framed-duplex.js';
import type { SecureStream } from './secure-stream.js';

/** The far end of the socket did not prove it holds the session keys agreed in signaling. */
export class StreamOpenError extends P2pNodeError {
  constructor(message: string) {
    super('stream-open-failed', message);
  }
}

/**
 * Turns a connected socket into the encrypted stream whose keys the Noise
 * handshake in signaling produced. Each end writes its stream header
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
  return new Promise((resolve, reject) => {
    let settled = false;
    let concluded = false;
    const settle = (stream?: SecureStream, err?: Error) => {
      if (settled) return;
      settled = true;
      if (stream) resolve(stream);
      else reject(err);
    };
    const vetFailure = (err: Error): Error | undefined => {
      if (concluded) return err;
      concluded = true;
      clearTimeout(timer);
      // A typed failure of the connection itself (a relay circuit that never formed) is reported as it is.
      const failure =
        err instanceof P2pNodeError
          ? err
          : new StreamOpenError(`the peer on this connection did not prove it holds the session keys (${err.message}): wrong key, or not the peer that answered in signaling`);
      socket.destroy();
      // Handed over already (zeroRtt): the user's stream reports it. Not yet: the promise does.
      if (settled) return failure;
      settle(undefined, failure);
      return undefined;
    };
    const stream = secureDuplex(socket, initiator, keys, {
      onPeerOpen: () => {
        if (concluded) return;
        concluded = true;
        clearTimeout(timer);
        settle(stream);
      },
      vetFailure,
    });
    const timer = setTimeout(() => {
      if (!stream.destroyed) stream.destroy(vetFailure(new Error(`nothing within ${timeoutMs} ms`)));
    }, timeoutMs);
    if (opts.zeroRtt) settle(stream);
  });
}
