import { describe, expect, it } from 'vitest';
import { AddressTokens } from '../src/address-token.js';
import { sleep } from './signal-fixtures.js';

describe('AddressTokens', () => {
  it('binds a token to one address and port, through one rotation but not two', async () => {
    const tokens = new AddressTokens(100);
    try {
      const a = { host: '127.0.0.1', port: 4000 };
      const t = tokens.issue(a);
      expect(tokens.valid(t, a)).toBe(true);
      expect(tokens.valid(t, { host: '127.0.0.1', port: 4001 })).toBe(false);
      expect(tokens.valid(t, { host: '127.0.0.2', port: 4000 })).toBe(false);
      expect(tokens.valid(t.subarray(0, 8), a)).toBe(false);
      expect(tokens.valid(new Uint8Array(0), a)).toBe(false);
      await sleep(130);
      expect(tokens.valid(t, a)).toBe(true);
      await sleep(220);
      expect(tokens.valid(t, a)).toBe(false);
      expect(tokens.valid(tokens.issue(a), a)).toBe(true);
    } finally {
      tokens.stop();
    }
  });
});
