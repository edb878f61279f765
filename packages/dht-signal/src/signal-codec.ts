import { randomBytes } from 'node:crypto';
import { decodeBounded, endpointFromWire, endpointToWire, natInfoFromWire, natInfoToWire, p2pnode, WireDecodeError } from '@p2p-node/protos';
import type { HostPort, PunchOffer } from '@p2p-node/protos';
import { type Identity, PUBLIC_KEY_BYTES, sign, verify } from './identity.js';

export type { PunchOffer };

export type SignalKind = 'register' | 'request' | 'answer';

/** A signaling message whose signature, sender and fields have been checked. */
export interface SignalMessage {
  kind: SignalKind;
  senderKey: Uint8Array;
  /** Empty in a registration. */
  targetKey: Uint8Array;
  nonce: Uint8Array;
  issuedAtMs: number;
  /** Empty in a registration. */
  offerBytes: Uint8Array;
  /** In an answer: the request's nonce. */
  replyTo: Uint8Array;
  /** In a registration: the introducer's token for the sender's address (may be empty). */
  token: Uint8Array;
  /** In a request or answer: the two ends' opaque session handshake bytes (may be empty). */
  session: Uint8Array;
  /** In an answer: the listener refuses this dialer. */
  refused: boolean;
}

/**
 * Prefix of every signed signaling body. BEP 44 signs bencoded text that
 * starts with "3:seq" or "4:salt", so a signature made here can never pass
 * as a record signature, nor the other way round.
 */
export const SIGNAL_SIGNATURE_DOMAIN: Uint8Array = new TextEncoder().encode('p2p-node/signal/v1\0');

export const NONCE_BYTES = 16;
const MAX_NONCE_BYTES = 32;
export const MAX_TOKEN_BYTES = 32;
/** A Noise IK message with a small payload fits easily (the first is 96 bytes with none). */
export const MAX_SESSION_BYTES = 160;
/** A random NAT's birthday window can list many ports; 32 keeps one datagram well under 1,200 bytes. */
export const MAX_OFFER_ENDPOINTS = 32;
/** Everything that crosses the wire in `m` stays well below a typical 1,280-byte safe UDP payload. */
export const MAX_SIGNED_SIGNAL_BYTES = 1100;
/** Leaves room in a 1000-byte body for keys, nonces and times (about 120 bytes). */
const MAX_OFFER_BYTES = 860;
const MAX_BODY_BYTES = 1000;

const SIGNED_LIMITS = { maxBytes: MAX_SIGNED_SIGNAL_BYTES, maxRepeated: 1, maxFieldBytes: 1000, maxDepth: 2 };
const BODY_LIMITS = { maxBytes: MAX_BODY_BYTES, maxRepeated: 1, maxFieldBytes: MAX_OFFER_BYTES, maxDepth: 2 };
const OFFER_LIMITS = { maxBytes: MAX_OFFER_BYTES, maxRepeated: MAX_OFFER_ENDPOINTS, maxFieldBytes: 16, maxDepth: 3 };

const KIND_TO_WIRE: Record<SignalKind, p2pnode.SignalKind> = {
  register: p2pnode.SignalKind.SIGNAL_REGISTER,
  request: p2pnode.SignalKind.SIGNAL_REQUEST,
  answer: p2pnode.SignalKind.SIGNAL_ANSWER,
};

/** Why bytes were refused before any signature or freshness check. */
export class SignalDecodeError extends Error {
  override readonly name = 'SignalDecodeError';
}

/** An endpoint that must be IPv6 (an IPv4 address there would be punched as if it had no NAT). */
function ipv6EndpointFromWire(e: p2pnode.Endpoint.$Properties, what: string): HostPort {
  if ((e.ip?.length ?? 0) !== 16) throw new SignalDecodeError(`${what} is not an IPv6 address`);
  return endpointFromWire(e, what);
}

export function newNonce(): Uint8Array {
  return new Uint8Array(randomBytes(NONCE_BYTES));
}

