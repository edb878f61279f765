import type { Socket } from 'node:net';

/**
 * Copies `src` into `dst` with TCP backpressure and, when `bytesPerSecond`
 * is above 0, at most that rate (a token bucket holding one second's worth).
 * Half-close passes through: the end of `src` ends `dst`. `onBytes` counts.
 */
export function pumpThrottled(src: Socket, dst: Socket, bytesPerSecond: number, onBytes: (n: number) => void): () => void {
  let allowance = bytesPerSecond;
  let last = Date.now();
  let waitingDrain = false;
  let budgetTimer: NodeJS.Timeout | undefined;
  const maybeResume = () => {
    if (!waitingDrain && !budgetTimer && !src.destroyed) src.resume();
  };
  const onDrain = () => {
    waitingDrain = false;
    maybeResume();
  };
  src.on('data', (chunk: Buffer) => {
    onBytes(chunk.length);
    if (!dst.write(chunk)) {
      waitingDrain = true;
      src.pause();
      dst.once('drain', onDrain);
    }
    if (bytesPerSecond <= 0) return;
    const now = Date.now();
    allowance = Math.min(bytesPerSecond, allowance + ((now - last) * bytesPerSecond) / 1000);
    last = now;
    allowance -= chunk.length;
    if (allowance < 0 && !budgetTimer) {
      src.pause();
      budgetTimer = setTimeout(() => {
        budgetTimer = undefined;
        maybeResume();
      }, Math.ceil((-allowance * 1000) / bytesPerSecond));
    }
  });
  src.on('end', () => dst.end());
  return () => clearTimeout(budgetTimer);
}
