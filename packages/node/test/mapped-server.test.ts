// openMappedServer against a NAT-PMP responder on 127.0.0.4:5351 (real UDP,
// the library's real client) that never answers a mapping request but does
// answer unmaps, as a gateway whose answers are lost would look: a dial that
// gives up on the gateway (its signal ends) must still hand over the unmap
// that removes a mapping the gateway may have made, not drop it.
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { PortMappingError } from '@p2p-node/punch';
import { afterEach, describe, expect, it } from 'vitest';
import { openMappedServer } from '../src/mapped-server.js';

const GATEWAY = '127.0.0.4';

/** Ignores NAT-PMP mapping requests, answers unmaps (lifetime 0); records the local ports unmapped. */
async function silentMapper(): Promise<{ socket: Socket; mapAsks: number; unmapped: number[] }> {
  const socket = createSocket('udp4');
  const r = { socket, mapAsks: 0, unmapped: [] as number[] };
  socket.on('message', (msg, from) => {
    if (msg.length < 12 || msg.readUInt8(1) !== 2) return;
    const lifetime = msg.readUInt32BE(8);
    if (lifetime > 0) return void r.mapAsks++;
    r.unmapped.push(msg.readUInt16BE(4));
    const res = Buffer.alloc(16);
    res.writeUInt8(130, 1);
    res.writeUInt32BE(1, 4);
    res.writeUInt16BE(msg.readUInt16BE(4), 8);
    socket.send(res, from.port, from.address);
  });
  socket.bind(5351, GATEWAY);
  await once(socket, 'listening');
  return r;
}

let mapper: Socket | undefined;
afterEach(() => {
  mapper?.close();
  mapper = undefined;
});

describe('openMappedServer', () => {
  it('called off while the gateway is silent: rejects with the unmap still under way, and that unmap reaches the gateway', async () => {
    const r = await silentMapper();
    mapper = r.socket;
    // Called off long before NAT-PMP's own 1.5 s limit: mapPort stops there and never starts UPnP-IGD discovery.
    const err = await openMappedServer({
      reflectors: [{ host: '127.0.0.1', port: 9 }],
      gateway: GATEWAY,
      lanHosts: ['127.0.0.1'],
      host: '127.0.0.1',
      timeoutMs: 2_000,
      signal: AbortSignal.timeout(400),
      progress: () => undefined,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PortMappingError);
    expect(r.mapAsks).toBeGreaterThan(0);
    await (err as PortMappingError).cleanup;
    expect(r.unmapped.length).toBeGreaterThan(0);
  });
});