export function encodeOffer(offer: PunchOffer): Uint8Array {
  const lists = [offer.publicEndpoints, offer.lanEndpoints, offer.relays ?? [], offer.ipv6Endpoints ?? []];
  if (lists.some((l) => l.length > MAX_OFFER_ENDPOINTS)) {
    throw new Error(`an offer lists at most ${MAX_OFFER_ENDPOINTS} endpoints per kind`);
  }
  checkUint(offer.localPort, 65535, 'local port');
  checkUint(offer.rttMs, 0xffffffff, 'rtt');
  const bytes = p2pnode.PunchOffer.encode({
    publicEndpoints: offer.publicEndpoints.map(endpointToWire),
    lanEndpoints: offer.lanEndpoints.map(endpointToWire),
    nat: natInfoToWire(offer.nat),
    localPort: offer.localPort,
    rttMs: offer.rttMs,
    provisional: offer.provisional === true,
    relays: (offer.relays ?? []).map(endpointToWire),
    relayUse: offer.relayUse === 'never' ? p2pnode.RelayUse.RELAY_NEVER : offer.relayUse === 'only' ? p2pnode.RelayUse.RELAY_ONLY : p2pnode.RelayUse.RELAY_AUTO,
    ipv6Endpoints: (offer.ipv6Endpoints ?? []).map(endpointToWire),
  }).finish();
  if (bytes.length > MAX_OFFER_BYTES) throw new Error(`offer is ${bytes.length} bytes, at most ${MAX_OFFER_BYTES}`);
  return bytes;
}

/** Decodes a stranger's offer and checks every field; SignalDecodeError otherwise. */
export function decodeOffer(bytes: Uint8Array): PunchOffer {
  const msg = bounded(p2pnode.PunchOffer, bytes, OFFER_LIMITS, 'offer');
  if (msg.localPort > 65535) throw new SignalDecodeError(`local port ${msg.localPort}`);
  try {
    return {
      publicEndpoints: msg.publicEndpoints.map((e, i) => endpointFromWire(e, `public endpoint ${i}`)),
      lanEndpoints: msg.lanEndpoints.map((e, i) => endpointFromWire(e, `LAN endpoint ${i}`)),
      nat: natInfoFromWire(msg.nat),
      localPort: msg.localPort,
      rttMs: msg.rttMs,
      ...(msg.provisional ? { provisional: true } : {}),
      ...(msg.relays.length > 0 ? { relays: msg.relays.map((e, i) => endpointFromWire(e, `relay ${i}`)) } : {}),
      ...(msg.relayUse === p2pnode.RelayUse.RELAY_NEVER ? { relayUse: 'never' as const } : msg.relayUse === p2pnode.RelayUse.RELAY_ONLY ? { relayUse: 'only' as const } : {}),
      ...(msg.ipv6Endpoints.length > 0 ? { ipv6Endpoints: msg.ipv6Endpoints.map((e, i) => ipv6EndpointFromWire(e, `IPv6 endpoint ${i}`)) } : {}),
    };
  } catch (err) {
    if (err instanceof WireDecodeError) throw new SignalDecodeError(err.message);
    throw err;
  }
}

export interface SignalFields {
  kind: SignalKind;
  targetKey?: Uint8Array;
  nonce?: Uint8Array;
  issuedAtMs?: number;
  offerBytes?: Uint8Array;
  replyTo?: Uint8Array;
  token?: Uint8Array;
  session?: Uint8Array;
  refused?: boolean;
}

/** Encodes and signs a SignedSignal (the bytes sent as KRPC argument `m`). */
export function sealSignal(identity: Identity, fields: SignalFields): Uint8Array {
  const body = p2pnode.SignalBody.encode({
    kind: KIND_TO_WIRE[fields.kind],
    senderKey: identity.publicKey,
    targetKey: fields.targetKey ?? new Uint8Array(),
    nonce: fields.nonce ?? newNonce(),
    issuedAtMs: fields.issuedAtMs ?? Date.now(),
    offer: fields.offerBytes ?? new Uint8Array(),
    replyTo: fields.replyTo ?? new Uint8Array(),
    token: fields.token ?? new Uint8Array(),
    session: fields.session ?? new Uint8Array(),
    refused: fields.refused ?? false,
  }).finish();
  if ((fields.session?.length ?? 0) > MAX_SESSION_BYTES) throw new Error(`session bytes are ${fields.session!.length}, at most ${MAX_SESSION_BYTES}`);
  if (body.length > MAX_BODY_BYTES) throw new Error(`signal body is ${body.length} bytes, at most ${MAX_BODY_BYTES}`);
  const signature = sign(identity, signedBytes(body));
  return p2pnode.SignedSignal.encode({ body, signature }).finish();
}

