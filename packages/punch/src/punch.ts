import { connect, type Socket } from 'node:net';
import type { BirthdayTiming, Candidate, GuessPlan, SprayPlan } from './candidate.js';
import { awaitByte, sendByte, READY_BYTE, SELECT_BYTE } from './confirm.js';
import { PunchError } from './errors.js';

export type PunchRole = 'initiator' | 'responder';

export interface PunchOptions {
  /** Every attempt (except the birthday spray) is made from this port. It must be bound by nobody else
   *  listening: Node 20 cannot connect() from a port it listens on. */
  localPort: number;
  localAddress?: string;
  /** Tried in parallel, in this order (order matters to sequential NATs: allocations follow it). */
  candidates: Candidate[];
  /** Date.now() time after which the punch gives up. */
  deadline: number;
  /** Date.now() time of the first SYN (both sides get the same one from signaling); default now. */
  startAt?: number;
  /** Who decides which socket is kept when several connect (see confirm.ts). */
  role: PunchRole;
  /** Delay before re-sending after a reset (ECONNREFUSED). Default 0 ms plus up to 1 ms jitter:
   *  a NAT that resets also forgets our mapping, and the peer's SYN only gets in while the mapping
   *  exists, so the gap between a reset and our next SYN must stay far below the round trip. */
  refusedRetryMs?: number;
  /** Delay before retrying after other transient errors (EADDRINUSE, EADDRNOTAVAIL, ECONNRESET). Default 50 ms. */
  errorRetryMs?: number;
  /**
   * 'ready' (default): the initiator keeps a socket only once the responder
   * said READY on it (confirm.ts). 'select': the initiator keeps its first
   * connected socket at once. 'select' saves one one-way trip when one side
   * connects a half round trip before the other (a birthday attack, where
   * the sprayer gets the SYN-ACK first) and is safe there because each spray
   * socket sends a single SYN, so no reset for an older SYN can still be
   * in flight towards it.
   */
  agreement?: 'ready' | 'select';
  spray?: SprayPlan;
  guesses?: GuessPlan;
  birthday?: BirthdayTiming;
  signal?: AbortSignal;
}

export interface PunchTimings {
  /** ms from startAt to the first SYN handed to the kernel. */
  firstSynMs: number;
  /** ms from startAt to the first 'connect' of the kept socket. */
  connectedMs: number;
  /** ms from startAt to agreement on the socket (initiator: READY received on the selected socket; responder: SELECT received). */
  selectedMs: number;
}

export interface PunchResult {
  socket: Socket;
  winner: Candidate;
  timings: PunchTimings;
  attempts: number;
  refused: number;
  rounds: number;
}

