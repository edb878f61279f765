import type { Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import bencode from 'bencode';
import { AnswerBudget, MAX_ANSWER_BYTES, shapeAnswer } from './answer-budget.js';
import { isWellFormedBencode } from './bencode-shape.js';
import { createHash } from 'node:crypto';
import { StoreQuota } from './store-quota.js';

/**
 * bittorrent-dht trusts the shape of what it decodes: a `get` whose target is
 * an integer throws from `target.toString('hex')`, a `put` with `sig` but no
 * `k` throws from Buffer.concat, a reply whose `id` is not a string throws
 * inside k-rpc-socket after it already freed the transaction (so the lookup
 * waiting for it never ends). Those throws happen in the socket's 'message'
 * handler, i.e. they would kill the process.
 *
 * KrpcGuardSocket sits between the real UDP socket and k-rpc-socket: it
 * decodes each datagram with the same bencode version k-rpc-socket uses and
 * only passes on messages whose fields have the types bittorrent-dht assumes.
 * On the way out it holds answers to the reflection bounds (AnswerBudget).
 */
export class KrpcGuardSocket extends EventEmitter {
  dropped = 0;
  /** Answers cut down to their budget (nodes trimmed, or a large value left out for an unproven asker). */
  shaped = 0;
  readonly budget = new AnswerBudget();
  /** Stores refused because their source IP already holds its share (StoreQuota). */
  overQuota = 0;
  private readonly putQuota = new StoreQuota();
  private readonly announceQuota = new StoreQuota();

  constructor(
    private readonly real: Socket,
    private readonly onDrop: (reason: string) => void,
    private readonly onSend?: (host: string, port: number) => void,
  ) {
    super();
    real.on('message', (buf: Buffer, rinfo) => {
      const { problem, message } = inspectDatagram(buf);
      if (problem === null && !this.withinQuota(message!, rinfo.address, rinfo.port)) {
        this.overQuota++;
        this.real.send(bencode.encode({ t: message!.t, y: 'e', e: [201, 'too many items stored from your address'] }), rinfo.port, rinfo.address);
      } else if (problem === null) {
        this.noteIncoming(message!, rinfo.address, rinfo.port, buf.length);
        this.emit('message', buf, rinfo);
      } else {
        this.dropped++;
        this.onDrop(`dropped datagram from ${rinfo.address}:${rinfo.port}: ${problem}`);
      }
    });
    real.on('listening', () => this.emit('listening'));
    real.on('error', (err) => this.emit('error', err));
    real.on('close', () => this.emit('close'));
  }

  // The subset of dgram.Socket that k-rpc-socket calls.
  bind(...args: unknown[]): void {
    (this.real.bind as (...a: unknown[]) => void)(...args);
  }
  send(...args: unknown[]): void {
    // k-rpc-socket calls send(buf, offset, length, port, host, cb).
    const [buf, , , port, host, cb] = args as [Buffer, number, number, number, string, ((err: Error | null) => void) | undefined];
    if (this.onSend) this.onSend(String(host), Number(port));
    const out = this.withinBudget(buf, String(host), Number(port));
    if (out === undefined) return void cb?.(null);
    (this.real.send as (...a: unknown[]) => void)(out, 0, out.length, port, host, cb);
  }

  /** A put or announce_peer within its source IP's share of our storage; anything else passes. */
  private withinQuota(message: Record<string, unknown>, host: string, port: number): boolean {
    const q = Buffer.isBuffer(message.q) && (message.y as Buffer).toString() === 'q' ? message.q.toString() : '';
    const a = message.a as Record<string, unknown>;
    if (q === 'put' && a.v !== undefined) {
      const item = Buffer.isBuffer(a.k)
        ? `m:${a.k.toString('hex')}:${Buffer.isBuffer(a.salt) ? a.salt.toString('hex') : ''}`
        : `i:${createHash('sha1').update(bencode.encode(a.v)).digest('hex')}`;
      return this.putQuota.admit(host, item);
    }
    if (q === 'announce_peer' && Buffer.isBuffer(a.info_hash)) {
      return this.announceQuota.admit(host, `${a.info_hash.toString('hex')}:${a.implied_port ? port : String(a.port)}`);
    }
    return true;
  }

  private noteIncoming(message: Record<string, unknown>, host: string, port: number, bytes: number): void {
    const t = message.t as Buffer;
    const y = (message.y as Buffer).toString();
    if (y === 'q') this.budget.queryReceived(host, port, t, bytes);
    else this.budget.responseReceived(host, port, t);
  }

  /** The datagram to send: as is, or an answer cut to its budget; undefined when no form of it fits. */
  private withinBudget(buf: Buffer, host: string, port: number): Buffer | undefined {
    let message: Record<string, unknown>;
    try {
      message = bencode.decode(buf) as Record<string, unknown>;
    } catch {
      return buf;
    }
    const t = message.t;
    const y = Buffer.isBuffer(message.y) ? message.y.toString() : '';
    if (!Buffer.isBuffer(t)) return buf;
    if (y === 'q') {
      this.budget.querySent(host, port, t);
      return buf;
    }
    const budget = this.budget.budgetFor(host, port, t);
    if (y !== 'r' || buf.length <= budget || !isDict(message.r)) return buf;
    this.shaped++;
    // Only DHT answers have parts to leave out. One of ours (a relayed signaling answer, signed and
    // at most 1,100 bytes) that cannot be cut goes as it is: dropping it would fail a dial, and
    // the introducer's per-IP rate limit already bounds what a spoofed source can draw from it.
    return shapeAnswer(message as { r: Record<string, unknown> }, budget) ?? (buf.length <= MAX_ANSWER_BYTES ? buf : undefined);
  }
  close(): void {
    this.real.close();
  }
  address(): ReturnType<Socket['address']> {
    return this.real.address();
  }
}

const NODE_ID_BYTES = 20;

/** Null when the datagram is safe to hand to bittorrent-dht, else why not. */
export function checkDatagram(buf: Buffer): string | null {
  return inspectDatagram(buf).problem;
}

/** The decoded message when it is safe to hand to bittorrent-dht, else why not. */
function inspectDatagram(buf: Buffer): { problem: string | null; message?: Record<string, unknown> } {
  if (!isWellFormedBencode(buf)) return { problem: 'not bencode' };
  let message: unknown;
  try {
    message = bencode.decode(buf);
  } catch {
    return { problem: 'not bencode' };
  }
  try {
    const problem = checkMessage(message);
    return problem === null ? { problem, message: message as Record<string, unknown> } : { problem };
  } catch {
    return { problem: 'unreadable structure' };
  }
}

function checkMessage(message: unknown): string | null {
  if (!isDict(message)) return 'top level is not a dictionary';
  if (!hasPlainPrototypes(message, 0)) return 'dictionary key "__proto__"';
  if (!Buffer.isBuffer(message.t) || message.t.length === 0 || message.t.length > 16) return 'bad transaction id';
  if (!Buffer.isBuffer(message.y)) return 'missing message type';
  switch (message.y.toString()) {
    case 'q':
      return checkQuery(message);
    case 'r':
      return checkResponse(message.r);
    case 'e':
      return Array.isArray(message.e) ? null : 'error body is not a list';
    default:
      return 'unknown message type';
  }
}

function checkQuery(message: Record<string, unknown>): string | null {
  if (!Buffer.isBuffer(message.q)) return 'query name is not a string';
  const a = message.a;
  if (!isDict(a)) return 'query arguments are not a dictionary';
  if (!isBytes(a.id, NODE_ID_BYTES)) return 'query id is not 20 bytes';
  for (const field of ['target', 'info_hash'] as const) {
    if (a[field] !== undefined && !isBytes(a[field], NODE_ID_BYTES)) return `${field} is not 20 bytes`;
  }
  if (a.token !== undefined && !Buffer.isBuffer(a.token)) return 'token is not a string';
  for (const field of ['port', 'implied_port', 'seq', 'cas'] as const) {
    if (a[field] !== undefined && !Number.isSafeInteger(a[field])) return `${field} is not an integer`;
  }
  if (a.k !== undefined || a.sig !== undefined) {
    // bittorrent-dht treats either field as "mutable" and then uses both.
    if (!isBytes(a.k, 32)) return 'k is not a 32-byte key';
    if (!isBytes(a.sig, 64)) return 'sig is not 64 bytes';
    if (a.seq === undefined) return 'mutable put without seq';
  }
  if (a.salt !== undefined && !(Buffer.isBuffer(a.salt) && a.salt.length <= 64)) return 'salt is not a string of at most 64 bytes';
  if (a.v !== undefined && !withinItemBytes(a.v)) return `v is over ${MAX_ITEM_BYTES} bytes`;
  return null;
}

/** BEP 44's bound on a stored item. */
const MAX_ITEM_BYTES = 1000;

/**
 * bittorrent-dht checks `v.length > 1000`, which for a bencoded list counts
 * items, not bytes: a put of a list of 1,000 long strings was stored and then
 * answered 63 KB to an 88-byte `get` (a 716x reflector for spoofed sources).
 * Bound what is stored by bytes: a byte string by its own length (as
 * bittorrent-dht does, so a full 1,000-byte record still fits), any other
 * value by its bencoded size (BEP 44).
 */
function withinItemBytes(v: unknown): boolean {
  if (Buffer.isBuffer(v)) return v.length <= MAX_ITEM_BYTES;
  try {
    return bencode.encode(v).length <= MAX_ITEM_BYTES;
  } catch {
    return false;
  }
}

function checkResponse(r: unknown): string | null {
  if (!isDict(r)) return 'response body is not a dictionary';
  if (!isBytes(r.id, NODE_ID_BYTES)) return 'response id is not 20 bytes';
  for (const field of ['nodes', 'token', 'ip'] as const) {
    if (r[field] !== undefined && !Buffer.isBuffer(r[field])) return `${field} is not a string`;
  }
  if (r.values !== undefined && !(Array.isArray(r.values) && r.values.every((v) => Buffer.isBuffer(v)))) {
    return 'values is not a list of strings';
  }
  if (r.k !== undefined && !isBytes(r.k, 32)) return 'k is not a 32-byte key';
  if (r.sig !== undefined && !isBytes(r.sig, 64)) return 'sig is not 64 bytes';
  if (r.seq !== undefined && !Number.isSafeInteger(r.seq)) return 'seq is not an integer';
  return null;
}

function isDict(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

function isBytes(value: unknown, length: number): value is Buffer {
  return Buffer.isBuffer(value) && value.length === length;
}

/** bencode's decoder assigns dict[key] = value, so a key "__proto__" swaps the prototype instead. */
function hasPlainPrototypes(value: unknown, depth: number): boolean {
  if (depth > 32) return false;
  if (Array.isArray(value)) return value.every((item) => hasPlainPrototypes(item, depth + 1));
  if (isDict(value)) {
    if (Object.getPrototypeOf(value) !== Object.prototype) return false;
    return Object.values(value).every((item) => hasPlainPrototypes(item, depth + 1));
  }
  return true;
}
