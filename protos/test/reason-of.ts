import { expect } from 'vitest';
import { WireDecodeError } from '@p2p-node/protos';

/** The reason of the WireDecodeError `fn` throws; fails the test if it throws anything else or nothing. */
export function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WireDecodeError);
    return (err as WireDecodeError).reason;
  }
  throw new Error('expected a WireDecodeError');
}
