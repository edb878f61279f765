// The Noise IK handshake that rides in signaling, as pure functions: both ends get matching keys, and every way to break it is refused.
import { generateIdentity } from '@p2p-node/dht-signal';
import { describe, expect, it } from 'vitest';
import { answerNoise, NoiseDialer, SessionError } from '../src/noise-session.js';

describe('Noise IK inside signaling', () => {
  const listener = generateIdentity();
  const dialer = generateIdentity();

  it('gives both ends mirrored traffic keys, one handshake hash, and each the other\'s key', () => {
    const d = new NoiseDialer(dialer, listener.publicKey);
    const { reply, keys: l } = answerNoise(listener, d.message, dialer.publicKey);
    const k = d.finish(reply);
    expect(k.tx.equals(l.rx)).toBe(true);
    expect(k.rx.equals(l.tx)).toBe(true);
    expect(k.hash.equals(l.hash)).toBe(true);
    expect(k.remotePublicKey.equals(Buffer.from(listener.publicKey))).toBe(true);
    expect(l.remotePublicKey.equals(Buffer.from(dialer.publicKey))).toBe(true);
    // Fresh ephemeral keys per dial: two handshakes never share keys.
    const again = new NoiseDialer(dialer, listener.publicKey);
    expect(Buffer.from(again.message).equals(Buffer.from(d.message))).toBe(false);
  });

  it('a listener without the dialed key cannot read the first message', () => {
    const d = new NoiseDialer(dialer, listener.publicKey);
    expect(() => answerNoise(generateIdentity(), d.message, dialer.publicKey)).toThrow(SessionError);
  });

  it('the listener refuses a handshake that proves another key than the one that signed the request', () => {
    const d = new NoiseDialer(dialer, listener.publicKey);
    expect(() => answerNoise(listener, d.message, generateIdentity().publicKey)).toThrow(/proves another key/);
  });

  it('the dialer refuses a reply that was altered, made for another handshake, or missing', () => {
    const d = new NoiseDialer(dialer, listener.publicKey);
    const { reply } = answerNoise(listener, d.message, dialer.publicKey);
    const bent = Uint8Array.from(reply);
    bent[bent.length - 1]! ^= 1;
    expect(() => d.finish(bent)).toThrow(SessionError);
    const other = new NoiseDialer(dialer, listener.publicKey);
    const { reply: otherReply } = answerNoise(listener, other.message, dialer.publicKey);
    expect(() => new NoiseDialer(dialer, listener.publicKey).finish(otherReply)).toThrow(SessionError);
    expect(() => new NoiseDialer(dialer, listener.publicKey).finish(new Uint8Array())).toThrow(/no Noise handshake/);
  });
});
