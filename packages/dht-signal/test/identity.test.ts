import { describe, expect, it } from 'vitest';
import { generateIdentity, identityFromSeed, sign, verify } from '../src/identity.js';

// RFC 8032 section 7.1, TEST 1 (empty message).
const RFC_SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const RFC_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const RFC_SIG =
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';

describe('identity', () => {
  it('derives the RFC 8032 public key and signature from the seed', () => {
    const id = identityFromSeed(Buffer.from(RFC_SEED, 'hex'));
    expect(Buffer.from(id.publicKey).toString('hex')).toBe(RFC_PUBLIC);
    const sig = sign(id, new Uint8Array());
    expect(Buffer.from(sig).toString('hex')).toBe(RFC_SIG);
    expect(verify(id.publicKey, new Uint8Array(), sig)).toBe(true);
  });

  it('rejects a changed message, another key, and malformed inputs without throwing', () => {
    const a = generateIdentity();
    const b = generateIdentity();
    expect(a.publicKey).toHaveLength(32);
    expect(a.secretKey).toHaveLength(32);
    const msg = Buffer.from('hello');
    const sig = sign(a, msg);
    expect(verify(a.publicKey, msg, sig)).toBe(true);
    expect(verify(a.publicKey, Buffer.from('hellO'), sig)).toBe(false);
    expect(verify(b.publicKey, msg, sig)).toBe(false);
    expect(verify(a.publicKey, msg, sig.subarray(1))).toBe(false);
    expect(verify(new Uint8Array(31), msg, sig)).toBe(false);
    // 32 bytes that are not a point on the curve.
    expect(verify(new Uint8Array(32).fill(0xff), msg, sig)).toBe(false);
    expect(verify('x' as unknown as Uint8Array, msg, sig)).toBe(false);
  });

  it('refuses seeds that are not 32 bytes', () => {
    expect(() => identityFromSeed(new Uint8Array(31))).toThrow(/32 bytes/);
  });
});
