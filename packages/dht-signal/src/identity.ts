import { createPrivateKey, createPublicKey, randomBytes, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';

/** An ed25519 key pair; the 32-byte public key is the peer's address. */
export interface Identity {
  publicKey: Uint8Array;
  /** The 32-byte seed (RFC 8032 private key), not the 64-byte expanded form. */
  secretKey: Uint8Array;
}

// Node imports raw ed25519 keys only through DER: these are the fixed ASN.1
// headers of PKCS#8 (private) and SPKI (public) for the Ed25519 OID 1.3.101.112.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export const PUBLIC_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;

export function generateIdentity(): Identity {
  return identityFromSeed(randomBytes(32));
}

export function identityFromSeed(seed: Uint8Array): Identity {
  if (!(seed instanceof Uint8Array) || seed.length !== 32) {
    throw new Error(`an ed25519 seed is 32 bytes, got ${seed instanceof Uint8Array ? seed.length : typeof seed}`);
  }
  const privateKey = privateKeyObject(seed);
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { publicKey: new Uint8Array(spki.subarray(SPKI_ED25519_PREFIX.length)), secretKey: Uint8Array.from(seed) };
}

export function sign(id: Identity, msg: Uint8Array): Uint8Array {
  return new Uint8Array(cryptoSign(null, msg, privateKeyObject(id.secretKey)));
}

/** False, never an exception, for keys or signatures of the wrong shape: callers feed it strangers' bytes. */
export function verify(publicKey: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== PUBLIC_KEY_BYTES) return false;
  if (!(sig instanceof Uint8Array) || sig.length !== SIGNATURE_BYTES) return false;
  if (!(msg instanceof Uint8Array)) return false;
  try {
    return cryptoVerify(null, msg, publicKeyObject(publicKey), sig);
  } catch {
    // Not every 32-byte string is a valid curve point.
    return false;
  }
}

function privateKeyObject(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' });
}
