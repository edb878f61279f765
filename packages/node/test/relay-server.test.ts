// The circuit relay on loopback with real TCP sockets: splicing, half-close,
// tokens used once, limits answered with BUSY while existing circuits carry
// on, garbage refused, and the rate limit.
import { afterEach, describe, expect, it } from 'vitest';
import net, { type Socket } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { RelayServer, type RelayLimits } from '../src/relay-server.js';
import { openCircuit, openCircuitAt, RelayError } from '../src/relay-client.js';
import { circuitToken, helloFrame, readVerdict, takeFrame } from '../src/relay-wire.js';

const relays: RelayServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const r of relays.splice(0)) await r.close();
});

async function relay(limits: Partial<RelayLimits> = {}): Promise<RelayServer> {
  const r = await RelayServer.listen('127.0.0.1', 0, limits);
  relays.push(r);
  return r;
}

function circuit(r: RelayServer, token: Uint8Array, timeoutMs = 5000): Promise<Socket> {
  return openCircuit(r.address(), token, { timeoutMs }).then((s) => (sockets.push(s), s));
}

function readAll(s: Socket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    s.on('data', (c: Buffer) => parts.push(c));
    s.once('end', () => resolve(Buffer.concat(parts)));
    s.once('error', reject);
  });
}

/** One half sent by hand from a chosen source address; resolves with the relay's verdict. */
function rawHalf(port: number, t: Uint8Array, localAddress: string): Promise<{ status: string; reason: string }> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port, localAddress }, () => s.write(helloFrame(t)));
    sockets.push(s);
    let buf = Buffer.alloc(0);
    s.on('error', reject);
    s.on('data', (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      const frame = takeFrame(buf, 256);
      if (frame) resolve(readVerdict(frame.body));
    });
  });
}

/**
 * A connection whose hello the relay refuses, kept open from our side (allowHalfOpen: the relay's
 * end does not end ours); resolves once the verdict and the relay's end have come.
 */
function refused(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true }, () => s.write(Buffer.from([0xff, 0xff, 1, 2, 3])));
    sockets.push(s);
    const parts: Buffer[] = [];
    s.on('data', (c: Buffer) => parts.push(c));
    s.once('error', reject);
    s.once('end', () => {
      s.off('error', reject);
      s.on('error', () => undefined);
      if (/not a relay hello/.test(Buffer.concat(parts).toString('latin1'))) resolve(s);
      else reject(new Error('no verdict before the end'));
    });
  });
}

/**
 * Whether the relay still reads this connection: 8 MiB is more than the kernel buffers hold
 * between two sockets with no reader, so writing them completes only while the relay drains; a
 * socket the relay closed answers with a reset, an error here.
 */
function stillRead(s: Socket): Promise<boolean> {
  return new Promise((resolve) => s.write(Buffer.alloc(8 * 1024 * 1024), (err) => resolve(!err)));
}

