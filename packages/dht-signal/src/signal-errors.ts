import { DhtSignalError } from './errors.js';
import type { HostPort } from '@p2p-node/protos';
import type { SignalRejectReason } from './signal-protocol.js';

export type { SignalRejectReason };

/** What happened at one introducer during a punch request. */
export type IntroducerOutcome =
  | 'no-response'
  | 'unknown-key'
  | 'unreachable'
  | 'rate-limited'
  | 'busy'
  | 'listener-busy'
  | 'bad-answer'
  | 'error';

export interface IntroducerAttempt {
  introducer: HostPort;
  outcome: IntroducerOutcome;
  detail: string;
}

/** Every introducer was tried and none brought back an answer from the listener. */
export class SignalUnreachableError extends DhtSignalError {
  constructor(readonly attempts: IntroducerAttempt[]) {
    super(
      attempts.length === 0
        ? 'no introducers to ask'
        : `no introducer reached the listener: ${attempts.map((a) => `${a.introducer.host}:${a.introducer.port} ${a.outcome} (${a.detail})`).join('; ')}`,
    );
  }
}

/** The listener itself (through an introducer) refused the request; trying other introducers would not change its mind. */
export class SignalRejectedError extends DhtSignalError {
  constructor(
    readonly reason: SignalRejectReason,
    detail: string,
    readonly introducer: HostPort,
  ) {
    super(`listener refused the punch request (${reason}): ${detail}`);
  }
}

/** The overall deadline passed before any introducer produced an answer. */
export class SignalTimeoutError extends DhtSignalError {
  constructor(
    readonly timeoutMs: number,
    readonly attempts: IntroducerAttempt[],
  ) {
    super(`no answer from the listener within ${timeoutMs} ms (${attempts.length} introducer(s) finished trying)`);
  }
}

/** Until the deadline the listener (or the introducers on its behalf) said "not now": it is at its limits, not refusing us. */
export class SignalBusyError extends DhtSignalError {
  constructor(
    readonly askedForMs: number,
    readonly attempts: IntroducerAttempt[],
    readonly lastWord: string,
  ) {
    super(`the listener is busy: still shedding load after ${askedForMs} ms of asking (${lastWord})`);
  }
}
