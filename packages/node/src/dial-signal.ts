import {
  RecordExpiredError,
  RecordInvalidError,
  RecordNotFoundError,
  RecordLookupIncompleteError,
  SignalBusyError,
  type HostPort,
  type PunchOffer,
} from '@p2p-node/dht-signal';
import type { DialContext } from './dialer.js';
import { NoiseDialer, SessionError, type SessionKeys } from './noise-session.js';
import { DialError } from './peer-errors.js';
import type { SignalAnswer } from './signaling.js';

// The signaling steps of a dial, each failure as the DialError it is.

const hex = (k: Uint8Array) => Buffer.from(k).toString('hex');

export type Signaled = { answer: SignalAnswer; keys: SessionKeys };

/** A failed first flight falls back to the record; a refusal or a broken handshake ends the dial. */
export function unlessFinal(err: unknown): undefined {
  if (err instanceof DialError && err.code === 'signal-failed') return undefined;
  throw err;
}

/** One signed request with a fresh Noise handshake; the answer's refusal or a broken handshake end the dial. */
export async function signal(ctx: Pick<DialContext, 'dht' | 'identity' | 'signaling'>, publicKey: Uint8Array, introducers: HostPort[], offer: PunchOffer): Promise<Signaled> {
  let noise: NoiseDialer;
  try {
    noise = new NoiseDialer(ctx.identity, publicKey);
  } catch (err) {
    // Not a point on the curve: no record can be signed by it either, so the lookup will say not-found.
    throw new DialError('signal-failed', `${hex(publicKey)} is not a usable ed25519 public key`, { cause: err });
  }
  let answer: SignalAnswer;
  try {
    answer = await ctx.signaling.request(ctx.dht, ctx.identity, publicKey, introducers, offer, noise.message);
  } catch (err) {
    if (err instanceof SignalBusyError) throw new DialError('busy', `${hex(publicKey)} is busy, try again later: ${err.message}`, { cause: err });
    throw new DialError('signal-failed', `could not signal ${hex(publicKey)}: ${(err as Error).message}`, { cause: err });
  }
  if (answer.refused) throw new DialError('refused', `${hex(publicKey)} refused the connection: this key is not in its allow list`);
  try {
    return { answer, keys: noise.finish(answer.session) };
  } catch (err) {
    if (err instanceof SessionError) throw new DialError('wrong-key', err.message, { cause: err });
    throw err;
  }
}

/** A lookup that found no usable record, as the dial reports it. */
export function lookupFailure(err: Error): DialError {
  if (err instanceof RecordNotFoundError) return new DialError('not-found', err.message, { cause: err });
  if (err instanceof RecordLookupIncompleteError) return new DialError('lookup-incomplete', err.message, { cause: err });
  if (err instanceof RecordExpiredError) return new DialError('expired-record', err.message, { cause: err });
  if (err instanceof RecordInvalidError) return new DialError('invalid-record', err.message, { cause: err });
  return new DialError('lookup-failed', `lookup failed: ${err.message}`, { cause: err });
}
