// A circuit half that does not wait for the relay's verdict (the dialer's
// half where the relay is its only path), against the real relay on
// loopback: bytes written behind the hello wait at the relay and arrive
// intact after the verdict, either half may be first, and a circuit that
// never forms is an error on the stream (relay-busy, relay-failed), never
// a silent loss.
import { afterEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { RelayServer, type RelayLimits } from '../src/relay-server.js';
import { openCircuit, RelayError } from '../src/relay-client.js';
import { openCircuitEarly } from '../src/early-circuit.js';
import { circuitToken } from '../src/relay-wire.js';

const relays: RelayServer[] = [];
const streams: (Socket | Duplex)[] = [];
afterEach(async () => {
  for (const s of streams.splice(0)) s.destroy();
  for (const r of relays.splice(0)) await r.close();
});

async function relay(limits: Partial<RelayLimits> = {}): Promise<RelayServer> {
  const r = await RelayServer.listen('127.0.0.1', 0, limits);
  relays.push(r);
  return r;
}

const token = () => circuitToken(randomBytes(64));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const track = <T extends Socket | Duplex>(s: T) => (streams.push(s), s);

function readAll(s: Socket | Duplex): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    s.on('data', (c: Buffer) => parts.push(c));
    s.once('end', () => resolve(Buffer.concat(parts)));
    s.once('error', reject);
  });
}

function errorOf(s: Duplex): Promise<Error> {
  return new Promise((resolve) => {
    s.on('data', () => undefined);
    s.once('error', resolve);
    s.once('end', () => resolve(new Error('ended without an error')));
  });
}

describe('early circuit half', () => {
  it('first at the relay: its bytes wait there and reach the other half intact, after the verdict', async () => {
    const r = await relay();
    const t = token();
    const early = track((await openCircuitEarly([r.address()], t, { timeoutMs: 5000 })).stream);
    const sent = randomBytes(200_000);
    early.end(sent);
    // The relay holds a waiting half before the partner comes.
    for (let i = 0; i < 100 && r.stats().waiting < 1; i++) await new Promise((res) => setTimeout(res, 10));
    expect(r.stats().waiting).toBe(1);
    const late = track(await openCircuit(r.address(), t, { timeoutMs: 5000 }));
    const got = readAll(late);
    const back = randomBytes(70_000);
    late.end(back);
    expect(sha(await got)).toBe(sha(sent));
    // What it reads starts at the peer's first byte: no verdict in front.
    expect(sha(await readAll(early))).toBe(sha(back));
  });

  it('second at the relay: its bytes follow the verdict to the waiting half, and it reads the waiting half\'s', async () => {
    const r = await relay();
    const t = token();
    const waiting = openCircuit(r.address(), t, { timeoutMs: 5000 }).then(track);
    for (let i = 0; i < 100 && r.stats().waiting < 1; i++) await new Promise((res) => setTimeout(res, 10));
    const early = track((await openCircuitEarly([r.address()], t, { timeoutMs: 5000 })).stream);
    const sent = randomBytes(100_000);
    early.write(sent);
    const first = await waiting;
    const got = readAll(first);
    early.end();
    first.end(Buffer.from('reply'));
    expect(sha(await got)).toBe(sha(sent));
    expect((await readAll(early)).toString()).toBe('reply');
    expect(r.stats().spliced).toBe(1);
  });

  it('a busy relay: the stream ends with relay-busy and the relay\'s reason', async () => {
    const r = await relay({ maxCircuits: 1 });
    // A lone half takes the one place.
    const squatter = openCircuit(r.address(), token(), { timeoutMs: 5000 }).catch(() => undefined);
    for (let i = 0; i < 100 && r.stats().circuits < 1; i++) await new Promise((res) => setTimeout(res, 10));
    const early = track((await openCircuitEarly([r.address()], token(), { timeoutMs: 5000 })).stream);
    early.write(Buffer.from('lost to a full relay'));
    const err = await errorOf(early);
    expect(err).toBeInstanceOf(RelayError);
    expect((err as RelayError).code).toBe('relay-busy');
    expect(err.message).toMatch(/is busy: relay busy: 1 circuits open/);
    await r.close();
    relays.splice(0);
    await squatter;
  });

  it('a partner that never comes: the stream ends with relay-failed once the relay gives up', async () => {
    const r = await relay({ pairTimeoutMs: 300 });
    const early = track((await openCircuitEarly([r.address()], token(), { timeoutMs: 5000 })).stream);
    const err = await errorOf(early);
    expect(err).toBeInstanceOf(RelayError);
    expect((err as RelayError).code).toBe('relay-failed');
    expect(err.message).toMatch(/before splicing the circuit/);
  });

  it('a partner that never comes after we wrote our first flight: still relay-failed, whatever way the relay hangs up', async () => {
    const r = await relay({ pairTimeoutMs: 300 });
    const early = track((await openCircuitEarly([r.address()], token(), { timeoutMs: 5000 })).stream);
    early.write(randomBytes(300_000));
    const err = await errorOf(early);
    expect(err).toBeInstanceOf(RelayError);
    expect((err as RelayError).code).toBe('relay-failed');
    expect(err.message).toMatch(/before splicing the circuit/);
  });

  it('no verdict within its own deadline: relay-failed, whatever the relay does', async () => {
    const r = await relay({ pairTimeoutMs: 60_000 });
    const early = track((await openCircuitEarly([r.address()], token(), { timeoutMs: 300 })).stream);
    const err = await errorOf(early);
    expect((err as RelayError).code).toBe('relay-failed');
    expect(err.message).toMatch(/did not arrive within 300 ms/);
  });

  it('several relays: the first that takes the connection, the next at once when one refuses it', async () => {
    const down = await relay();
    const up = await relay();
    const dead = down.address();
    await down.close();
    relays.splice(relays.indexOf(down), 1);
    const t = token();
    const { stream, relay: used } = await openCircuitEarly([dead, up.address()], t, { timeoutMs: 5000 });
    track(stream);
    expect(used).toEqual(up.address());
    const other = track(await openCircuit(up.address(), t, { timeoutMs: 5000 }));
    const got = readAll(other);
    stream.end(Buffer.from('via the second relay'));
    other.end();
    expect((await got).toString()).toBe('via the second relay');
    const both = await openCircuitEarly([up.address(), dead], token(), { timeoutMs: 5000 });
    track(both.stream);
    expect(both.relay).toEqual(up.address());
  });

  it('no relay there: rejects with relay-failed, no stream', async () => {
    const r = await relay();
    const { port } = r.address();
    await r.close();
    relays.splice(0);
    const err = await openCircuitEarly([{ host: '127.0.0.1', port }], token(), { timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RelayError);
    expect((err as RelayError).code).toBe('relay-failed');
  });
});
