import type { Socket } from 'node:net';
import type { BirthdayTiming, Candidate, GuessPlan, SprayPlan } from './candidate.js';
import { PunchRun } from './punch-run.js';

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
  return new Promise((resolve, reject) => new PunchRun(opts, resolve, reject).run());
}