/** Resolves once the relay has closed the connection: a byte written every 50 ms meets its reset then. */
function closedByRelay(s: Socket): Promise<void> {
  return new Promise((resolve) => {
    const probe = setInterval(() => s.write(Buffer.from([0])), 50);
    s.once('close', () => {
      clearInterval(probe);
      resolve();
    });
  });
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const token = () => circuitToken(randomBytes(64));

describe('openCircuitAt: the first relay that gives a circuit', () => {
  it('moves on from a relay that is down, then from one that is busy, and says why', async () => {
    const down = await relay();
    const dead = down.address();
    await down.close();
    relays.splice(relays.indexOf(down), 1);
    const full = await relay({ maxCircuits: 0 });
    const good = await relay();
    const t = token();
    const left: string[] = [];
    const [a, b] = await Promise.all([
      openCircuitAt([dead, full.address(), good.address()], t, { timeoutMs: 5000, onNext: (_relay, why) => left.push(why.code) }),
      openCircuitAt([good.address()], t, { timeoutMs: 5000 }),
    ]);
    sockets.push(a.socket, b.socket);
    expect(a.relay).toEqual(good.address());
    expect(left).toEqual(['relay-failed', 'relay-busy']);
    // Nothing left: busy wins over down as the reason.
    const err = await openCircuitAt([dead, full.address()], token(), { timeoutMs: 5000 }).catch((e: unknown) => e);
    expect((err as RelayError).code).toBe('relay-busy');
  });
});

describe('relay server', () => {
  it('splices two halves with the same token and carries bytes both ways, half-close included', async () => {
    const r = await relay();
    const t = token();
    const [a, b] = await Promise.all([circuit(r, t), circuit(r, t)]);
    const toB = randomBytes(3 * 1024 * 1024);
    const toA = randomBytes(1024 * 1024 + 7);
    const gotB = readAll(b);
    const gotA = readAll(a);
    a.end(toB);
    expect(sha(await gotB)).toBe(sha(toB));
    // a ended its side; b still writes and a still reads.
    b.end(toA);
    expect(sha(await gotA)).toBe(sha(toA));
    expect(r.stats().spliced).toBe(1);
    expect(r.stats().bytes).toBe(toA.length + toB.length);
  });

  it('refuses a token that was spliced already', async () => {
    const r = await relay();
    const t = token();
    await Promise.all([circuit(r, t), circuit(r, t)]);
    const err = await circuit(r, t).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RelayError);
    expect((err as RelayError).code).toBe('relay-failed');
    expect((err as Error).message).toMatch(/refused the circuit: this circuit token was used already/);
  });

  it('lets a lone half wait only pairTimeoutMs, then closes it', async () => {
    const r = await relay({ pairTimeoutMs: 200 });
    const err = await circuit(r, token()).catch((e: unknown) => e);
    expect((err as RelayError).code).toBe('relay-failed');
    expect((err as Error).message).toMatch(/closed the connection before splicing/);
    expect(r.stats().circuits).toBe(0);
  });

  it('refuses a hello that is not one, and keeps serving', async () => {
    const r = await relay();
    for (const junk of [Buffer.from([0xff, 0xff, 1, 2, 3]), Buffer.from([0, 3, 0xde, 0xad, 0xbe]), helloFrame(randomBytes(31))]) {
      const reply = await new Promise<Buffer>((resolve) => {
        const s = net.connect(r.address().port, '127.0.0.1', () => s.write(junk));
        sockets.push(s);
        const parts: Buffer[] = [];
        s.on('data', (c: Buffer) => parts.push(c));
        s.on('error', () => undefined);
        s.on('close', () => resolve(Buffer.concat(parts)));
      });
      // A RELAY_REFUSED verdict with its reason, then the relay hung up.
      expect(reply.toString('latin1')).toMatch(/not a relay hello/);
    }
    expect(r.stats().refused).toBe(3);
    const t = token();
    await Promise.all([circuit(r, t), circuit(r, t)]);
    expect(r.stats().spliced).toBe(1);
  });

  it('drains at most maxRefusedDraining refused connections at once, closes the others, and drains again once those are done', async () => {
    const cap = 3;
    const r = await relay({ maxRefusedDraining: cap });
    const port = r.address().port;
    // Ten refused at once, none hung up from our side: the relay still reads `cap` of them, the others it closed.
    const first = await Promise.all(Array.from({ length: 10 }, () => refused(port)));
    const read = await Promise.all(first.map(stillRead));
    expect(read.filter(Boolean).length).toBe(cap);
    expect(r.stats().refused).toBe(10);
    // The drained ones end with their drain (REFUSED_DRAIN_MS); their places are free again.
    await Promise.all(first.filter((_, i) => read[i]).map(closedByRelay));
    const again = await Promise.all(Array.from({ length: cap + 1 }, () => refused(port)));
    expect((await Promise.all(again.map(stillRead))).filter(Boolean).length).toBe(cap);
  }, 20_000);

  it('answers BUSY with the reason at its circuit limit, while the circuit it holds carries on', async () => {
    const r = await relay({ maxCircuits: 1 });
    const t = token();
    const [a, b] = await Promise.all([circuit(r, t), circuit(r, t)]);
    const err = await circuit(r, token()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RelayError);
    expect((err as RelayError).code).toBe('relay-busy');
    expect((err as Error).message).toMatch(/is busy: relay busy: 1 circuits open/);
    const got = readAll(b);
    a.end(Buffer.from('still here'));
    expect((await got).toString()).toBe('still here');
  });

  it('limits circuits per source IP, not for other IPs', async () => {
    const r = await relay({ maxCircuitsPerIp: 1 });
    const port = r.address().port;
    // A first half from 127.0.0.1 waits for its partner and holds that IP's one place.
    void rawHalf(port, token(), '127.0.0.1');
    for (let i = 0; i < 50 && r.stats().waiting < 1; i++) await new Promise((res) => setTimeout(res, 20));
    expect(r.stats().waiting).toBe(1);
    expect(await rawHalf(port, token(), '127.0.0.1')).toEqual({ status: 'busy', reason: 'relay busy: 1 circuits from 127.0.0.1 already' });
    // Another IP still gets a circuit (both its halves count as one).
    const t = token();
    const both = await Promise.all([rawHalf(port, t, '127.0.0.3'), rawHalf(port, t, '127.0.0.3')]);
    expect(both.map((v) => v.status)).toEqual(['spliced', 'spliced']);
  });

  it('holds a circuit to its rate: 2.5 s of budget at the rate takes over a second to cross', async () => {
    const rate = 256 * 1024;
    const r = await relay({ bytesPerSecond: rate });
    const t = token();
    const [a, b] = await Promise.all([circuit(r, t), circuit(r, t)]);
    const payload = randomBytes(rate * 2.5);
    const t0 = performance.now();
    const got = readAll(b);
    a.end(payload);
    expect(sha(await got)).toBe(sha(payload));
    // One second of burst, then the rate: 2.5 s of bytes need 1.5 s, less the last chunk's wait
    // (a chunk is sent, then paid for); a second is a floor a busy machine can only lengthen.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1000);
  });
});
