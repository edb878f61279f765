import { createServer, type Server, type Socket } from 'node:net';
import { formatHostPort, type HostPort } from '@p2p-node/protos';
import { MAX_HELLO_BYTES, readHello, takeFrame, verdictFrame } from './relay-wire.js';
import { pumpThrottled } from './relay-throttle.js';

export interface RelayLimits {
  /** Circuits at once, waiting halves included. */
  maxCircuits: number;
  /** Circuits at once with a half from one IP (many peers share a carrier NAT's IP). */
  maxCircuitsPerIp: number;
  /** Per circuit and direction; 0 for no limit. */
  bytesPerSecond: number;
  /** A circuit is cut after this long. */
  maxDurationMs: number;
  /** How long a first half waits for its partner. */
  pairTimeoutMs: number;
  /** How long a new connection has to send its hello. */
  helloTimeoutMs: number;
  /** Refused connections drained at once (see refuse); past this a refused one is closed at once. */
  maxRefusedDraining: number;
}

/**
 * A refused connection no longer counts as unidentified but stays open while
 * it drains, REFUSED_DRAIN_MS at most: without a cap, a flood of junk hellos
 * would hold about twice its connection rate in open sockets. A few hundred
 * (a quarter of MAX_UNIDENTIFIED) still drains an honest burst of BUSY
 * answers from a full relay; past them a refused newcomer may see a reset
 * instead of the reason, as before the drain existed.
 */
const MAX_REFUSED_DRAINING = 256;

export const DEFAULT_RELAY_LIMITS: RelayLimits = {
  maxCircuits: 256,
  maxCircuitsPerIp: 32,
  bytesPerSecond: 16 * 1024 * 1024,
  maxDurationMs: 60 * 60_000,
  pairTimeoutMs: 10_000,
  helloTimeoutMs: 5_000,
  maxRefusedDraining: MAX_REFUSED_DRAINING,
};

export interface RelayStats {
  circuits: number;
  waiting: number;
  spliced: number;
  busy: number;
  refused: number;
  bytes: number;
}

/** Tokens once spliced are refused for this long (a peer never reuses one: each session has its own). */
const USED_TOKEN_MS = 10 * 60_000;
const MAX_USED_TOKENS = 65_536;
/** How long a refused newcomer's remaining bytes are read and dropped before its connection is closed (see refuse). */
const REFUSED_DRAIN_MS = 2_000;
/** Connections still reading their hello, over all sources: beyond this a newcomer is dropped. */
const MAX_UNIDENTIFIED = 1_024;

interface Circuit {
  token: string;
  halves: { socket: Socket; ip: string }[];
  timer: NodeJS.Timeout;
  stopPumps: (() => void)[];
  ended: boolean;
}

/**
 * A blind circuit relay for two peers that cannot reach each other: each
 * connects out, sends the circuit token both derived from their session, and
 * once both halves of a token are here the relay splices them and copies
 * bytes both ways until either side ends. It never reads what it copies (the
 * peers' stream is encrypted and authenticated end to end, so it could not
 * forge or read it anyway); a token spliced once is refused afterwards.
 * Limits are checked when a half arrives: a refused newcomer gets a BUSY
 * verdict with the reason, and circuits already spliced carry on.
 */
export class RelayServer {
  private readonly waiting = new Map<string, Circuit>();
  private readonly circuits = new Set<Circuit>();
  private readonly perIp = new Map<string, number>();
  private readonly used = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  private unidentified = 0;
  private draining = 0;
  private readonly counts = { spliced: 0, busy: 0, refused: 0, bytes: 0 };

  private constructor(
    private readonly server: Server,
    readonly limits: RelayLimits,
  ) {}

