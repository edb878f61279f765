import { createServer, type Server, type Socket } from 'node:net';
import SecretStream from '@hyperswarm/secret-stream';
import { HandshakeGate } from './handshake-gate.js';
import { keyedStream } from './keyed-stream.js';
import type { SessionKeys } from './noise-session.js';
import type { SecureStream } from './secure-stream.js';

/** secret-stream's first frame: a 3-byte length (56), the 32-byte stream id, the 24-byte secretstream header. */
const HEADER_FRAME_BYTES = 3 + 32 + 24;
/** A dialer connects right after reading our answer; a handshake not used by then is dropped. */
const EXPECT_FOR_MS = 30_000;
const FIRST_FRAME_TIMEOUT_MS = 5_000;
const OPEN_TIMEOUT_MS = 10_000;

interface Expected {
  keys: SessionKeys;
  expiresAt: number;
  onStream: (stream: SecureStream, socket: Socket) => void;
}

/**
 * The accepting side of a listener with no NAT: dialers connect to its port.
 * Only a connection whose first frame names a handshake that we answered in
 * signaling is kept (its stream id is a hash of that handshake), so idle or
 * stray connections can never take the place of a dialer that signaled:
 * they wait at most a few seconds, and the oldest is dropped first whenever
 * a newer connection needs its place (HandshakeGate).
 */
export class DirectServer {
  private readonly expected = new Map<string, Expected>();
  private readonly gate = new HandshakeGate();
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

  /** Expects one connection keyed by `keys` (the dialer we just answered). */
  expect(keys: SessionKeys, onStream: Expected['onStream']): void {
    const now = Date.now();
    for (const [id, e] of this.expected) if (e.expiresAt <= now) this.expected.delete(id);
    this.expected.set(SecretStream.id(keys.hash, true).toString('hex'), { keys, expiresAt: now + EXPECT_FOR_MS, onStream });
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
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      if (head.length < HEADER_FRAME_BYTES) return;
      socket.off('data', onData);
      socket.pause();
      clearTimeout(timer);
      const id = head.subarray(3, 35).toString('hex');
      const e = this.expected.get(id);
      if (!e || head.readUIntLE(0, 3) !== 56) {
        slot.leave();
        return void socket.destroy();
      }
      this.expected.delete(id);
      slot.settle();
      // Give secret-stream the bytes we peeked at, as if unread.
      socket.unshift(head);
      keyedStream(socket, false, e.keys, OPEN_TIMEOUT_MS).then(
        (stream) => e.onStream(stream, socket),
        (err: Error) => onError(`from ${from}: ${err.message}`),
      ).finally(slot.leave);
    };
    socket.on('data', onData);
    socket.once('close', () => {
      clearTimeout(timer);
      slot.leave();
    });
  }
}
