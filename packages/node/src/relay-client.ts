import { connect, type Socket } from 'node:net';
import { formatHostPort, P2pNodeError, type HostPort } from '@p2p-node/protos';
import { helloFrame, MAX_VERDICT_BYTES, readVerdict, takeFrame } from './relay-wire.js';

export type RelayFailure = 'relay-busy' | 'relay-failed';

/** A relay did not give us a circuit: `relay-busy` (at its limits, with its reason) or `relay-failed` (unreachable, refused, cut, silent). */
export class RelayError extends P2pNodeError {
  declare readonly code: RelayFailure;
  constructor(code: RelayFailure, message: string) {
    super(code, message);
  }
}

export interface OpenCircuitOptions {
  /** From connecting until the relay says the other half is there. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Our half of a relay circuit: connect to the relay, send the token, wait
 * for the verdict. Resolves with the socket once spliced, positioned at the
 * peer's first byte; every other outcome rejects with a RelayError and
 * leaves no socket open.
 */
export function openCircuit(relay: HostPort, token: Uint8Array, opts: OpenCircuitOptions): Promise<Socket> {
  const where = formatHostPort(relay);
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new RelayError('relay-failed', `circuit at ${where} abandoned`));
    const socket = connect({ host: relay.host, port: relay.port, noDelay: true, allowHalfOpen: true });
    let buf = Buffer.alloc(0);
    const done = (err?: RelayError) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      socket.off('readable', onReadable);
      socket.off('error', onError);
      socket.off('close', onClose);
      socket.off('end', onClose);
      if (err) {
        socket.destroy();
        reject(err);
      }
    };
    const onAbort = () => done(new RelayError('relay-failed', `circuit at ${where} abandoned`));
    const onError = (err: Error) => done(new RelayError('relay-failed', `relay ${where}: ${err.message}`));
    const onClose = () => done(new RelayError('relay-failed', `relay ${where} closed the connection before splicing the circuit`));
    // 'readable' rather than 'data': once it is removed the socket is neither
    // paused nor flowing, so the keyed stream's reader starts it as usual.
    const onReadable = () => {
      let chunk: Buffer | null;
      while ((chunk = socket.read() as Buffer | null) !== null) {
        buf = Buffer.concat([buf, chunk]);
        if (buf.length >= 2 + MAX_VERDICT_BYTES) break;
      }
      let rest;
      try {
        rest = takeSplicedVerdict(buf, where);
        if (!rest) return;
      } catch (err) {
        return done(err as RelayError);
      }
      done();
      // The peer's first bytes may have come in the same segment as the verdict.
      if (rest.length > 0) socket.unshift(rest);
      resolve(socket);
    };
    const timer = setTimeout(() => done(new RelayError('relay-failed', `relay ${where}: the other side did not arrive within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('readable', onReadable);
    socket.on('error', onError);
    socket.on('close', onClose);
    // allowHalfOpen: the relay hanging up shows as 'end' first.
    socket.on('end', onClose);
    socket.write(helloFrame(token));
  });
}

/**
 * Our half at the first of `relays` that gives us a circuit, trying each in
 * turn when the one before is down, refuses or is busy; `onNext` hears why
 * one was left. The error, when none does: busy if any relay said so.
 */
export async function openCircuitAt(relays: HostPort[], token: Uint8Array, opts: OpenCircuitOptions & { onNext?: (left: HostPort, why: RelayError) => void }): Promise<{ socket: Socket; relay: HostPort }> {
  let busy: RelayError | undefined;
  let last: RelayError | undefined;
  for (const [i, relay] of relays.entries()) {
    try {
      return { socket: await openCircuit(relay, token, opts), relay };
    } catch (err) {
      last = err as RelayError;
      if (opts.signal?.aborted) throw last;
      if (last.code === 'relay-busy') busy ??= last;
      if (i < relays.length - 1) opts.onNext?.(relay, last);
    }
  }
  throw busy ?? last ?? new RelayError('relay-failed', 'no relay to meet at');
}

/**
 * The relay's verdict at the front of `buf`: undefined while incomplete; the
 * bytes after it (the peer's first) once it says spliced; a RelayError for
 * anything else (busy with its reason, refused, not a verdict at all).
 */
export function takeSplicedVerdict(buf: Buffer, where: string): Buffer | undefined {
  let frame;
  let verdict;
  try {
    frame = takeFrame(buf, MAX_VERDICT_BYTES);
    if (!frame) return undefined;
    verdict = readVerdict(frame.body);
  } catch (err) {
    throw new RelayError('relay-failed', `relay ${where} answered something else than a verdict: ${(err as Error).message}`);
  }
  if (verdict.status === 'busy') throw new RelayError('relay-busy', `relay ${where} is busy: ${verdict.reason || 'no reason given'}`);
  if (verdict.status !== 'spliced') throw new RelayError('relay-failed', `relay ${where} refused the circuit: ${verdict.reason || verdict.status}`);
  return frame.rest;
}
