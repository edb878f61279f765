/* The punch engine's options and results, apart from the engine so punch.ts and punch-run.ts both take them from here. */
import type { Socket } from 'node:net';
import type { BirthdayTiming, Candidate, GuessPlan, SprayPlan } from './candidate.js';

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
   * in flight towards it. A caller whose own first messages on the socket
   * prove the peer's end (p2p-node's keyed stream and its OPEN messages)
   * uses 'select' too: that proof replaces READY's round trip.
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

