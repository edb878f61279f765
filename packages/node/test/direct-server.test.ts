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
    const gate = new HandshakeGate(2, 3);
    const evicted: string[] = [];
    const a = gate.enter('1.1.1.1', () => evicted.push('a'));
    gate.enter('1.1.1.1', () => evicted.push('b'));
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
    expect((await accepted).toString()).toBe('hello');
    // The idle ones were evicted down to one source's share, not kept.
    expect(server.gateCounts.waiting).toBeLessThanOrEqual(8);
    stream.destroy();
  });
});
