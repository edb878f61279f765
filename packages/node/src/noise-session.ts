import Noise from 'noise-handshake';
import curve from 'noise-curve-ed';
import type { Identity } from '@p2p-node/dht-signal';
import { P2pNodeError } from '@p2p-node/protos';

/*
 * The Noise IK handshake of a dial, run inside signaling rather than on the
 * punched socket: the first message rides in the dialer's signed request,
 * the second in the listener's signed answer (as hyperdht does through its
 * DHT relays). When the SYNs cross the keys already exist, so the TCP path
 * carries only the stream headers and data (secretstream-wire.ts): no handshake round trip
 * after the punch. IK with the dialed key as the responder's static key
 * means only the holder of that key can read the first message or write the
 * second; the listener learns and checks the dialer's key from the first.
 * Introducers see both messages but can neither read nor forge them, and a
 * replayed first message is refused by the listener's nonce table (the
 * message is covered by the request's signature and nonce).
 */

/** Both sides' traffic keys and the handshake hash, as the keyed stream (secretstream-wire.ts) takes them. */
export interface SessionKeys {
  tx: Buffer;
  rx: Buffer;
  hash: Buffer;
  publicKey: Buffer;
  remotePublicKey: Buffer;
}

/** The Noise handshake could not be completed or proved another key than expected. */
export class SessionError extends P2pNodeError {
  constructor(message: string) {
    super('session-failed', message);
  }
}

/** Separates p2p-node's handshakes from any other Noise use of the same keys. */
const PROLOGUE = new TextEncoder().encode('p2p-node/noise-ik/v1');

function keyPairOf(identity: Identity) {
  // libsodium's ed25519 secret key is the seed followed by the public key.
  return { publicKey: Buffer.from(identity.publicKey), secretKey: Buffer.concat([identity.secretKey, identity.publicKey]) };
}

function keysOf(noise: Noise, identity: Identity): SessionKeys {
  if (!noise.complete || !noise.tx || !noise.rx || !noise.hash || !noise.rs) throw new SessionError('Noise handshake did not complete');
  return {
    tx: Buffer.from(noise.tx),
    rx: Buffer.from(noise.rx),
    hash: Buffer.from(noise.hash),
    publicKey: Buffer.from(identity.publicKey),
    remotePublicKey: Buffer.from(noise.rs),
  };
}

/** The dialer's half: `message` goes into the request; `finish` takes the answer's bytes. */
export class NoiseDialer {
  readonly message: Uint8Array;
  private readonly noise: Noise;

  constructor(
    private readonly identity: Identity,
    readonly remotePublicKey: Uint8Array,
  ) {
    this.noise = new Noise('IK', true, keyPairOf(identity), { curve });
    this.noise.initialise(PROLOGUE, Buffer.from(remotePublicKey));
    this.message = this.noise.send();
  }

  finish(reply: Uint8Array): SessionKeys {
    if (reply.length === 0) throw new SessionError('the answer carries no Noise handshake (not a current p2p-node listener)');
    try {
      this.noise.recv(Buffer.from(reply));
    } catch {
      throw new SessionError(`the answer's Noise message does not decrypt: it was not made by the holder of ${Buffer.from(this.remotePublicKey).toString('hex')}`);
    }
    return keysOf(this.noise, this.identity);
  }
}

/**
 * The listener's half: reads the dialer's first message, checks it proves
 * `dialerKey` (the key that signed the request), and returns the reply to
 * put in the answer together with the session keys.
 */
export function answerNoise(identity: Identity, message: Uint8Array, dialerKey: Uint8Array): { reply: Uint8Array; keys: SessionKeys } {
  if (message.length === 0) throw new SessionError('the request carries no Noise handshake');
  const noise = new Noise('IK', false, keyPairOf(identity), { curve });
  noise.initialise(PROLOGUE);
  try {
    noise.recv(Buffer.from(message));
  } catch {
    throw new SessionError('the request\'s Noise message does not decrypt for our key');
  }
  if (!noise.rs || !Buffer.from(noise.rs).equals(Buffer.from(dialerKey))) {
    throw new SessionError('the Noise handshake proves another key than the one that signed the request');
  }
  const reply = noise.send();
  return { reply, keys: keysOf(noise, identity) };
}
