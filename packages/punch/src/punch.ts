import type { PunchOptions, PunchResult } from './punch-types.js';
import { PunchRun } from './punch-run.js';

export type { PunchOptions, PunchResult, PunchRole, PunchTimings } from './punch-types.js';

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
