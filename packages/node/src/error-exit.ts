import { RecordExpiredError, RecordInvalidError, RecordNotFoundError } from '@p2p-node/dht-signal';
import { CliError, ExitCode } from './exit-codes.js';
import { StreamOpenError } from './keyed-stream.js';
import { DialError, type DialFailure } from './peer-errors.js';

const DIAL_EXIT: Record<DialFailure, ExitCode> = {
  'not-found': ExitCode.notFound,
  'lookup-failed': ExitCode.error,
  'signal-failed': ExitCode.signalFailed,
  'punch-failed': ExitCode.punchFailed,
  'wrong-key': ExitCode.wrongKey,
  refused: ExitCode.refused,
  'invalid-record': ExitCode.invalidRecord,
  'expired-record': ExitCode.expiredRecord,
};

export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof CliError) return err.exitCode;
  if (err instanceof DialError) return DIAL_EXIT[err.code];
  // After a zero-round-trip dial, the peer failing to prove its key on the socket surfaces here.
  if (err instanceof StreamOpenError) return ExitCode.wrongKey;
  if (err instanceof RecordNotFoundError) return ExitCode.notFound;
  if (err instanceof RecordExpiredError) return ExitCode.expiredRecord;
  if (err instanceof RecordInvalidError) return ExitCode.invalidRecord;
  return ExitCode.error;
}
