// NAT-PMP requests against a NAT-PMP responder on 127.0.0.1:5351 (real UDP
// sockets, the library's real client) that ignores the first requests it gets,
// as a lossy link would: what pmpRequest adds to the library is the resending.
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { pmpNat } from '@achingbrain/nat-port-mapper';
import { afterEach, describe, expect, it } from 'vitest';
import { pmpRequest } from '../src/pmp-request.js';

const GATEWAY = '127.0.0.1';

/** Answers NAT-PMP requests (RFC 6886) after ignoring the first `ignore` of them; counts them by opcode. */
async function responder(ignore: number): Promise<{ socket: Socket; seen: number[] }> {
  const socket = createSocket('udp4');
  const seen: number[] = [];
  socket.on('message', (msg, from) => {
    const op = msg.readUInt8(1);
    seen.push(op);
    if (seen.length <= ignore) return;
    if (op === 0) {
      // External address: vers, op 128, result 0, epoch, 203.0.113.1.
      const res = Buffer.from([0, 128, 0, 0, 0, 0, 0, 1, 203, 0, 113, 1]);
      return void socket.send(res, from.port, from.address);
    }
    // Map TCP (2): vers, op 130, result 0, epoch, internal port, external port (the one asked), lifetime.
    const res = Buffer.alloc(16);
    res.writeUInt8(130, 1);
    res.writeUInt32BE(1, 4);
    res.writeUInt16BE(msg.readUInt16BE(4), 8);
    res.writeUInt16BE(msg.readUInt16BE(6), 10);
    res.writeUInt32BE(msg.readUInt32BE(8), 12);
    socket.send(res, from.port, from.address);
  });
  socket.bind(5351, GATEWAY);
  await once(socket, 'listening');
  return { socket, seen };
}

let server: Socket | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

describe('pmpRequest', () => {
  it('sends a mapping request again until the gateway answers (two requests lost)', async () => {
    const r = await responder(2);
    server = r.socket;
    const m = await pmpRequest(GATEWAY, (c, signal) => c.map(40_001, GATEWAY, { protocol: 'TCP', ttl: 60, autoRefresh: false, signal }), AbortSignal.timeout(4_000));
    expect(m.externalPort).toBe(40_001);
    expect(r.seen.filter((op) => op === 2)).toHaveLength(3);
  });

  it('an unmap whose answer is lost is sent again, not left queued behind it', async () => {
    const r = await responder(1);
    server = r.socket;
    await pmpRequest(GATEWAY, (c, signal) => c.unmap(40_002, { signal }), AbortSignal.timeout(4_000));
    expect(r.seen.filter((op) => op === 2)).toHaveLength(2);
  });

  it('gives up when told, with the abort', async () => {
    const r = await responder(100);
    server = r.socket;
    await expect(pmpRequest(GATEWAY, (c, signal) => c.unmap(40_003, { signal }), AbortSignal.timeout(900))).rejects.toThrow();
    // Sent at 0, 250 and 750 ms: three tries within 900 ms.
    expect(r.seen.length).toBeGreaterThanOrEqual(2);
  });

  it('(control) the library alone sends a request once: a later one waits behind the lost answer', async () => {
    const r = await responder(1);
    server = r.socket;
    const client = pmpNat(GATEWAY, { autoRefresh: false });
    try {
      await expect(client.unmap(40_004, { signal: AbortSignal.timeout(600) })).rejects.toThrow();
      await expect(client.unmap(40_004, { signal: AbortSignal.timeout(600) })).rejects.toThrow();
      expect(r.seen).toHaveLength(1);
    } finally {
      await client.stop({ signal: AbortSignal.timeout(250) }).catch(() => undefined);
    }
  });
});
