import { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { SessionKeys } from './noise-session.js';
import { LENGTH_BYTES, MessageReader, Opener, SEAL_OVERHEAD, Sealer } from './secretstream-wire.js';
import type { SecureStream } from './secure-stream.js';

/** The most payload a message may carry (what earlier versions sent); longer ones are refused. */
export const MAX_FRAME = 64 * 1024;
const MAX_BODY = MAX_FRAME + 1 + SEAL_OVERHEAD;
/**
 * What we send per message: 16 KiB on the wire. Node reads a socket 64 KiB
 * at a time; a message whole inside one read is opened in place and handed
 * on as a view of it, while one split across two reads must be gathered
 * into a fresh buffer first. With 64 KiB messages nearly every one was
 * split; with 16 KiB at most one in four is. Fresh buffers are what cost:
 * their memory is new to the process and they drive V8's full collections
 * (bench/throughput.mjs --base: with this and the pool, 0.79x the CPU of the
 * stack before for 1.26x the rate).
 */
export const SEND_PAYLOAD = 16 * 1024 - LENGTH_BYTES - SEAL_OVERHEAD - 1;
/** Sent messages kept for reuse per stream: 1 MiB, the write buffer's size. */
const POOLED_MESSAGES = 64;

/**
 * Node's default (16 KiB) is below one frame: every frame would fill the
 * buffer and pause the socket, then resume it, once per message. A few
 * frames' worth lets a burst flow.
 */
const HIGH_WATER_MARK = 1024 * 1024;

/** What the first byte of a message's plaintext says it is. */
const DATA = 0;
const END = 1;
/**
 * The first message each end writes: it proves that the far end of this
 * very socket holds the session keys (the header alone proves nothing), so
 * neither side hands a stream over before its peer is known to be on it.
 */
const OPEN = 2;

export interface ChannelHooks {
  /** The peer's OPEN message arrived and authenticated. */
  onPeerOpen(): void;
  /** Every failure of the channel passes here first; the stream is destroyed with what it returns (undefined: quietly). */
  vetFailure(err: Error): Error | undefined;
}

/**
 * The encrypted stream on a socket, keyed by a handshake done elsewhere (in
 * signaling): writes our header and OPEN at once, then carries DATA. One
 * Node Duplex straight on the socket, so a byte crosses one stream layer.
 *
 * The end is authenticated too: a TCP FIN is not, so a cut or injected FIN
 * would pass for a clean end and silently truncate data. Every message starts
 * with a type byte, and an END message closes the stream inside the
 * encrypted channel; a FIN without it is an error.
 */
export function secureDuplex(socket: Duplex, initiator: boolean, keys: SessionKeys, hooks: ChannelHooks): SecureStream {
  const sealer = new Sealer(keys.tx, keys.hash, initiator);
  const opener = new Opener(keys.rx, keys.hash, initiator);
  const reader = new MessageReader(MAX_BODY);
  /**
   * Buffers of sent messages, back once the socket has written them. Only
   * for a bare socket: its write callback means the kernel has the bytes,
   * while another stream (a relay circuit) may call back and still hold them.
   */
  const pool: Buffer[] | undefined = socket instanceof Socket ? [] : undefined;
  const sendData = (chunk: Buffer, at: number, n: number): boolean => {
    if (!pool) return socket.write(sealer.seal(DATA, chunk, at, n));
    const buf = pool.pop() ?? Buffer.allocUnsafe(LENGTH_BYTES + SEAL_OVERHEAD + 1 + SEND_PAYLOAD);
    return socket.write(sealer.sealInto(buf, DATA, chunk, at, n), () => {
      if (pool.length < POOLED_MESSAGES) pool.push(buf);
    });
  };
  let peerFinished = false;
  let bytesIn = 0;
  let bytesOut = 0;
  const fail = (err: Error) => {
    if (!duplex.destroyed) duplex.destroy(hooks.vetFailure(err));
  };
  const duplex = new Duplex({
    readableHighWaterMark: HIGH_WATER_MARK,
    writableHighWaterMark: HIGH_WATER_MARK,
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      bytesOut += chunk.length;
      let ok = true;
      // One writev for the messages of a chunk, not a write each.
      socket.cork();
      for (let at = 0; at < chunk.length; at += SEND_PAYLOAD) ok = sendData(chunk, at, Math.min(chunk.length - at, SEND_PAYLOAD));
      socket.uncork();
      if (ok) cb();
      else socket.once('drain', () => cb());
    },
    final(cb) {
      // Finish only once the socket has: Node destroys a duplex whose both
      // sides are done, and that would drop queued messages (END too).
      socket.write(sealer.seal(END));
      socket.end(() => cb());
    },
    destroy(err, cb) {
      socket.destroy(err ?? undefined);
      cb(err);
    },
  });
  /** Handles one message body; false once the stream is done for. */
  const onBody = (body: Buffer): boolean => {
    const plain = opener.open(body);
    if (!plain) return true;
    if (peerFinished) throw new Error('peer sent data after its authenticated end');
    const type = plain[0];
    if (type === END && plain.length === 1) peerFinished = true;
    else if (type === OPEN && plain.length === 1) hooks.onPeerOpen();
    else if (type === DATA && plain.length > 1) {
      bytesIn += plain.length - 1;
      if (!duplex.push(plain.subarray(1))) socket.pause();
    } else throw new Error('malformed message inside the secure channel');
    return !duplex.destroyed;
  };
  socket.on('data', (chunk: Buffer) => {
    try {
      reader.read(chunk, onBody);
    } catch (err) {
      fail(err as Error);
    }
  });
  socket.on('end', () => {
    if (peerFinished) duplex.push(null);
    else fail(new Error('secure connection closed before the peer ended it (data may be missing)'));
  });
  socket.on('error', fail);
  // A close without the peer's end is a cut connection: say so instead of
  // leaving a reader waiting forever. After a clean end, unread data stays
  // readable and the duplex closes itself once both sides are done.
  socket.on('close', () => {
    if (!peerFinished) fail(new Error('secure connection closed before the peer ended it (data may be missing)'));
  });
  socket.write(sealer.headerMessage);
  socket.write(sealer.seal(OPEN));
  // The peer's OPEN must be read before anyone reads the stream (a paused
  // socket, like the one direct-server peeked at, would wait for good).
  socket.resume();
  Object.defineProperty(duplex, 'remotePublicKey', { value: keys.remotePublicKey, enumerable: true });
  Object.defineProperty(duplex, 'handshakeHash', { value: keys.hash, enumerable: true });
  Object.defineProperty(duplex, 'bytesIn', { get: () => bytesIn, enumerable: true });
  Object.defineProperty(duplex, 'bytesOut', { get: () => bytesOut, enumerable: true });
  return duplex as SecureStream;
}
