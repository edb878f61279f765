import { connect, type Socket } from 'node:net';
import type { Candidate } from './candidate.js';
import { awaitByte, sendByte, READY_BYTE, SELECT_BYTE } from './confirm.js';
import { PunchError } from './errors.js';
import type { PunchOptions, PunchResult } from './punch-types.js';

/** Errors after which the same attempt may work again shortly. */
const REFUSED = new Set(['ECONNREFUSED']);
const TRANSIENT = new Set(['EADDRINUSE', 'EADDRNOTAVAIL', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED']);
/** Errors that say this path can never work from here (no route): stop trying that candidate. */
const HOPELESS = new Set(['ENETUNREACH', 'EHOSTUNREACH', 'EACCES', 'EPERM', 'EINVAL']);

const MIN_GUESS_PORT = 1024;
const MAX_GUESS_PORT = 65535;

/** A connected socket the initiator has not yet sent SELECT on. */
interface Waiting {
  socket: Socket;
  c: Candidate;
  connectedMs: number;
  retry: () => void;
}

/**
 * One run of punch(): the sockets in flight, the timers, the counters, and
 * the promise's settle functions. Every timer and event handler checks
 * `settled`, so nothing happens after the run resolved or rejected.
 */
export class PunchRun {
  private readonly startAt: number;
  private readonly t0: number;
  private readonly live = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private settled = false;
  private attempts = 0;
  private refused = 0;
  private otherFailures = 0;
  private firstSynMs = -1;
  private rounds = 0;
  private readonly errorRetry: number;
  // Initiator: the socket SELECT went out on, and connected ones waiting their turn.
  private selecting: Socket | null = null;
  private readonly waiting: Waiting[] = [];

  constructor(
    private readonly opts: PunchOptions,
    private readonly resolve: (r: PunchResult) => void,
    private readonly reject: (e: PunchError) => void,
  ) {
    this.startAt = opts.startAt ?? Date.now();
    this.t0 = performance.now() + (this.startAt - Date.now());
    this.errorRetry = opts.errorRetryMs ?? 50;
  }

  /** Arms abort, the deadline and the first SYNs at startAt. */
  run(): void {
    const { opts } = this;
    if (opts.signal?.aborted) return this.onAbort();
    opts.signal?.addEventListener('abort', this.onAbort);
    this.later(opts.deadline - Date.now(), () => this.onDeadline());
    if (!opts.candidates.length && !opts.guesses && !opts.spray) {
      this.finish(new PunchError('unpredictable-peer', 'nothing to try: no candidate endpoint'));
      return;
    }
    this.later(this.startAt - Date.now(), () => this.start());
  }

  private start(): void {
    for (const c of this.opts.candidates) this.attempt(c, this.opts.localPort, true);
    if (this.opts.guesses || this.opts.spray) this.birthdayRound(0);
  }

  private since(): number {
    return performance.now() - this.t0;
  }

  private refusedRetry(): number {
    return (this.opts.refusedRetryMs ?? 0) + Math.random();
  }

  private later(ms: number, fn: () => void): void {
    if (this.settled) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.settled) fn();
    }, Math.max(0, ms));
    this.timers.add(t);
  }

  private finish(err: PunchError | null, result?: PunchResult): void {
    if (this.settled) return;
    this.settled = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    for (const s of this.live) if (s !== result?.socket) s.destroy();
    this.live.clear();
    if (err) this.reject(err);
    else this.resolve(result!);
  }

  // A field, not a method: add/removeEventListener need the same function.
  private readonly onAbort = (): void =>
    this.finish(new PunchError('aborted', 'punch aborted', { attempts: this.attempts, refused: this.refused }));

  private onDeadline(): void {
    const { attempts, refused } = this;
    const stats = { attempts, refused };
    // Mostly resets: the peer's NAT (or host) answers our SYNs with RST and
    // never let one through.
    if (refused > 0 && refused * 2 >= attempts)
      this.finish(new PunchError('refused', `attempts were reset (${refused} of ${attempts}) until the deadline`, stats));
    else if (refused > 0)
      this.finish(new PunchError('timeout', `no connection before the deadline (${attempts} attempts, ${refused} reset)`, stats));
    else this.finish(new PunchError('timeout', `no connection before the deadline (${attempts} attempts, no answer)`, stats));
  }

  /**
   * One socket to one candidate. `retry` says what happens when it fails:
   * punch attempts from localPort retry, birthday sockets do not (a retry
   * from a new kernel port is just another spray member).
   */
  private attempt(c: Candidate, fromPort: number | undefined, retry: boolean, group?: Set<Socket>): void {
    if (this.settled) return;
    this.attempts++;
    if (this.firstSynMs < 0) this.firstSynMs = this.since();
    const socket = connect({
      host: c.host,
      port: c.port,
      ...(fromPort !== undefined ? { localPort: fromPort } : {}),
      ...(this.opts.localAddress ? { localAddress: this.opts.localAddress } : {}),
    });
    this.live.add(socket);
    group?.add(socket);
    let connected = false;
    const again = (delayMs: number) => {
      if (retry) this.later(delayMs, () => this.attempt(c, fromPort, retry, group));
    };
    socket.once('connect', () => {
      connected = true;
      this.onConnected(socket, c, () => again(this.errorRetry));
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // After 'connect', the agreement step owns the socket and its retry.
      if (connected) return;
      this.live.delete(socket);
      group?.delete(socket);
      socket.destroy();
      this.onAttemptError(err.code ?? '', again);
    });
  }

  /** Counts a failed attempt and schedules its retry, sooner after a reset. */
  private onAttemptError(code: string, again: (delayMs: number) => void): void {
    if (REFUSED.has(code)) this.refused++;
    else this.otherFailures++;
    if (HOPELESS.has(code)) return;
    if (REFUSED.has(code)) again(this.refusedRetry());
    else if (TRANSIENT.has(code)) again(this.errorRetry);
    else again(this.errorRetry * 4);
  }

  // Agreement (confirm.ts). A socket that dies or says something else
  // before agreeing is dropped, and its candidate is tried again.
  private onConnected(socket: Socket, c: Candidate, retry: () => void): void {
    const connectedMs = this.since();
    const { role, agreement } = this.opts;
    if (role === 'initiator' && agreement === 'select') {
      sendByte(socket, SELECT_BYTE);
      this.won(socket, c, connectedMs);
      return;
    }
    if (role === 'initiator') {
      this.waiting.push({ socket, c, connectedMs, retry });
      this.select();
      return;
    }
    if (agreement !== 'select') sendByte(socket, READY_BYTE);
    void awaitByte(socket, SELECT_BYTE).then((ok) => {
      if (this.settled) return;
      if (ok) this.won(socket, c, connectedMs);
      else this.drop(socket, retry);
    });
  }

  /** Initiator: SELECT on the next waiting socket unless one is already out. */
  private select(): void {
    while (!this.selecting && this.waiting.length) {
      const next = this.waiting.shift()!;
      if (next.socket.destroyed) continue;
      this.selecting = next.socket;
      sendByte(next.socket, SELECT_BYTE);
      void awaitByte(next.socket, READY_BYTE).then((ok) => {
        if (this.settled) return;
        this.selecting = null;
        if (ok) return this.won(next.socket, next.c, next.connectedMs);
        this.drop(next.socket, next.retry);
        this.select();
      });
    }
  }

  private drop(socket: Socket, retry: () => void): void {
    this.live.delete(socket);
    socket.destroy();
    retry();
  }

  private won(socket: Socket, winner: Candidate, connectedMs: number): void {
    this.live.delete(socket);
    socket.removeAllListeners('error');
    socket.removeAllListeners('connect');
    this.finish(null, {
      socket,
      winner,
      timings: { firstSynMs: this.firstSynMs, connectedMs, selectedMs: this.since() },
      attempts: this.attempts,
      refused: this.refused,
      rounds: this.rounds,
    });
  }

  // Birthday rounds: fresh random guesses / fresh spray sockets every round,
  // the previous round's unanswered sockets closed.
  private birthdayRound(k: number): void {
    this.rounds = k + 1;
    const timing = this.opts.birthday ?? { roundMs: 1500, sprayLagMs: 60 };
    const group = new Set<Socket>();
    this.sendGuesses(group);
    const s = this.opts.spray;
    if (s && s.targets.length > 0) {
      this.later(timing.sprayLagMs, () => {
        for (let i = 0; i < s.count; i++) this.attempt({ ...s.targets[i % s.targets.length]!, method: 'birthday' }, undefined, false, group);
      });
    }
    this.later(timing.roundMs, () => {
      for (const sock of group) {
        this.live.delete(sock);
        sock.destroy();
      }
      this.birthdayRound(k + 1);
    });
  }

  /** One SYN from localPort to each of `guesses.count` distinct random ports of the peer. */
  private sendGuesses(group: Set<Socket>): void {
    const g = this.opts.guesses;
    if (!g) return;
    const lo = g.minPort ?? MIN_GUESS_PORT;
    const hi = g.maxPort ?? MAX_GUESS_PORT;
    const ports = new Set<number>();
    const count = Math.min(g.count, hi - lo + 1);
    while (ports.size < count) ports.add(lo + Math.floor(Math.random() * (hi - lo + 1)));
    for (const port of ports) this.attempt({ host: g.host, port, method: 'birthday' }, this.opts.localPort, false, group);
  }
}
