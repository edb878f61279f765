/** Base of every error this package throws on purpose, so callers can tell them from bugs. */
export class DhtSignalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** No storer answered with an item for the key before the lookup ended. */
export class RecordNotFoundError extends DhtSignalError {
  constructor(readonly publicKeyHex: string) {
    super(`no record found in the DHT for ${publicKeyHex}`);
  }
}

/**
 * The lookup ended without hearing from the nodes closest to the key, so it
 * cannot say the record is absent: it ran out of time (`timeout`), or no
 * DHT node answered at all (`no-answer`: dead bootstrap nodes, no network).
 */
export class RecordLookupIncompleteError extends DhtSignalError {
  constructor(
    readonly publicKeyHex: string,
    readonly reason: 'timeout' | 'no-answer',
    /** DHT nodes that answered, and that were asked. */
    readonly answered: number,
    readonly asked: number,
    readonly afterMs: number,
  ) {
    super(
      reason === 'timeout'
        ? `lookup for ${publicKeyHex} ran out of time after ${afterMs} ms before the nodes closest to it answered (${answered} of ${asked} asked did): the record may exist`
        : `no DHT node answered the lookup for ${publicKeyHex} (${asked} asked in ${afterMs} ms): are the bootstrap nodes up and reachable?`,
    );
  }
}

/** A correctly signed record exists, but its lifetime is over. */
export class RecordExpiredError extends DhtSignalError {
  constructor(
    readonly publicKeyHex: string,
    readonly expiredAt: number,
  ) {
    super(`the newest record for ${publicKeyHex} expired at ${new Date(expiredAt * 1000).toISOString()}`);
  }
}

export type RecordInvalidReason =
  | 'bad-signature'
  | 'key-mismatch'
  | 'too-large'
  | 'malformed'
  | 'field-bounds'
  | 'stale-seq'
  | 'issued-in-future';

/** Only records that failed verification came back; `reason` says which check failed. */
export class RecordInvalidError extends DhtSignalError {
  constructor(
    readonly reason: RecordInvalidReason,
    /** What failed, without the "record refused (reason)" prefix (so a re-wrap does not repeat it). */
    readonly detail: string,
  ) {
    super(`record refused (${reason}): ${detail}`);
  }
}

/** Publishing refuses a record that storers would drop: BEP 44 caps the bencoded `v` at 1000 bytes. */
export class RecordTooLargeError extends DhtSignalError {
  constructor(
    readonly encodedBytes: number,
    readonly limitBytes: number,
  ) {
    super(`record is ${encodedBytes} bytes once bencoded, BEP 44 allows at most ${limitBytes}; list fewer endpoints or introducers`);
  }
}

/** No DHT node stored the record. */
export class RecordPublishError extends DhtSignalError {
  constructor(
    readonly reason: 'no-nodes' | 'all-refused',
    detail: string,
  ) {
    super(`publish failed (${reason}): ${detail}`);
  }
}

/** Our public address could not be established from at least two agreeing peers. */
export class ObservedAddressError extends DhtSignalError {
  constructor(
    readonly reason: 'no-peers' | 'no-agreement',
    detail: string,
  ) {
    super(`observed address unknown (${reason}): ${detail}`);
  }
}

/** The DHT node was stopped while an operation was still running. */
export class DhtStoppedError extends DhtSignalError {
  constructor(operation: string) {
    super(`${operation} aborted: the DHT node was stopped`);
  }
}

/** The UDP socket could not bind: `code` is the errno name (EADDRNOTAVAIL, EADDRINUSE, EACCES, ...). */
export class DhtBindError extends DhtSignalError {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly code: string,
    detail: string,
  ) {
    super(`cannot bind DHT socket to ${host}:${port}: ${detail}`);
  }
}
