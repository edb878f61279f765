import sodium from 'sodium-native';

/**
 * The bytes of @hyperswarm/secret-stream 6 on the wire, spoken without its
 * stream layer. Each message is a 3-byte little-endian length and a body. The
 * first body is the 32-byte stream id and libsodium's 24-byte secretstream
 * header; every later one is a secretstream (XChaCha20-Poly1305) message.
 * Keeping the format keeps peers and relays of earlier p2p-node versions
 * (which ran secret-stream itself) compatible; secretstream-wire.test.ts
 * checks it against the library.
 *
 * Why not the library: it is a streamx stream, and ours is a Node Duplex on
 * top of it, so every byte crossed two stream layers, two buffers and their
 * events, and the message bodies were allocated and copied more often than
 * the cipher needs. That cost more CPU than the cipher itself (bench/throughput.mjs).
 */

const KEY_BYTES = 32;
const SECRETSTREAM_HEADER_BYTES = 24;
/** The tag byte secretstream encrypts in front of a message and the 16-byte MAC behind it. */
export const SEAL_OVERHEAD = 17;
const STREAM_ID_BYTES = 32;
export const HEADER_MESSAGE_BYTES = STREAM_ID_BYTES + SECRETSTREAM_HEADER_BYTES;
export const LENGTH_BYTES = 3;
const TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
const STATE_BYTES = sodium.crypto_secretstream_xchacha20poly1305_STATEBYTES;

const hash32 = (input: Buffer, key?: Buffer): Buffer => {
  const out = Buffer.alloc(32);
  sodium.crypto_generichash(out, input, key);
  return out;
};
/** secret-stream's role namespaces: BLAKE2b of its name, then of that hash and the role's index. */
const NAMESPACE = hash32(Buffer.from('hyperswarm/secret-stream'));
const INITIATOR_ROLE = hash32(Buffer.concat([NAMESPACE, Buffer.of(0)]));
const RESPONDER_ROLE = hash32(Buffer.concat([NAMESPACE, Buffer.of(1)]));

/** The id an end sends before its header: its role's namespace keyed by the handshake hash, so it names one session and one direction. */
export function streamId(handshakeHash: Buffer, initiator: boolean): Buffer {
  return hash32(initiator ? INITIATOR_ROLE : RESPONDER_ROLE, handshakeHash);
}

/** Our sending half: the header message to send first, then sealed messages. */
export class Sealer {
  readonly headerMessage = Buffer.alloc(LENGTH_BYTES + HEADER_MESSAGE_BYTES);
  private readonly state = Buffer.alloc(STATE_BYTES);

  constructor(txKey: Buffer, handshakeHash: Buffer, initiator: boolean) {
    this.headerMessage.writeUIntLE(HEADER_MESSAGE_BYTES, 0, LENGTH_BYTES);
    streamId(handshakeHash, initiator).copy(this.headerMessage, LENGTH_BYTES);
    const header = this.headerMessage.subarray(LENGTH_BYTES + STREAM_ID_BYTES);
    sodium.crypto_secretstream_xchacha20poly1305_init_push(this.state, header, txKey.subarray(0, KEY_BYTES));
  }

  /** seal() into a buffer of its own, which the caller may hand to the socket for good. */
  seal(type: number, src?: Buffer, at = 0, n = 0): Buffer {
    return this.sealInto(Buffer.allocUnsafe(LENGTH_BYTES + SEAL_OVERHEAD + 1 + n), type, src, at, n);
  }

