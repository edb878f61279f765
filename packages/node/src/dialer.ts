import {
  formatHostPort as fmt,
  RecordExpiredError,
  RecordInvalidError,
  RecordNotFoundError,
  type DhtNode,
  type Identity,
  type PunchOffer,
  type RecordResolver,
  type VerifiedRecord,
} from '@p2p-node/dht-signal';
import { connectPeer, PunchError, type ConnectResult } from '@p2p-node/punch';
import { describe, withInfo, type PeerStream } from './connection-info.js';
import { freeTcpPort } from './free-port.js';
import { keyedStream } from './keyed-stream.js';
import type { NatOffers } from './nat-offers.js';
import { NoiseDialer, SessionError, type SessionKeys } from './noise-session.js';
import { sideOf } from './offer.js';
import { DialError } from './peer-errors.js';
import type { SignalAnswer, Signaling } from './signaling.js';

/** Per punch attempt; a dial makes up to PUNCH_ATTEMPTS (as go-libp2p does). */
const PUNCH_TIMEOUT_MS = 6_000;
const PUNCH_ATTEMPTS = 3;
/** From a connected socket to the peer's OPEN message: a few round trips at most, unless the far end is not the peer. */
const OPEN_TIMEOUT_MS = 10_000;
const hex = (k: Uint8Array) => Buffer.from(k).toString('hex');

export interface DialContext {
  dht: DhtNode;
  identity: Identity;
  resolver: RecordResolver;
  signaling: Signaling;
  offers: NatOffers;
  progress: (phase: string, detail: string) => void;
}

/**
 * One dial by public key, start to finish: the lookup (with our NAT profile
 * beside it), then per attempt a signed request carrying the first Noise
 * message, the listener's signed answer carrying the second, the punch, and
 * the secure stream opened on the punched socket with the keys signaling
 * produced. Every failure leaves as a DialError with its code.
 */
export async function dial(ctx: DialContext, publicKey: Uint8Array): Promise<PeerStream> {
  const t0 = performance.now();
  const since = () => performance.now() - t0;
  ctx.progress('lookup', `looking up ${hex(publicKey)}`);
  let localPort = await freeTcpPort();
  let lookupMs = 0;
  // Our own prediction does not depend on the record: profile while the lookup runs.
  const [record, own] = await Promise.all([
    ctx.resolver
      .lookup(publicKey)
      .catch((err: unknown) => err as Error)
      .finally(() => (lookupMs = since())),
    ctx.offers.forDial(localPort).then((o) => ({ ...o, at: since() })),
  ]);
  if (record instanceof Error) throw lookupFailure(record);
  ctx.progress('signal', `record found (seq ${record.seq}); signaling through ${record.introducers.map(fmt).join(', ') || 'no introducer'}`);
  if (record.introducers.length === 0) throw new DialError('signal-failed', `the record of ${hex(publicKey)} names no introducer to signal through`);

  // Signal and punch, up to PUNCH_ATTEMPTS times: a SYN lost before a
  // sequential NAT shifts every later port, so a failed punch is retried
  // from a fresh port with fresh predictions on both sides (a new request,
  // and so a new Noise handshake).
  let offer = own.offer;
  let signalMs = 0;
  let punchMs = 0;
  for (let attempt = 1; ; attempt++) {
    if (attempt > 1) {
      localPort = await freeTcpPort();
      offer = (await ctx.offers.forDial(localPort)).offer;
    }
    const tSignal = performance.now();
    const { answer, keys } = await signal(ctx, publicKey, record, offer);
    signalMs += performance.now() - tSignal;
    ctx.progress('punch', `answer via ${fmt(answer.introducer)} in ${Math.round(answer.rttMs)} ms; peer NAT ${answer.offer.nat.mapping}, predicted ${answer.offer.publicEndpoints.map(fmt).join(', ')}`);
    const tPunch = performance.now();
    let result: ConnectResult;
    try {
      result = await connectPeer({ localPort, local: sideOf(offer), remote: sideOf(answer.offer), rttMs: answer.rttMs, role: 'initiator', timeoutMs: PUNCH_TIMEOUT_MS });
    } catch (err) {
      punchMs += performance.now() - tPunch;
      const retry = err instanceof PunchError && (err.code === 'timeout' || err.code === 'refused') && attempt < PUNCH_ATTEMPTS;
      if (!retry) throw new DialError('punch-failed', `punch to ${hex(publicKey)} failed: ${(err as Error).message}`, { cause: err });
      ctx.progress('punch', `attempt ${attempt} failed (${(err as Error).message}); again from a fresh port`);
      continue;
    }
    punchMs += performance.now() - tPunch;
    ctx.progress('open', `connected to ${result.winner.host}:${result.winner.port} (${result.winner.method}); opening the secure stream`);
    const tOpen = performance.now();
    const stream = await keyedStream(result.socket, true, keys, OPEN_TIMEOUT_MS).catch((err: Error) => {
      throw new DialError('wrong-key', `the peer at ${result.winner.host}:${result.winner.port} did not prove it holds ${hex(publicKey)}: ${err.message}`, { cause: err });
    });
    return withInfo(stream, {
      remotePublicKey: keys.remotePublicKey,
      ...describe(result),
      timings: { lookupMs, profileMs: own.at, signalMs, punchMs, openMs: performance.now() - tOpen, totalMs: since() },
    });
  }
}

/** One signed request with a fresh Noise handshake; the answer's refusal or a broken handshake end the dial. */
async function signal(ctx: DialContext, publicKey: Uint8Array, record: VerifiedRecord, offer: PunchOffer): Promise<{ answer: SignalAnswer; keys: SessionKeys }> {
  const noise = new NoiseDialer(ctx.identity, publicKey);
  let answer: SignalAnswer;
  try {
    answer = await ctx.signaling.request(ctx.dht, ctx.identity, publicKey, record.introducers, offer, noise.message);
  } catch (err) {
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

function lookupFailure(err: Error): DialError {
  if (err instanceof RecordNotFoundError) return new DialError('not-found', err.message, { cause: err });
  if (err instanceof RecordExpiredError) return new DialError('expired-record', err.message, { cause: err });
  if (err instanceof RecordInvalidError) return new DialError('invalid-record', err.message, { cause: err });
  return new DialError('lookup-failed', `lookup failed: ${err.message}`, { cause: err });
}