/** Decodes a SignedSignal and checks its shape, without the signature: what an introducer needs to route it. */
export function readSignal(bytes: Uint8Array): { message: SignalMessage; body: Uint8Array; signature: Uint8Array } {
  const signed = bounded(p2pnode.SignedSignal, bytes, SIGNED_LIMITS, 'signed signal');
  const b = bounded(p2pnode.SignalBody, signed.body, BODY_LIMITS, 'signal body');
  const kind = (Object.keys(KIND_TO_WIRE) as SignalKind[]).find((k) => KIND_TO_WIRE[k] === b.kind);
  if (kind === undefined) throw new SignalDecodeError(`unknown signal kind ${b.kind}`);
  if (b.senderKey.length !== PUBLIC_KEY_BYTES) throw new SignalDecodeError(`sender key is ${b.senderKey.length} bytes`);
  const wantTarget = kind === 'register' ? 0 : PUBLIC_KEY_BYTES;
  if (b.targetKey.length !== wantTarget) throw new SignalDecodeError(`target key is ${b.targetKey.length} bytes in a ${kind}`);
  if (b.nonce.length < NONCE_BYTES || b.nonce.length > MAX_NONCE_BYTES) throw new SignalDecodeError(`nonce is ${b.nonce.length} bytes`);
  if (!Number.isSafeInteger(b.issuedAtMs) || b.issuedAtMs <= 0) throw new SignalDecodeError('no issue time');
  if (kind === 'answer' && (b.replyTo.length < NONCE_BYTES || b.replyTo.length > MAX_NONCE_BYTES)) {
    throw new SignalDecodeError('answer does not name the request it answers');
  }
  if (b.token.length > MAX_TOKEN_BYTES) throw new SignalDecodeError(`token is ${b.token.length} bytes`);
  if (b.session.length > MAX_SESSION_BYTES) throw new SignalDecodeError(`session bytes are ${b.session.length}`);
  if (b.refused && kind !== 'answer') throw new SignalDecodeError(`a ${kind} cannot carry a refusal`);
  return {
    message: {
      kind,
      // Copies: protobufjs hands out views into the datagram.
      senderKey: new Uint8Array(b.senderKey),
      targetKey: new Uint8Array(b.targetKey),
      nonce: new Uint8Array(b.nonce),
      issuedAtMs: b.issuedAtMs,
      offerBytes: new Uint8Array(b.offer),
      replyTo: new Uint8Array(b.replyTo),
      token: new Uint8Array(b.token),
      session: new Uint8Array(b.session),
      refused: b.refused === true,
    },
    body: signed.body,
    signature: signed.signature,
  };
}

/** readSignal plus the signature check: the message is what `senderKey` signed, or SignalDecodeError / null for a bad signature. */
export function openSignal(bytes: Uint8Array): SignalMessage | null {
  const { message, body, signature } = readSignal(bytes);
  return verify(message.senderKey, signedBytes(body), signature) ? message : null;
}

function signedBytes(body: Uint8Array): Uint8Array {
  return Buffer.concat([SIGNAL_SIGNATURE_DOMAIN, body]);
}

function bounded<T>(codec: { decode(b: Uint8Array): T }, bytes: Uint8Array, limits: typeof SIGNED_LIMITS, what: string): T {
  try {
    return decodeBounded(codec, bytes, limits);
  } catch (err) {
    if (err instanceof WireDecodeError) throw new SignalDecodeError(`${what}: ${err.message}`);
    throw err;
  }
}

function checkUint(n: number, max: number, what: string): void {
  if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`${what} ${n} is not an integer in 0..${max}`);
}
