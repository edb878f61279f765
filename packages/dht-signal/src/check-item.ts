import { type RecordInvalidReason, RecordInvalidError } from './errors.js';
import { verify } from './identity.js';
import { signatureData } from './mutable-item.js';
import { decodePeerRecord, type RecordFields } from './record-codec.js';

export type ItemVerdict =
  | { kind: 'valid'; seq: number; fields: RecordFields }
  | { kind: 'expired'; seq: number; fields: RecordFields; expiredAt: number }
  | { kind: 'invalid'; reason: RecordInvalidReason; detail: string; seq?: number };

/**
 * Judges one storer's answer for the item (publicKey, salt). Replay
 * (`stale-seq`) is not judged here: it needs the caller's memory.
 */
export function checkItem(r: Record<string, unknown>, publicKey: Uint8Array, salt: Uint8Array, nowSec: number): ItemVerdict {
  const { v, k, sig, seq } = r;
  if (!Buffer.isBuffer(v)) return invalid('malformed', 'value is not a byte string');
  if (!Buffer.isBuffer(k) || !k.equals(publicKey)) return invalid('bad-signature', 'the answer is not signed by the requested key');
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return invalid('malformed', 'seq is not a non-negative integer');
  if (!Buffer.isBuffer(sig) || !verify(publicKey, signatureData(salt, seq, v), sig)) {
    return invalid('bad-signature', `signature does not verify under the requested key (seq ${seq})`);
  }
  let fields: RecordFields;
  try {
    fields = decodePeerRecord(v, nowSec);
  } catch (err) {
    if (err instanceof RecordInvalidError) return { kind: 'invalid', reason: err.reason, detail: err.detail, seq };
    throw err;
  }
  if (!Buffer.from(fields.publicKey).equals(publicKey)) {
    return { kind: 'invalid', reason: 'key-mismatch', detail: 'the record names a different public key than the one that signed it', seq };
  }
  const expiredAt = fields.issuedAt + fields.lifetime;
  if (nowSec >= expiredAt) return { kind: 'expired', seq, fields, expiredAt };
  return { kind: 'valid', seq, fields };
}

function invalid(reason: RecordInvalidReason, detail: string): ItemVerdict {
  return { kind: 'invalid', reason, detail };
}
