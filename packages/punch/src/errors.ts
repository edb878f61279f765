/**
 * Why a punch gave up. Callers branch on `code`, people read `message`:
 * - `timeout`: the deadline passed with no answer that opened a connection;
 * - `refused`: the deadline passed and every answer was a reset (a NAT or
 *   host that answers unsolicited SYNs with RST and never let ours through);
 * - `unpredictable-peer`: no guess can reach the peer (both NATs random, or
 *   a random NAT facing one that allocates a new port per connection), so no
 *   packet was sent at all;
 * - `aborted`: the caller's AbortSignal fired.
 */
export type PunchErrorCode = 'timeout' | 'refused' | 'unpredictable-peer' | 'aborted';

export class PunchError extends Error {
  override readonly name = 'PunchError';
  constructor(
    readonly code: PunchErrorCode,
    message: string,
    /** Attempts made, per outcome, to help tell a dead path from a bad guess. */
    readonly stats: { attempts: number; refused: number } = { attempts: 0, refused: 0 },
  ) {
    super(message);
  }
}

/** A reflector did not answer usefully. */
export class ReflectorError extends Error {
  override readonly name = 'ReflectorError';
  constructor(
    readonly reflector: string,
    message: string,
  ) {
    super(`${reflector}: ${message}`);
  }
}
