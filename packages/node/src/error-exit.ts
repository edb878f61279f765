import { RecordExpiredError, RecordInvalidError, RecordNotFoundError } from '@p2p-node/dht-signal';
import { CliError, ExitCode } from './exit-codes.js';

export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof CliError) return err.exitCode;
  if (err instanceof RecordNotFoundError) return ExitCode.notFound;
  if (err instanceof RecordExpiredError) return ExitCode.expiredRecord;
  if (err instanceof RecordInvalidError) return ExitCode.invalidRecord;
  return ExitCode.error;
}
