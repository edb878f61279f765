import { P2pNodeError } from '@p2p-node/protos';
import type { RelayError } from './relay-client.js';

/** Why a dial failed, for code (and exit codes) to branch on. */
export type DialFailure =
  | 'not-found'
  | 'lookup-failed'
  /** The lookup ran out of time, or no DHT node answered: the record may exist (never reported as not-found). */
  | 'lookup-incomplete'
  | 'invalid-record'
  | 'expired-record'
  | 'signal-failed'
  | 'punch-failed'
  | 'wrong-key'
  | 'refused'
  /** The listener stayed at its limits (too many requests at once) for the whole signaling deadline: try again later. */
  | 'busy'
  /** The relay the dial needed is at its limits (its reason in the message). */
  | 'relay-busy'
  /** The relay the dial needed could not give a circuit (unreachable, refused, the peer never came), or none was named. */
  | 'relay-failed';

/** Every failure of `dial()`: `code` (also `failure`) says which, `cause` holds the underlying error. */
export class DialError extends P2pNodeError {
  declare readonly code: DialFailure;
  constructor(failure: DialFailure, message: string, options?: { cause?: unknown }) {
    super(failure, message, options);
  }

  /** The same as `code`; kept for callers written before the shared error shape. */
  get failure(): DialFailure {
    return this.code;
  }
}

/** A relay circuit the dial needed that did not form (busy, or the peer never came), as the dial reports it; `why` says what came before. */
export function relayDialError(err: RelayError, target: string, why = ''): DialError {
  return new DialError(err.code, `no path to ${target}: ${why}${err.message}`, { cause: err });
}
