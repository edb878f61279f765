import type { Duplex } from 'node:stream';

/**
 * The listener's first message on a fresh secure stream: accepted or refused
 * (allow list). Without it a refused dialer would only see a closed stream and
 * could not tell a policy refusal from a network failure.
 */
const ACCEPT = 0x01;
const REFUSE = 0x00;

export function sendVerdict(stream: Duplex, accepted: boolean): void {
  if (accepted) stream.write(Buffer.of(ACCEPT));
  else stream.end(Buffer.of(REFUSE));
}

/** Reads the verdict byte, leaving everything after it in the stream. */
export function readVerdict(stream: Duplex, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`no answer from the listener within ${timeoutMs} ms after the handshake`)), timeoutMs);
    const finish = (err: Error | null, accepted = false) => {
      clearTimeout(timer);
      stream.off('readable', onReadable);
      stream.off('error', onError);
      stream.off('end', onEnd);
      if (err) reject(err);
      else resolve(accepted);
    };
    const onReadable = () => {
      const first = stream.read(1) as Buffer | null;
      if (first === null) return;
      if (first[0] === ACCEPT) finish(null, true);
      else if (first[0] === REFUSE) finish(null, false);
      else finish(new Error(`unexpected first byte 0x${first[0]!.toString(16)} from the listener`));
    };
    const onError = (err: Error) => finish(err);
    const onEnd = () => finish(new Error('the listener closed the stream without answering'));
    stream.on('readable', onReadable);
    stream.once('error', onError);
    stream.once('end', onEnd);
  });
}
