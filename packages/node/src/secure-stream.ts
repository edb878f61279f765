import type { Duplex } from 'node:stream';

/** A Node Duplex carrying only authenticated, encrypted bytes, and who is on the other end. */
export interface SecureStream extends Duplex {
  readonly remotePublicKey: Uint8Array;
  /** Noise handshake hash: equal on both ends, unique per connection. */
  readonly handshakeHash: Uint8Array;
  /** Application bytes read from the peer and written to it so far (plaintext, not the encrypted frames). */
  readonly bytesIn: number;
  readonly bytesOut: number;
}