  static listen(host: string, port: number, limits: Partial<RelayLimits> = {}): Promise<RelayServer> {
    const server = createServer({ allowHalfOpen: true, noDelay: true });
    const relay = new RelayServer(server, { ...DEFAULT_RELAY_LIMITS, ...limits });
    server.on('connection', (socket) => relay.accept(socket));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, () => {
        server.off('error', reject);
        // Errors after listening (EMFILE on accept) must not end the process.
        server.on('error', () => undefined);
        resolve(relay);
      });
    });
  }

  address(): HostPort {
    const a = this.server.address();
    if (!a || typeof a === 'string') throw new Error('relay is not listening');
    return { host: a.address, port: a.port };
  }

  stats(): RelayStats {
    return { circuits: this.circuits.size, waiting: this.waiting.size, ...this.counts };
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    for (const c of this.circuits) clearTimeout(c.timer);
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  toString(): string {
    const l = this.limits;
    const rate = l.bytesPerSecond > 0 ? `${(l.bytesPerSecond / 1048576).toFixed(1)} MiB/s each way per circuit` : 'no rate limit';
    return `relay on tcp ${formatHostPort(this.address())} (at most ${l.maxCircuits} circuits, ${l.maxCircuitsPerIp} per IP, ${rate}, ${Math.round(l.maxDurationMs / 1000)} s per circuit, ${l.maxRefusedDraining} refused draining at once)`;
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    if (this.unidentified >= MAX_UNIDENTIFIED) return void socket.destroy();
    this.unidentified++;
    let identified = false;
    const identify = () => {
      if (identified) return false;
      identified = true;
      this.unidentified--;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onEarlyClose);
      return true;
    };
    const timer = setTimeout(() => identify() && socket.destroy(), this.limits.helloTimeoutMs);
    const onEarlyClose = () => identify();
    let buf = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      let frame;
      try {
        frame = takeFrame(buf, MAX_HELLO_BYTES);
        if (!frame) return;
        identify();
        const token = readHello(frame.body).toString('hex');
        // Bytes behind the hello are the half's first flight (a dialer whose only path is this relay
        // does not wait for the verdict): held here, paused, then forwarded after the verdict once
        // spliced. Flow control bounds them: a paused socket stops reading at its high-water mark.
        socket.pause();
        if (frame.rest.length > 0) socket.unshift(frame.rest);
        this.join(socket, token);
      } catch (err) {
        identify();
        this.refuse(socket, 'refused', `not a relay hello: ${(err as Error).message}`);
      }
    };
    socket.on('data', onData);
    socket.on('close', onEarlyClose);
  }

  /**
   * The verdict, then our end of the connection. What the newcomer sends
   * meanwhile (a first flight behind its hello) is read and dropped until it
   * hangs up too, for REFUSED_DRAIN_MS at most: closing on unread bytes
   * would answer them with a reset, which can reach the newcomer before the
   * verdict and leave it a bare "connection reset" instead of the reason.
   * Past maxRefusedDraining drains at once, the connection is closed as soon
   * as the verdict is written: a flood must not hold the sockets open.
   */
  private refuse(socket: Socket, status: 'busy' | 'refused', reason: string): void {
    this.counts[status]++;
    socket.end(verdictFrame(status, reason));
    if (this.draining >= this.limits.maxRefusedDraining) return void socket.destroySoon();
    this.drain(socket);
  }

  /** Reads and drops a refused newcomer's bytes until it hangs up or REFUSED_DRAIN_MS pass; counted in `draining` until closed. */
  private drain(socket: Socket): void {
    this.draining++;
    const timer = setTimeout(() => socket.destroy(), REFUSED_DRAIN_MS);
    socket.once('close', () => {
      clearTimeout(timer);
      this.draining--;
    });
    socket.once('end', () => socket.destroy());
    socket.on('data', () => undefined);
    socket.resume();
  }

  private join(socket: Socket, token: string): void {
    socket.pause();
    const ip = socket.remoteAddress ?? '';
    const usedAt = this.used.get(token);
    if (usedAt !== undefined && Date.now() - usedAt < USED_TOKEN_MS) return this.refuse(socket, 'refused', 'this circuit token was used already');
    const first = this.waiting.get(token);
    if (first && !first.halves[0]!.socket.destroyed) {
      if ((this.perIp.get(ip) ?? 0) >= this.limits.maxCircuitsPerIp && first.halves[0]!.ip !== ip) {
        return this.refuse(socket, 'busy', `relay busy: ${this.limits.maxCircuitsPerIp} circuits from ${ip} already`);
      }
      return this.splice(first, socket, ip);
    }
    if (first) this.end(first);
    if (this.circuits.size >= this.limits.maxCircuits) return this.refuse(socket, 'busy', `relay busy: ${this.limits.maxCircuits} circuits open`);
    if ((this.perIp.get(ip) ?? 0) >= this.limits.maxCircuitsPerIp) return this.refuse(socket, 'busy', `relay busy: ${this.limits.maxCircuitsPerIp} circuits from ${ip} already`);
    const circuit: Circuit = { token, halves: [{ socket, ip }], stopPumps: [], ended: false, timer: setTimeout(() => this.end(circuit), this.limits.pairTimeoutMs) };
    this.circuits.add(circuit);
    this.waiting.set(token, circuit);
    this.countIp(ip, +1);
    socket.once('close', () => this.end(circuit));
  }

  private splice(circuit: Circuit, socket: Socket, ip: string): void {
    this.waiting.delete(circuit.token);
    this.rememberUsed(circuit.token);
    circuit.halves.push({ socket, ip });
    if (circuit.halves[0]!.ip !== ip) this.countIp(ip, +1);
    socket.once('close', () => this.end(circuit));
    clearTimeout(circuit.timer);
    circuit.timer = setTimeout(() => this.end(circuit), this.limits.maxDurationMs);
    this.counts.spliced++;
    const a = circuit.halves[0]!;
    const b = circuit.halves[1]!;
    const ok = verdictFrame('spliced');
    a.socket.write(ok);
    b.socket.write(ok);
    const count = (n: number) => (this.counts.bytes += n);
    circuit.stopPumps.push(pumpThrottled(a.socket, b.socket, this.limits.bytesPerSecond, count));
    circuit.stopPumps.push(pumpThrottled(b.socket, a.socket, this.limits.bytesPerSecond, count));
    // Both directions ended: the circuit is done once the last bytes are out.
    let ends = 0;
    const onEnd = () => ++ends === 2 && this.end(circuit, { graceful: true });
    a.socket.once('end', onEnd);
    b.socket.once('end', onEnd);
    a.socket.resume();
    b.socket.resume();
  }

  /** Cuts the circuit: a peer sees its stream end without the authenticated close, an error on its side, never a silent truncation. */
  private end(circuit: Circuit, opts: { graceful?: boolean } = {}): void {
    if (circuit.ended) return;
    circuit.ended = true;
    clearTimeout(circuit.timer);
    for (const stop of circuit.stopPumps) stop();
    if (this.waiting.get(circuit.token) === circuit) this.waiting.delete(circuit.token);
    this.circuits.delete(circuit);
    const ips = new Set(circuit.halves.map((h) => h.ip));
    for (const ip of ips) this.countIp(ip, -1);
    for (const h of circuit.halves) {
      if (opts.graceful) h.socket.destroySoon();
      else h.socket.destroy();
    }
  }

  private countIp(ip: string, delta: number): void {
    const n = (this.perIp.get(ip) ?? 0) + delta;
    if (n <= 0) this.perIp.delete(ip);
    else this.perIp.set(ip, n);
  }

  private rememberUsed(token: string): void {
    const now = Date.now();
    // Insertion order is time order: the oldest go first, when expired or when the table is full.
    for (const [t, at] of this.used) {
      if (now - at < USED_TOKEN_MS && this.used.size < MAX_USED_TOKENS) break;
      this.used.delete(t);
    }
    this.used.set(token, now);
  }
}
