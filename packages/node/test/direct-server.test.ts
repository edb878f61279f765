import net from 'node:net';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectServer } from '../src/direct-server.js';
import { freeTcpPort } from '../src/free-port.js';
import { HandshakeGate } from '../src/handshake-gate.js';
import { keyedStream } from '../src/keyed-stream.js';
import { sessionKeys } from './keyed-pair.js';

const IDLE = 300;

describe('HandshakeGate', () => {
  it('makes room by evicting the oldest waiting connection, never a settled one', () => {
    let now = 0;
    const gate = new HandshakeGate(2, 3, 1000, () => now);
    const evicted: string[] = [];
    const a = gate.enter('1.1.1.1', () => evicted.push('a'));
    gate.enter('1.1.1.1', () => evicted.push('b'));
    now = 1000; // a and b have waited out the grace
    gate.enter('1.1.1.1', () => evicted.push('c'));
    expect(evicted).toEqual(['a']); // the source's share (2 waiting) was full
    a?.leave(); // an evicted connection closing later must not free a second place
    const d = gate.enter('2.2.2.2', () => evicted.push('d'));
    expect(gate.counts).toEqual({ waiting: 3, settled: 0 });
    d?.settle();
    gate.enter('3.3.3.3', () => evicted.push('e')); // total full: the oldest waiting (b) goes
    expect(evicted).toEqual(['a', 'b']);
    expect(gate.counts).toEqual({ waiting: 2, settled: 1 });
  });

  it("lets a crowd from one IP past its share within the grace, up to the total, then evicts by age", () => {
    let now = 0;
    const gate = new HandshakeGate(2, 6, 1000, () => now);
    const evicted: number[] = [];
    for (let i = 0; i < 5; i++) gate.enter('1.1.1.1', () => evicted.push(i));
    gate.enter('2.2.2.2', () => evicted.push(5));
    expect(evicted).toEqual([]); // five at once from one IP: none evicted by the share of 2
    gate.enter('1.1.1.1', () => evicted.push(6));
    expect(evicted).toEqual([0]); // the total of 6 is full: the oldest goes, whatever its age
    now = 1000;
    gate.enter('3.3.3.3', () => evicted.push(7));
    expect(evicted).toEqual([0, 1]); // the total again; 3.3.3.3 is within its share
    gate.enter('1.1.1.1', () => evicted.push(8));
    // The total takes 2; then 1.1.1.1 holds 3, 4, 6: over its share, and 3 has waited out the grace.
    expect(evicted).toEqual([0, 1, 2, 3]);
  });

  it('a full gate evicts from the source holding the most places, so a flood from one IP never evicts anyone else', () => {
    const gate = new HandshakeGate(8, 10, 1000, () => 0);
    const evicted: string[] = [];
    gate.enter('9.9.9.9', () => evicted.push('dialer')); // the oldest connection of all
    for (let i = 0; i < 100; i++) gate.enter('1.1.1.1', () => evicted.push(`idle ${i}`));
    expect(evicted).toHaveLength(91);
    expect(evicted).not.toContain('dialer');
    expect(evicted[0]).toBe('idle 0');
  });

  it('refuses only when every place is settled', () => {
    const gate = new HandshakeGate(8, 2);
    gate.enter('1.1.1.1', () => undefined)?.settle();
    gate.enter('1.1.1.1', () => undefined)?.settle();
    expect(gate.enter('1.1.1.1', () => undefined)).toBeUndefined();
  });
});

describe('a reachable listener under idle connections', () => {
  let server: DirectServer;
  let port: number;
  const idle: net.Socket[] = [];

  beforeAll(async () => {
    port = await freeTcpPort();
    server = await DirectServer.listen(port, '127.0.0.1', () => undefined);
  });
  afterAll(async () => {
    for (const s of idle) s.destroy();
    await server.close();
  });

  it(`still accepts a signaled dialer from the same IP while ${IDLE} idle connections keep arriving`, async () => {
    for (let i = 0; i < IDLE; i++) {
      const s = net.connect({ port, host: '127.0.0.1' });
      s.on('error', () => undefined);
      idle.push(s);
    }
    await Promise.all(idle.map((s) => once(s, 'connect').catch(() => undefined)));
    const keys = sessionKeys();
    const accepted = new Promise<Buffer>((resolve) =>
      server.expect(keys.listener, (stream) => {
        // The test ends the dial by destroying it: an abrupt close is expected on this side.
        stream.on('error', () => undefined);
        stream.once('data', (d: Buffer) => resolve(d));
      }),
    );
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.on('error', () => undefined);
    await once(socket, 'connect');
    const stream = await keyedStream(socket, true, keys.dialer, 5000);
    stream.write(Buffer.from('hello'));
    try {
      expect((await accepted).toString()).toBe('hello');
      // Arrived within the grace, the idle ones are held only up to the gate's total (the oldest evicted), not all 300.
      expect(server.gateCounts.waiting).toBeLessThanOrEqual(256);
    } finally {
      stream.destroy();
    }
  });
});

describe("a dialer's server at its mapped port (the listener connects to it)", () => {
  let server: DirectServer;
  let port: number;

  beforeAll(async () => {
    port = await freeTcpPort();
    server = await DirectServer.listen(port, '127.0.0.1', () => undefined);
  });
  afterAll(() => server.close());

  /** The listener's side: connects and writes its header and OPEN as the Noise responder. */
  async function listenerConnects(keys: ReturnType<typeof sessionKeys>['listener']) {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.on('error', () => undefined);
    await once(socket, 'connect');
    return keyedStream(socket, false, keys, 5000);
  }

  it('keys a connection that arrives before the answer reached the dialer, once the dialer expects it', async () => {
    const keys = sessionKeys();
    // The listener is faster than its own answer: it connects and proves nothing yet to anyone.
    const listenerSide = listenerConnects(keys.listener);
    // Its first frame is in (held, not dropped) before the dialer expects the handshake.
    for (let i = 0; i < 100 && server.gateCounts.waiting === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(server.gateCounts.waiting).toBe(1);
    const accepted = new Promise<Buffer>((resolve) =>
      server.expect(
        keys.dialer,
        (stream) => {
          stream.on('error', () => undefined);
          stream.once('data', (d: Buffer) => resolve(d));
        },
        { initiator: true },
      ),
    );
    const stream = await listenerSide;
    stream.write(Buffer.from('early'));
    try {
      expect((await accepted).toString()).toBe('early');
    } finally {
      stream.destroy();
    }
  });

  it('keeps the roles apart: a dialer-role expectation is not met by a dialer-role connection', async () => {
    const keys = sessionKeys();
    let handed = false;
    server.expect(keys.dialer, () => (handed = true), { initiator: true });
    // A stranger replaying the dialer's own role (its stream id) names another handshake id: it waits, then is cut.
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.on('error', () => undefined);
    await once(socket, 'connect');
    const wrongRole = keyedStream(socket, true, keys.dialer, 8000);
    await expect(wrongRole).rejects.toThrow();
    expect(handed).toBe(false);
    server.forget(keys.dialer, { initiator: true });
  }, 15_000);
});
