import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import SecretStream from '@hyperswarm/secret-stream';
import type { Identity } from '@p2p-node/dht-signal';
import { wrapAsNodeDuplex } from './framed-duplex.js';

/** The far side could not prove it holds the key that was dialed. */
export class WrongKeyError extends Error {
  override readonly name = 'WrongKeyError';
}

/** The Noise handshake did not finish (timeout, reset, garbage). */
export class HandshakeError extends Error {
  override readonly name = 'HandshakeError';
}

/** A Node Duplex carrying only authenticated, encrypted bytes, and who is on the other end. */
export interface SecureStream extends Duplex {
  readonly remotePublicKey: Uint8Array;
  /** Noise handshake hash: equal on both ends, unique per connection. */
  readonly handshakeHash: Uint8Array;
}

export interface SecureOptions {
  identity: Identity;
  /** Set by the dialer: the key it dialed. The listener learns the dialer's key instead. */
  remotePublicKey?: Uint8Array;
  handshakeTimeoutMs?: number;
}

/**
 * Runs a Noise handshake over `socket` with the ed25519 identity as static key
 * (@hyperswarm/secret-stream: Noise over ed25519, then libsodium secretstream).
 * The dialer uses pattern IK against the key it dialed, so only the holder of
 * that key can complete the handshake; the listener answers IK and learns the
 * dialer's key. Every byte after that is encrypted and authenticated, which
 * also guards against stray segments from reused ports (SO_REUSEADDR).
 */
export function secureStream(socket: Socket, initiator: boolean, opts: SecureOptions): Promise<SecureStream> {
  const keyPair = {
    publicKey: Buffer.from(opts.identity.publicKey),
    // libsodium's ed25519 secret key is the seed followed by the public key.
    secretKey: Buffer.concat([opts.identity.secretKey, opts.identity.publicKey]),
  };
  const expected = opts.remotePublicKey ? Buffer.from(opts.remotePublicKey) : undefined;
  // netcat semantics: one side's EOF must not end the other side's writes.
  socket.allowHalfOpen = true;
  // The handshake and the verdict are small back-to-back writes: Nagle would
  // hold each behind the previous one's ACK, a round trip apiece.
  socket.setNoDelay(true);
  const secret = new SecretStream(initiator, socket, {
    keyPair,
    pattern: 'IK',
    ...(initiator && expected ? { remotePublicKey: expected } : {}),
  });
  const timeoutMs = opts.handshakeTimeoutMs ?? 10_000;

  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      secret.destroy();
      socket.destroy();
      reject(err);
    };
    const timer = setTimeout(() => fail(new HandshakeError(`Noise handshake did not finish within ${timeoutMs} ms`)), timeoutMs);
    // With IK only the holder of the dialed key can read the dialer's first
    // message; anyone else fails to decrypt it and hangs up. So on the dialer's
    // side, a handshake that breaks off means the far side is not that key.
    const brokenOff = (why: string) =>
      initiator && expected
        ? new WrongKeyError(`the peer did not prove it holds ${expected.toString('hex')} (${why}): wrong key, or not a p2p-node peer`)
        : new HandshakeError(`Noise handshake failed: ${why}`);
    secret.once('error', (err: Error) => fail(brokenOff(err.message)));
    secret.once('close', () => fail(brokenOff('connection closed during the handshake')));
    // The socket is half-open capable, so a peer hanging up shows as 'end', not 'close'.
    const onEnd = () => fail(brokenOff('the peer hung up during the handshake'));
    socket.once('end', onEnd);
    secret.once('connect', () => {
      if (settled) return;
      const remote = secret.remotePublicKey;
      if (!remote || (expected && !remote.equals(expected))) {
        return fail(new WrongKeyError(`the peer proved key ${remote?.toString('hex') ?? '(none)'}, not the dialed ${expected?.toString('hex')}`));
      }
      settled = true;
      clearTimeout(timer);
      socket.off('end', onEnd);
      resolve(wrapAsNodeDuplex(secret, remote, secret.handshakeHash!));
    });
  });
}