/** Errors after which the same attempt may work again shortly. */
const REFUSED = new Set(['ECONNREFUSED']);
const TRANSIENT = new Set(['EADDRINUSE', 'EADDRNOTAVAIL', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED']);
/** Errors that say this path can never work from here (no route): stop trying that candidate. */
const HOPELESS = new Set(['ENETUNREACH', 'EHOSTUNREACH', 'EACCES', 'EPERM', 'EINVAL']);

const MIN_GUESS_PORT = 1024;
const MAX_GUESS_PORT = 65535;

/**
 * TCP simultaneous open. Sends SYNs from `localPort` to every candidate at
 * `startAt`, retries each until it connects or the deadline passes, and
 * resolves with the socket both sides agreed on. Every other socket is
 * destroyed before the promise settles.
 */
export function punch(opts: PunchOptions): Promise<PunchResult> {
  // A port of 0 would let the kernel pick a new port per attempt: every
  // prediction the peer made about us would be wrong.
  if (!Number.isInteger(opts.localPort) || opts.localPort < 1 || opts.localPort > 65535) {
    return Promise.reject(new TypeError(`punch needs a fixed local port, got ${opts.localPort}`));
  }
  return new Promise((resolve, reject) => {
    const startAt = opts.startAt ?? Date.now();
    const t0 = performance.now() + (startAt - Date.now());
    const since = () => performance.now() - t0;
    const live = new Set<Socket>();
    const timers = new Set<NodeJS.Timeout>();
    let settled = false;
    let attempts = 0;
    let refused = 0;
    let otherFailures = 0;
    let firstSynMs = -1;
    let rounds = 0;
    const refusedRetry = () => (opts.refusedRetryMs ?? 0) + Math.random();
    const errorRetry = opts.errorRetryMs ?? 50;

    const later = (ms: number, fn: () => void) => {
      if (settled) return;
      const t = setTimeout(() => {
        timers.delete(t);
        if (!settled) fn();
      }, Math.max(0, ms));
      timers.add(t);
    };

    const finish = (err: PunchError | null, result?: PunchResult) => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      opts.signal?.removeEventListener('abort', onAbort);
      for (const s of live) if (s !== result?.socket) s.destroy();
      live.clear();
      if (err) reject(err);
      else resolve(result!);
    };

    const onAbort = () => finish(new PunchError('aborted', 'punch aborted', { attempts, refused }));
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort);

    const won = (socket: Socket, winner: Candidate, connectedMs: number) => {
      live.delete(socket);
      socket.removeAllListeners('error');
      socket.removeAllListeners('connect');
      finish(null, {
        socket,
        winner,
        timings: { firstSynMs, connectedMs, selectedMs: since() },
        attempts,
        refused,
        rounds,
      });
    };

    // Initiator: the socket SELECT went out on, and connected ones waiting their turn.
    let selecting: Socket | null = null;
    const waiting: { socket: Socket; c: Candidate; connectedMs: number; retry: () => void }[] = [];

    const drop = (socket: Socket, retry: () => void) => {
      live.delete(socket);
      socket.destroy();
      retry();
    };

    const select = () => {
      while (!selecting && waiting.length) {
        const next = waiting.shift()!;
        if (next.socket.destroyed) continue;
        selecting = next.socket;
        sendByte(next.socket, SELECT_BYTE);
        void awaitByte(next.socket, READY_BYTE).then((ok) => {
          if (settled) return;
          selecting = null;
          if (ok) return won(next.socket, next.c, next.connectedMs);
          drop(next.socket, next.retry);
          select();
        });
      }
    };

    // Agreement (confirm.ts). A socket that dies or says something else
    // before agreeing is dropped, and its candidate is tried again.
    const onConnected = (socket: Socket, c: Candidate, retry: () => void) => {
      const connectedMs = since();
      if (opts.role === 'initiator' && opts.agreement === 'select') {
        sendByte(socket, SELECT_BYTE);
        won(socket, c, connectedMs);
        return;
      }
      if (opts.role === 'initiator') {
        waiting.push({ socket, c, connectedMs, retry });
        select();
        return;
      }
      if (opts.agreement !== 'select') sendByte(socket, READY_BYTE);
      void awaitByte(socket, SELECT_BYTE).then((ok) => {
        if (settled) return;
        if (ok) won(socket, c, connectedMs);
        else drop(socket, retry);
      });
    };

    /**
     * One socket to one candidate. `retry` says what happens when it fails:
     * punch attempts from localPort retry, birthday sockets do not (a retry
     * from a new kernel port is just another spray member).
     */
    const attempt = (c: Candidate, fromPort: number | undefined, retry: boolean, group?: Set<Socket>) => {
      if (settled) return;
      attempts++;
      if (firstSynMs < 0) firstSynMs = since();
      const socket = connect({
        host: c.host,
        port: c.port,
        ...(fromPort !== undefined ? { localPort: fromPort } : {}),
        ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
      });
      live.add(socket);
      group?.add(socket);
      let connected = false;
      const again = (delayMs: number) => {
        if (retry) later(delayMs, () => attempt(c, fromPort, retry, group));
      };
      socket.once('connect', () => {
        connected = true;
        onConnected(socket, c, () => again(errorRetry));
      });
      socket.on('error', (err: NodeJS.ErrnoException) => {
        // After 'connect', the agreement step owns the socket and its retry.
        if (connected) return;
        live.delete(socket);
        group?.delete(socket);
        socket.destroy();
        const code = err.code ?? '';
        if (REFUSED.has(code)) refused++;
        else otherFailures++;
        if (HOPELESS.has(code)) return;
        if (REFUSED.has(code)) again(refusedRetry());
        else if (TRANSIENT.has(code)) again(errorRetry);
        else again(errorRetry * 4);
      });
    };

    // Birthday rounds: fresh random guesses / fresh spray sockets every round,
    // the previous round's unanswered sockets closed.
    const birthdayRound = (k: number) => {
      rounds = k + 1;
      const timing = opts.birthday ?? { roundMs: 1500, sprayLagMs: 60 };
      const group = new Set<Socket>();
      if (opts.guesses) {
        const g = opts.guesses;
        const lo = g.minPort ?? MIN_GUESS_PORT;
        const hi = g.maxPort ?? MAX_GUESS_PORT;
        const ports = new Set<number>();
        const count = Math.min(g.count, hi - lo + 1);
        while (ports.size < count) ports.add(lo + Math.floor(Math.random() * (hi - lo + 1)));
        for (const port of ports) attempt({ host: g.host, port, method: 'birthday' }, opts.localPort, false, group);
      }
      if (opts.spray && opts.spray.targets.length > 0) {
        const s = opts.spray;
        later(timing.sprayLagMs, () => {
          for (let i = 0; i < s.count; i++) attempt({ ...s.targets[i % s.targets.length]!, method: 'birthday' }, undefined, false, group);
        });
      }
      later(timing.roundMs, () => {
        for (const sock of group) {
          live.delete(sock);
          sock.destroy();
        }
        birthdayRound(k + 1);
      });
    };

    const start = () => {
      for (const c of opts.candidates) attempt(c, opts.localPort, true);
      if (opts.guesses || opts.spray) birthdayRound(0);
    };

    const deadlineIn = opts.deadline - Date.now();
    later(deadlineIn, () => {
      const stats = { attempts, refused };
      // Mostly resets: the peer's NAT (or host) answers our SYNs with RST and
      // never let one through.
      if (refused > 0 && refused * 2 >= attempts)
        finish(new PunchError('refused', `attempts were reset (${refused} of ${attempts}) until the deadline`, stats));
      else if (refused > 0)
        finish(new PunchError('timeout', `no connection before the deadline (${attempts} attempts, ${refused} reset)`, stats));
      else finish(new PunchError('timeout', `no connection before the deadline (${attempts} attempts, no answer)`, stats));
    });
    if (!opts.candidates.length && !opts.guesses && !opts.spray) {
      finish(new PunchError('unpredictable-peer', 'nothing to try: no candidate endpoint'));
      return;
    }
    later(startAt - Date.now(), start);
  });
}
