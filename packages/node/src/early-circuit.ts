import { connect, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { formatHostPort, type HostPort } from '@p2p-node/protos';
import { RelayError, takeSplicedVerdict, type OpenCircuitOptions } from './relay-client.js';
import { helloFrame } from './relay-wire.js';

/** As the keyed stream's own buffers (framed-duplex.ts): a few frames' worth, so a burst flows. */
const HIGH_WATER_MARK = 1024 * 1024;

/**
 * How long a relay's TCP handshake may take before the next relay is tried
 * beside it: a few round trips to a public host, well under the kernel's
 * own SYN retries (seconds) towards a relay that went silent.
 */
export const NEXT_RELAY_AFTER_MS = 500;

/**
 * Our half of a relay circuit that does not wait for the relay's verdict
 * (zero round trip, as the dialer's keyed stream on a punched socket):
 * resolves once the TCP connection is up and the hello is written, so the
 * keyed stream's first flight leaves right behind the hello instead of a
 * round trip later. The relay holds those bytes until the other half is
 * there and forwards them after the verdict. What this stream reads starts
 * after the verdict; a verdict other than spliced, the relay hanging up
 * first, or no verdict within `timeoutMs` destroys it with a RelayError
 * (relay-busy, relay-failed), so a circuit that never forms is an error on
 * the stream, never a silent loss. Used where the relay is the dial's only
 * path (no punch can work, or relay-only): where a punch races the relay,
 * the first socket wins, and only a verdict says a circuit is one.
 *
 * Of several relays (the listener waits at each), the first whose TCP
 * handshake completes is used: the next is tried at once when one refuses
 * the connection, and beside it after NEXT_RELAY_AFTER_MS of silence.
 */
export function openCircuitEarly(relays: HostPort[], token: Uint8Array, opts: OpenCircuitOptions): Promise<{ stream: Duplex; relay: HostPort }> {
  return new Promise((resolve, reject) => {
    const attempts: Socket[] = [];
    const failures: string[] = [];
    let next = 0;
    let won = false;
    let timer: NodeJS.Timeout | undefined;
    // A relay that went silent is left to the kernel's SYN retries (minutes) no longer than this.
    const deadline = setTimeout(() => finish(new RelayError('relay-failed', `no relay took the connection within ${opts.timeoutMs} ms (${relays.map(formatHostPort).join(', ')})`)), opts.timeoutMs);
    const finish = (err?: RelayError) => {
      clearTimeout(timer);
      clearTimeout(deadline);
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) {
        won = true;
        for (const s of attempts) s.destroy();
        reject(err);
      }
    };
    const onAbort = () => finish(new RelayError('relay-failed', `circuit at ${relays.map(formatHostPort).join(', ')} abandoned`));
    const tryNext = () => {
      clearTimeout(timer);
      if (won) return;
      const relay = relays[next++];
      if (!relay) {
        // Every relay tried: fail once the last attempt under way has failed too.
        if (failures.length === relays.length) finish(new RelayError('relay-failed', failures.join('; ') || 'no relay to meet at'));
        return;
      }
      const socket = connect({ host: relay.host, port: relay.port, noDelay: true, allowHalfOpen: true });
      attempts.push(socket);
      const where = formatHostPort(relay);
      socket.once('error', (err: Error) => {
        if (won) return;
        failures.push(`relay ${where}: ${err.message}`);
        tryNext();
      });
      socket.once('connect', () => {
        if (won) return void socket.destroy();
        won = true;
        finish();
        for (const other of attempts) if (other !== socket) other.destroy();
        socket.removeAllListeners('error');
        const stream = new EarlyCircuit(socket, where, opts.timeoutMs);
        socket.write(helloFrame(token));
        resolve({ stream, relay });
      });
      if (next < relays.length) timer = setTimeout(tryNext, NEXT_RELAY_AFTER_MS);
    };
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    tryNext();
  });
}

/** The socket to the relay as a stream that starts at the peer's first byte: the verdict in front is read and checked here. */
class EarlyCircuit extends Duplex {
  /** The verdict's bytes so far; undefined once it said spliced. */
  private head: Buffer | undefined = Buffer.alloc(0);
  private readonly timer: NodeJS.Timeout;
  private pendingWrite: (() => void) | undefined;
  private peerEnded = false;

  constructor(
    private readonly socket: Socket,
    private readonly where: string,
    timeoutMs: number,
  ) {
    super({ allowHalfOpen: true, readableHighWaterMark: HIGH_WATER_MARK, writableHighWaterMark: HIGH_WATER_MARK });
    this.timer = setTimeout(() => this.destroy(new RelayError('relay-failed', `relay ${where}: the other side did not arrive within ${timeoutMs} ms`)), timeoutMs);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => {
      if (this.head) return void this.destroy(this.beforeSplice('closed the connection before splicing the circuit'));
      this.peerEnded = true;
      this.push(null);
    });
    socket.on('drain', () => {
      const cb = this.pendingWrite;
      this.pendingWrite = undefined;
      cb?.();
    });
    // Before the verdict, a reset is the relay giving up on us (no partner, its limits): say so.
    socket.on('error', (err: Error) => this.destroy(this.head ? this.beforeSplice(`cut the connection before splicing the circuit (${err.message})`) : err));
    // A close that is not the end of both directions is a cut: the keyed stream above makes it an error.
    socket.on('close', () => {
      if (!this.destroyed && !(this.peerEnded && this.writableFinished)) this.destroy(this.head ? this.beforeSplice('closed the connection before splicing the circuit') : undefined);
    });
  }

  private beforeSplice(why: string): RelayError {
    return new RelayError('relay-failed', `relay ${this.where} ${why}`);
  }

  private onData(chunk: Buffer): void {
    let data = chunk;
    if (this.head) {
      let rest;
      try {
        rest = takeSplicedVerdict(Buffer.concat([this.head, chunk]), this.where);
      } catch (err) {
        return void this.destroy(err as RelayError);
      }
      if (!rest) {
        this.head = Buffer.concat([this.head, chunk]);
        return;
      }
      this.head = undefined;
      clearTimeout(this.timer);
      if (rest.length === 0) return;
      data = rest;
    }
    if (!this.push(data)) this.socket.pause();
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.socket.write(chunk)) return cb();
    this.pendingWrite = cb;
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.socket.end(() => cb());
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    clearTimeout(this.timer);
    this.socket.destroy();
    cb(err);
  }
}
