import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { p2pnode, endpointToWire } from '@p2p-node/protos';
import { afterEach, describe, expect, test } from 'vitest';
import { profileNat } from '../src/profile.js';

// Loopback only: 127.0.0.1 and 127.0.0.2 stand for two reflector IPs.
const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) s.close();
});

function reply(socket: Socket): void {
  const body = p2pnode.ReflectorReply.encode({ observed: endpointToWire({ host: socket.remoteAddress!, port: socket.remotePort! }) }).finish();
  const frame = Buffer.alloc(2 + body.length);
  frame.writeUInt16BE(body.length, 0);
  frame.set(body, 2);
  socket.end(frame);
}

/** Reflectors on both IPs that hold every connection and answer none until `gate` of them are open at once (0: never). */
async function heldReflectors(gate: number) {
  const held: Socket[] = [];
  const onConnection = (s: Socket) => {
    s.on('error', () => {});
    sockets.push(s);
    held.push(s);
    if (gate > 0 && held.length >= gate) for (const h of held.splice(0)) reply(h);
  };
  const listen = async (host: string) => {
    const server = createServer(onConnection);
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, host, r));
    return { host, port: (server.address() as AddressInfo).port };
  };
  return [await listen('127.0.0.1'), await listen('127.0.0.2')];
}

describe('profileNat', () => {
  test('starts every probe at once: reflectors that answer only when all three are connected still answer', async () => {
    // Probing one after another would leave the first probe waiting for the
    // other two, and every try would time out.
    const reflectors = await heldReflectors(3);
    const localPort = 40000 + Math.floor(Math.random() * 5000);
    const p = await profileNat({ reflectors, localPort, timeoutMs: 1_000 });
    expect(p.mapping).toBe('none');
    expect(p.observations.map((o) => [o.reflector, o.local.port === localPort])).toEqual([
      [reflectors[0], true],
      [reflectors[1], true],
      [reflectors[0], false],
    ]);
  });

  test('an abort stops the probes at once and rejects with its reason', async () => {
    const reflectors = await heldReflectors(0);
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('dial cancelled')), 100);
    // Without the abort the three tries of 10 s would far outlast the test's deadline.
    await expect(profileNat({ reflectors, localPort: 0, timeoutMs: 10_000, signal: ac.signal })).rejects.toThrow('dial cancelled');
  });

  test('an already aborted signal starts no probe', async () => {
    const reflectors = await heldReflectors(1);
    await expect(profileNat({ reflectors, localPort: 0, signal: AbortSignal.abort(new Error('gone')) })).rejects.toThrow('gone');
    expect(sockets).toHaveLength(0);
  });
});
