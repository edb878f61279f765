import { createHash } from 'node:crypto';
import { decodeBounded, p2pnode } from '@p2p-node/protos';

/*
 * The relay's two frames (wire.proto: RelayHello, RelayVerdict), each a
 * 2-byte big-endian length and the message, as the reflector frames its
 * reply. Everything after them on a spliced circuit is the peers' own bytes.
 */

export const TOKEN_BYTES = 32;
/** A hello is a 32-byte token and its tag: anything longer is not one. */
export const MAX_HELLO_BYTES = 64;
/** A verdict is a status and a reason of at most MAX_REASON_BYTES. */
export const MAX_VERDICT_BYTES = 256;
export const MAX_REASON_BYTES = 200;

export type RelayStatus = 'spliced' | 'busy' | 'refused';

const STATUS_TO_WIRE: Record<RelayStatus, p2pnode.RelayStatus> = {
  spliced: p2pnode.RelayStatus.RELAY_SPLICED,
  busy: p2pnode.RelayStatus.RELAY_BUSY,
  refused: p2pnode.RelayStatus.RELAY_REFUSED,
};

/** Domain-separates the circuit token from every other use of the handshake hash. */
const TOKEN_TAG = Buffer.from('p2p-node/relay-circuit/v1\0');

/**
 * The circuit token of a session: both ends derive it from the Noise
 * handshake hash, which only they know. Introducers see the signaling but
 * not the hash, so none of them can take a half of the circuit; the relay
 * learns the token, which is worth nothing beyond this one circuit.
 */
export function circuitToken(handshakeHash: Uint8Array): Buffer {
  return createHash('sha256').update(TOKEN_TAG).update(handshakeHash).digest();
}

function frame(body: Uint8Array): Buffer {
  const out = Buffer.alloc(2 + body.length);
  out.writeUInt16BE(body.length, 0);
  out.set(body, 2);
  return out;
}

export function helloFrame(token: Uint8Array): Buffer {
  return frame(p2pnode.RelayHello.encode({ token }).finish());
}

export function verdictFrame(status: RelayStatus, reason = ''): Buffer {
  const cut = Buffer.from(reason).subarray(0, MAX_REASON_BYTES).toString();
  return frame(p2pnode.RelayVerdict.encode({ status: STATUS_TO_WIRE[status], reason: cut }).finish());
}

/**
 * Splits one frame off the front of `buf`: undefined while it is incomplete;
 * throws when its declared length exceeds `max` (a stranger's bytes never
 * make us buffer more).
 */
export function takeFrame(buf: Buffer, max: number): { body: Buffer; rest: Buffer } | undefined {
  if (buf.length < 2) return undefined;
  const len = buf.readUInt16BE(0);
  if (len > max) throw new Error(`frame of ${len} bytes, at most ${max}`);
  if (buf.length < 2 + len) return undefined;
  return { body: buf.subarray(2, 2 + len), rest: buf.subarray(2 + len) };
}

/** The token of a hello from a stranger; throws WireDecodeError or Error when it is not one. */
export function readHello(body: Uint8Array): Buffer {
  const hello = decodeBounded(p2pnode.RelayHello, body, { maxBytes: MAX_HELLO_BYTES, maxFieldBytes: TOKEN_BYTES, maxRepeated: 0, maxDepth: 1 });
  if (!hello.token || hello.token.length !== TOKEN_BYTES) throw new Error(`a circuit token is ${TOKEN_BYTES} bytes`);
  return Buffer.from(hello.token);
}

export function readVerdict(body: Uint8Array): { status: RelayStatus | 'unknown'; reason: string } {
  const v = decodeBounded(p2pnode.RelayVerdict, body, { maxBytes: MAX_VERDICT_BYTES, maxFieldBytes: MAX_REASON_BYTES, maxRepeated: 0, maxDepth: 1 });
  const status = (Object.keys(STATUS_TO_WIRE) as RelayStatus[]).find((s) => STATUS_TO_WIRE[s] === v.status) ?? 'unknown';
  // A relay's words are a stranger's: printable ASCII only, before anyone logs them.
  return { status, reason: (v.reason ?? '').replace(/[^\x20-\x7e]/g, '?') };
}
