/** Why a message from the wire was refused. */
export type WireDecodeReason = 'too-large' | 'malformed' | 'field-bounds';

/** Every failure to decode what a stranger sent surfaces as this one type. */
export class WireDecodeError extends Error {
  override readonly name = 'WireDecodeError';
  constructor(
    readonly reason: WireDecodeReason,
    message: string,
  ) {
    super(message);
  }
}

export interface DecodeLimits {
  /** Largest encoded message accepted, in bytes. */
  maxBytes: number;
  /** Largest count for any repeated field. */
  maxRepeated: number;
  /** Longest string or bytes field. */
  maxFieldBytes: number;
  /** Deepest nesting of messages. */
  maxDepth: number;
}

export interface MessageCodec<T> {
  decode(bytes: Uint8Array): T;
}

const DEFAULT_LIMITS: DecodeLimits = { maxBytes: 1000, maxRepeated: 16, maxFieldBytes: 256, maxDepth: 4 };

/**
 * Decodes untrusted bytes. The size check comes first so protobufjs never
 * walks an oversized buffer; the field walk afterwards enforces the bounds
 * protobuf itself does not have (a 1000-byte message can still hold 400
 * repeated entries).
 */
export function decodeBounded<T>(codec: MessageCodec<T>, bytes: Uint8Array, limits: Partial<DecodeLimits> = {}): T {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  if (!(bytes instanceof Uint8Array)) throw new WireDecodeError('malformed', 'expected bytes');
  if (bytes.length > lim.maxBytes) {
    throw new WireDecodeError('too-large', `message is ${bytes.length} bytes, limit is ${lim.maxBytes}`);
  }
  let message: T;
  try {
    message = codec.decode(bytes);
  } catch (err) {
    throw new WireDecodeError('malformed', `cannot decode message: ${(err as Error).message}`);
  }
  checkBounds(message, lim, 0, 'message');
  return message;
}

function checkBounds(value: unknown, lim: DecodeLimits, depth: number, path: string): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'string') {
    if (Buffer.byteLength(value) > lim.maxFieldBytes) throw bounds(`${path} is longer than ${lim.maxFieldBytes} bytes`);
    return;
  }
  if (value instanceof Uint8Array) {
    if (value.length > lim.maxFieldBytes) throw bounds(`${path} is longer than ${lim.maxFieldBytes} bytes`);
    return;
  }
  if (Array.isArray(value)) {
    if (value.length > lim.maxRepeated) throw bounds(`${path} has ${value.length} entries, limit is ${lim.maxRepeated}`);
    value.forEach((item, i) => checkBounds(item, lim, depth, `${path}[${i}]`));
    return;
  }
  if (typeof value === 'object') {
    if (depth >= lim.maxDepth) throw bounds(`${path} is nested deeper than ${lim.maxDepth}`);
    for (const [key, field] of Object.entries(value)) {
      if (key === '$unknowns') continue;
      checkBounds(field, lim, depth + 1, `${path}.${key}`);
    }
  }
}

function bounds(message: string): WireDecodeError {
  return new WireDecodeError('field-bounds', message);
}
