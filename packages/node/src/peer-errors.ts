/** Why a dial failed, for code (and exit codes) to branch on. */
export type DialFailure = 'not-found' | 'signal-failed' | 'punch-failed' | 'wrong-key' | 'refused' | 'timeout';

export class DialError extends Error {
  override readonly name = 'DialError';
  constructor(
    readonly failure: DialFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