  /**
   * One message whose plaintext is the `type` byte and `n` bytes of `src`
   * from `at`, ready to write: a view of the start of `into` (which must
   * hold n + 21 bytes). The plaintext is laid out where its ciphertext goes
   * and encrypted in place, so the payload is copied once.
   */
  sealInto(into: Buffer, type: number, src?: Buffer, at = 0, n = 0): Buffer {
    const bodyBytes = SEAL_OVERHEAD + 1 + n;
    const message = into.subarray(0, LENGTH_BYTES + bodyBytes);
    message.writeUIntLE(bodyBytes, 0, LENGTH_BYTES);
    const plainAt = LENGTH_BYTES + 1;
    message[plainAt] = type;
    if (src && n > 0) src.copy(message, plainAt + 1, at, at + n);
    sodium.crypto_secretstream_xchacha20poly1305_push(this.state, message.subarray(LENGTH_BYTES), message.subarray(plainAt, plainAt + 1 + n), null, TAG_MESSAGE);
    return message;
  }
}

/** Our receiving half: takes the peer's header, then opens its messages in place. */
export class Opener {
  private state: Buffer | undefined;
  private readonly tag = Buffer.alloc(1);
  private readonly peerId: Buffer;

  constructor(
    private readonly rxKey: Buffer,
    handshakeHash: Buffer,
    initiator: boolean,
  ) {
    this.peerId = streamId(handshakeHash, !initiator);
  }

  /**
   * The plaintext of one message body, decrypted in place (a view into
   * `body`), or undefined for the peer's header. Throws when the header is
   * not this session's or a message does not authenticate.
   */
  open(body: Buffer): Buffer | undefined {
    if (!this.state) {
      if (body.length !== HEADER_MESSAGE_BYTES || !body.subarray(0, STREAM_ID_BYTES).equals(this.peerId)) {
        throw new Error("the peer's stream header does not belong to this session");
      }
      this.state = Buffer.alloc(STATE_BYTES);
      sodium.crypto_secretstream_xchacha20poly1305_init_pull(this.state, body.subarray(STREAM_ID_BYTES), this.rxKey.subarray(0, KEY_BYTES));
      return undefined;
    }
    if (body.length < SEAL_OVERHEAD) throw new Error('a message shorter than its authentication tag');
    const plain = body.subarray(1, body.length - SEAL_OVERHEAD + 1);
    try {
      sodium.crypto_secretstream_xchacha20poly1305_pull(this.state, plain, this.tag, body, null);
    } catch {
      throw new Error('a message failed authentication: not sealed by the peer of this session, or altered on the way');
    }
    return plain;
  }
}

/**
 * Cuts a byte stream into message bodies. A body inside one chunk is handed
 * on as a view of it (no copy); only a body split across chunks is gathered
 * into a buffer of its own. Lengths over `maxBody` are refused before any
 * buffer is made, so a stranger cannot make us hold 16 MiB per connection.
 */
export class MessageReader {
  private need = -1;
  private prefix = 0;
  private prefixBytes = 0;
  private partial: Buffer | undefined;
  private have = 0;

  constructor(private readonly maxBody: number) {}

  /** Calls `onBody` for each whole body in order; stops early when it returns false. Throws on an oversized length. */
  read(chunk: Buffer, onBody: (body: Buffer) => boolean): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.need < 0) {
        while (this.prefixBytes < LENGTH_BYTES && at < chunk.length) this.prefix += chunk.readUInt8(at++) * 256 ** this.prefixBytes++;
        if (this.prefixBytes < LENGTH_BYTES) return;
        const length = this.prefix;
        this.prefix = 0;
        this.prefixBytes = 0;
        if (length > this.maxBody) throw new Error(`a message of ${length} bytes, over the ${this.maxBody} this channel allows`);
        this.need = length;
      }
      let body: Buffer;
      if (!this.partial && chunk.length - at >= this.need) {
        body = chunk.subarray(at, at + this.need);
        at += this.need;
      } else {
        this.partial ??= Buffer.allocUnsafe(this.need);
        const n = Math.min(this.need - this.have, chunk.length - at);
        chunk.copy(this.partial, this.have, at, at + n);
        this.have += n;
        at += n;
        if (this.have < this.need) return;
        body = this.partial;
        this.partial = undefined;
        this.have = 0;
      }
      this.need = -1;
      if (!onBody(body)) return;
    }
  }
}
