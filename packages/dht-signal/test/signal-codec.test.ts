import { p2pnode } from '@p2p-node/protos';
import { describe, expect, it } from 'vitest';
import { generateIdentity, sign, verify } from '../src/identity.js';
import {
  decodeOffer,
  encodeOffer,
  MAX_OFFER_ENDPOINTS,
  newNonce,
  openSignal,
  type PunchOffer,
  readSignal,
  sealSignal,
  SIGNAL_SIGNATURE_DOMAIN,
  SignalDecodeError,
} from '../src/signal-codec.js';

const sample: PunchOffer = {
  publicEndpoints: [
    { host: '203.0.113.7', port: 40_000 },
    { host: '203.0.113.7', port: 40_001 },
  ],
  lanEndpoints: [{ host: '192.168.1.20', port: 40_000 }],
  nat: { mapping: 'sequential', publicIp: '203.0.113.7', delta: -2 },
  localPort: 40_000,
  rttMs: 51,
};

describe('signal codec', () => {
  it('round-trips an offer', () => {
    expect(decodeOffer(encodeOffer(sample))).toEqual(sample);
    const v6: PunchOffer = { ...sample, publicEndpoints: [{ host: '2001:db8::1', port: 1 }], nat: { mapping: 'unknown' } };
    expect(decodeOffer(encodeOffer(v6))).toEqual(v6);
    const dual: PunchOffer = { ...sample, ipv6Endpoints: [{ host: '2001:db8:3::2', port: 40_000 }] };
    expect(decodeOffer(encodeOffer(dual))).toEqual(dual);
    // An IPv4 address in the IPv6 list would be punched as if it had no NAT.
    expect(() => decodeOffer(p2pnode.PunchOffer.encode({ ipv6Endpoints: [{ ip: Uint8Array.from([203, 0, 113, 7]), port: 1 }] }).finish())).toThrow(/not an IPv6 address/);
  });

  it('seals and opens a request with every field intact', () => {
    const dialer = generateIdentity();
    const target = generateIdentity().publicKey;
    const nonce = newNonce();
    const m = sealSignal(dialer, { kind: 'request', targetKey: target, nonce, issuedAtMs: 1_764_158_400_123, offerBytes: encodeOffer(sample) });
    const msg = openSignal(m)!;
    expect(msg.kind).toBe('request');
    expect(msg.senderKey).toEqual(dialer.publicKey);
    expect(msg.targetKey).toEqual(target);
    expect(msg.nonce).toEqual(nonce);
    // A millisecond time past 2^32 survives exactly and as a plain number.
    expect(msg.issuedAtMs).toBe(1_764_158_400_123);
    expect(decodeOffer(msg.offerBytes)).toEqual(sample);
  });

  it('refuses a tampered body or a signature by another key', () => {
    const id = generateIdentity();
    const m = sealSignal(id, { kind: 'register' });
    const signed = p2pnode.SignedSignal.decode(m);
    const body = p2pnode.SignalBody.decode(signed.body);
    body.issuedAtMs += 1;
    const tampered = p2pnode.SignedSignal.encode({ body: p2pnode.SignalBody.encode(body).finish(), signature: signed.signature }).finish();
    expect(openSignal(tampered)).toBeNull();
    const other = sealSignal({ publicKey: id.publicKey, secretKey: generateIdentity().secretKey }, { kind: 'register' });
    expect(openSignal(other)).toBeNull();
    expect(openSignal(m)).not.toBeNull();
  });

  it('signs under its own domain: the bare body signature (as BEP 44 would make it) does not verify', () => {
    const id = generateIdentity();
    const signed = p2pnode.SignedSignal.decode(sealSignal(id, { kind: 'register' }));
    expect(verify(id.publicKey, Buffer.concat([SIGNAL_SIGNATURE_DOMAIN, signed.body]), signed.signature)).toBe(true);
    expect(verify(id.publicKey, signed.body, signed.signature)).toBe(false);
    const bareSig = sign(id, signed.body);
    expect(openSignal(p2pnode.SignedSignal.encode({ body: signed.body, signature: bareSig }).finish())).toBeNull();
  });

  it('refuses malformed and out-of-bounds input with SignalDecodeError only', () => {
    const id = generateIdentity();
    const body = (fields: p2pnode.SignalBody.$Properties): Uint8Array =>
      p2pnode.SignedSignal.encode({ body: p2pnode.SignalBody.encode(fields).finish(), signature: new Uint8Array(64) }).finish();
    const good = { kind: p2pnode.SignalKind.SIGNAL_REQUEST, senderKey: id.publicKey, targetKey: id.publicKey, nonce: newNonce(), issuedAtMs: Date.now() };
    const bad: Array<[string, Uint8Array]> = [
      ['random bytes', Uint8Array.from([0xff, 0xff, 0xff, 0xff])],
      ['too large', new Uint8Array(2000)],
      ['unknown kind', body({ ...good, kind: 9 as p2pnode.SignalKind })],
      ['short sender key', body({ ...good, senderKey: new Uint8Array(31) })],
      ['request without target', body({ ...good, targetKey: new Uint8Array() })],
      ['short nonce', body({ ...good, nonce: new Uint8Array(8) })],
      ['long nonce', body({ ...good, nonce: new Uint8Array(33) })],
      ['no issue time', body({ ...good, issuedAtMs: 0 })],
      ['fractional issue time', body({ ...good, issuedAtMs: 1.5 })],
      ['answer without reply_to', body({ ...good, kind: p2pnode.SignalKind.SIGNAL_ANSWER })],
      ['long token', body({ ...good, token: new Uint8Array(33) })],
    ];
    for (const [what, bytes] of bad) {
      expect(() => readSignal(bytes), what).toThrow(SignalDecodeError);
    }
    const tooMany = p2pnode.PunchOffer.encode({
      publicEndpoints: Array.from({ length: MAX_OFFER_ENDPOINTS + 1 }, (_, i) => ({ ip: Uint8Array.from([10, 0, 0, 1]), port: 1000 + i })),
    }).finish();
    expect(() => decodeOffer(tooMany)).toThrow(SignalDecodeError);
    expect(() => decodeOffer(p2pnode.PunchOffer.encode({ publicEndpoints: [{ ip: new Uint8Array(5), port: 1 }] }).finish())).toThrow(/5-byte IP/);
    expect(() => decodeOffer(p2pnode.PunchOffer.encode({ publicEndpoints: [{ ip: Uint8Array.from([10, 0, 0, 1]), port: 0 }] }).finish())).toThrow(/port 0/);
    expect(() => decodeOffer(p2pnode.PunchOffer.encode({ localPort: 70_000 }).finish())).toThrow(SignalDecodeError);
  });

  it('keeps the largest offer in one datagram', () => {
    const big: PunchOffer = {
      ...sample,
      publicEndpoints: Array.from({ length: MAX_OFFER_ENDPOINTS }, (_, i) => ({ host: '2001:db8::1', port: 1000 + i })),
      lanEndpoints: Array.from({ length: MAX_OFFER_ENDPOINTS }, (_, i) => ({ host: '10.0.0.1', port: 1000 + i })),
    };
    expect(() => encodeOffer(big)).toThrow(/at most/);
    const fits: PunchOffer = { ...big, lanEndpoints: big.lanEndpoints.slice(0, 5) };
    const m = sealSignal(generateIdentity(), { kind: 'request', targetKey: new Uint8Array(32), offerBytes: encodeOffer(fits) });
    expect(m.length).toBeLessThanOrEqual(1100);
    expect(decodeOffer(openSignal(m)!.offerBytes)).toEqual(fits);
  });
});
