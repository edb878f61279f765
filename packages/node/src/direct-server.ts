import { createServer, type Server, type Socket } from 'node:net';
import { HandshakeGate, type GateSlot } from './handshake-gate.js';
import { keyedStream } from './keyed-stream.js';
import { HEADER_MESSAGE_BYTES, LENGTH_BYTES, streamId } from './secretstream-wire.js';
import type { SessionKeys } from './noise-session.js';
import type { SecureStream } from './secure-stream.js';

/** The first message of a stream: a 3-byte length (56), the 32-byte stream id, the 24-byte secretstream header. */
const HEADER_FRAME_BYTES = LENGTH_BYTES + HEADER_MESSAGE_BYTES;
/** A dialer connects right after reading our answer; a handshake not used by then is dropped. */
const EXPECT_FOR_MS = 30_000;
const FIRST_FRAME_TIMEOUT_MS = 5_000;
const OPEN_TIMEOUT_MS = 10_000;

/** A connection whose first frame has been read. */
interface Arrived {
  socket: Socket;
  head: Buffer;
  slot: GateSlot;
  from: string;
  timer: NodeJS.Timeout;
}

interface Expected {
  keys: SessionKeys;
  /** Our Noise role: the listener answered the dialer (responder); a dialer with a mapped port is the initiator. */
  initiator: boolean;
  expiresAt: number;
  onStream: (stream: SecureStream, socket: Socket) => void;
}

/**
 * The accepting side of a listener with no NAT or a mapped port: dialers
 * connect to its port (and, for a dialer with a mapped port, the listener
 * it dialed connects to it).
 * Only a connection whose first frame names a handshake that we answered in
 * signaling is kept (its stream id is a hash of that handshake), so idle or
 * stray connections can never take the place of a dialer that signaled:
 * they wait at most a few seconds, and the oldest is dropped first whenever
 * a newer connection needs its place (HandshakeGate).
 */
export class DirectServer {
  private readonly expected = new Map<string, Expected>();
  private readonly gate = new HandshakeGate();
  /** Connections that named a handshake before it was expected (see accept), by stream id. */
  private readonly early = new Map<string, Arrived & { onError: (why: string) => void }>();
  private constructor(private readonly server: Server) {}

  /** Connections still waiting for their first frame, and those that named a handshake. */
  get gateCounts(): { waiting: number; settled: number } {
    return this.gate.counts;
  }

  static async listen(port: number, host: string, onError: (why: string) => void): Promise<DirectServer> {
    const server = createServer({ allowHalfOpen: true });
    const direct = new DirectServer(server);
    server.on('connection', (socket) => direct.accept(socket, onError));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    server.on('error', (err) => onError(err.message));
    return direct;
  }

  /**
   * Expects one connection keyed by `keys`: by default from the dialer we
   * just answered (we are the Noise responder); with `initiator`, from the
   * listener we dialed, which connects to our mapped port. The connecting
   * end's first frame carries the stream id of its own role.
   */
  expect(keys: SessionKeys, onStream: Expected['onStream'], opts: { initiator?: boolean } = {}): void {
    const now = Date.now();
    for (const [id, e] of this.expected) if (e.expiresAt <= now) this.expected.delete(id);
    const initiator = opts.initiator === true;
    const id = streamId(keys.hash, !initiator).toString('hex');
    const e: Expected = { keys, initiator, expiresAt: now + EXPECT_FOR_MS, onStream };
    this.expected.set(id, e);
    const arrived = this.early.get(id);
    if (arrived) {
      this.early.delete(id);
      this.open(arrived, id, e, arrived.onError);
    }
  }

  /** Stops expecting `keys` (the dial that expected them ended another way). */
  forget(keys: SessionKeys, opts: { initiator?: boolean } = {}): void {
    this.expected.delete(streamId(keys.hash, opts.initiator !== true).toString('hex'));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket, onError: (why: string) => void): void {
    socket.on('error', () => undefined);
    const from = `${socket.remoteAddress}:${socket.remotePort}`;
    const slot = this.gate.enter(socket.remoteAddress ?? '', () => socket.destroy());
    if (!slot) return void socket.destroy();
    const timer = setTimeout(() => socket.destroy(), FIRST_FRAME_TIMEOUT_MS);
    let head = Buffer.alloc(0);
    let waitingAs: string | undefined;
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      if (head.length < HEADER_FRAME_BYTES) return;
      socket.off('data', onData);
      socket.pause();
      if (head.readUIntLE(0, LENGTH_BYTES) !== HEADER_MESSAGE_BYTES) {
        clearTimeout(timer);
        slot.leave();
        return void socket.destroy();
      }
      const id = head.subarray(3, 35).toString('hex');
      const e = this.expected.get(id);
      if (e) return this.open({ socket, head, slot, from, timer }, id, e, onError);
      // Not expected yet: a listener connecting to a dialer's mapped port can be faster than
      // its answer to that dialer. It waits, still a waiting place in the gate, until the
      // first-frame deadline or until its handshake is expected (see expect).
      waitingAs = id;
      this.early.set(id, { socket, head, slot, from, timer, onError });
    };
    socket.on('data', onData);
    socket.once('close', () => {
      clearTimeout(timer);
      slot.leave();
      if (waitingAs !== undefined && this.early.get(waitingAs)?.socket === socket) this.early.delete(waitingAs);
    });
  }

  /** Hands a connection whose first frame names an expected handshake to the keyed stream. */
  private open(c: Arrived, id: string, e: Expected, onError: (why: string) => void): void {
    clearTimeout(c.timer);
    this.expected.delete(id);
    c.slot.settle();
    // Give the keyed stream the bytes we peeked at, as if unread.
    c.socket.unshift(c.head);
    keyedStream(c.socket, e.initiator, e.keys, OPEN_TIMEOUT_MS).then(
      (stream) => e.onStream(stream, c.socket),
      (err: Error) => onError(`from ${c.from}: ${err.message}`),
    ).finally(c.slot.leave);
  }
}
