import { DhtBindError, RecordExpiredError, RecordInvalidError, RecordLookupIncompleteError, RecordNotFoundError } from '@p2p-node/dht-signal';
import { CliError, ExitCode } from './exit-codes.js';
import { StreamOpenError } from './keyed-stream.js';
import { DialError, type DialFailure } from './peer-errors.js';

const DIAL_EXIT: Record<DialFailure, ExitCode> = {
  'not-found': ExitCode.notFound,
  'lookup-failed': ExitCode.error,
  'lookup-incomplete': ExitCode.lookupIncomplete,
  'signal-failed': ExitCode.signalFailed,
  'punch-failed': ExitCode.punchFailed,
  'wrong-key': ExitCode.wrongKey,
  refused: ExitCode.refused,
  'invalid-record': ExitCode.invalidRecord,
  'expired-record': ExitCode.expiredRecord,
  'relay-busy': ExitCode.relayBusy,
  busy: ExitCode.listenerBusy,
  // No path at all: neither a punch nor the relay gave a socket.
  'relay-failed': ExitCode.punchFailed,
};

export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof CliError) return err.exitCode;
  // An address this host does not have came from --host; a port in use or a privileged one is the machine's state.
  if (err instanceof DhtBindError) return err.code === 'EADDRNOTAVAIL' ? ExitCode.usage : ExitCode.error;
  if (err instanceof DialError) return DIAL_EXIT[err.code];
  // After a zero-round-trip dial, the peer failing to prove its key on the socket surfaces here.
  if (err instanceof StreamOpenError) return ExitCode.wrongKey;
  if (err instanceof RecordNotFoundError) return ExitCode.notFound;
  if (err instanceof RecordLookupIncompleteError) return ExitCode.lookupIncomplete;
  if (err instanceof RecordExpiredError) return ExitCode.expiredRecord;
  if (err instanceof RecordInvalidError) return ExitCode.invalidRecord;
  return ExitCode.error;
}

/** The one line printed for a failure, without the `p2p-node: ` prefix. */
export function messageFor(err: unknown): string {
  if (err instanceof DhtBindError && err.code === 'EADDRNOTAVAIL') return `${err.message} (${err.host} is not an address of this host)`;
  const message = err instanceof Error ? err.message : String(err);
  // Stack-less, one line: a multi-line message (from a library) would read as several errors.
  return message.replace(/\s*\n\s*/g, ' ').trim() || 'failed (no message)';
}
