/**
 * Process exit codes, distinct per failure a script may want to react to.
 * They are part of the CLI's contract: never renumber, only add.
 */
export const ExitCode = {
  ok: 0,
  error: 1,
  usage: 2,
  notFound: 3,
  invalidRecord: 4,
  expiredRecord: 5,
  punchFailed: 6,
  wrongKey: 7,
  refused: 8,
  signalFailed: 9,
  relayBusy: 10,
  listenerBusy: 11,
  lookupIncomplete: 12,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error that knows which exit code it stands for; the CLI prints its message. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.error,
  ) {
    super(message);
  }
}
