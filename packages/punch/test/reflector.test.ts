import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { ReflectorError } from '../src/errors.js';
import { profileNat } from '../src/profile.js';
import { queryReflector, startReflector, type Reflector } from '../src/reflector.js';
import { fixedPort } from './ports.js';

// Loopback only: 127.0.0.1 and 127.0.0.2 are two "reflector IPs" with no NAT between.
const started: Reflector[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((r) => r.close()));
});

async function reflector(host: string) {
  const r = await startReflector({ host, port: 0 });
  started.push(r);
  return r;
}

describe('TCP reflector', () => {
  test('tells the client the port it connected from', async () => {
    const r = await reflector('127.0.0.1');
    const a = await queryReflector({ reflector: r.address, localPort: 0 });
    expect(a.observed).toEqual(a.local);
    expect(a.observed.host).toBe('127.0.0.1');
    expect(a.rttMs).toBeGreaterThan(0);
  });

  test('one local port can ask two reflectors in a row (the reflector closes first)', async () => {
    const r1 = await reflector('127.0.0.1');
    const r2 = await reflector('127.0.0.2');
    const port = await fixedPort();
    const a = await queryReflector({ reflector: r1.address, localPort: port });
    const b = await queryReflector({ reflector: r2.address, localPort: port });
    expect([a.observed.port, b.observed.port]).toEqual([port, port]);
  });

  test('profiling without a NAT says so', async () => {
    const r1 = await reflector('127.0.0.1');
    const r2 = await reflector('127.0.0.2');
    const port = await fixedPort();
    const p = await profileNat({ reflectors: [r1.address, r2.address], localPort: port });
    expect(p.mapping).toBe('none');
    expect(p.observations).toHaveLength(3);
  });

  test('profiling refuses reflectors that share one IP', async () => {
    const r1 = await reflector('127.0.0.1');
    await expect(profileNat({ reflectors: [r1.address, r1.address], localPort: 0 })).rejects.toThrow(/two different IPs/);
  });

  test('a server that sends garbage is a ReflectorError, not a crash', async () => {
    const bad = createServer((s) => s.on('error', () => {}).end(Buffer.from([0, 3, 0xff, 0xff, 0xff])));
    await new Promise<void>((r) => bad.listen(0, '127.0.0.1', r));
    const port = (bad.address() as AddressInfo).port;
    try {
      await expect(queryReflector({ reflector: { host: '127.0.0.1', port } })).rejects.toBeInstanceOf(ReflectorError);
    } finally {
      bad.close();
    }
  });

  test('a server that floods is cut off', async () => {
    const big = createServer((s) => s.on('error', () => {}).end(Buffer.alloc(10_000)));
    await new Promise<void>((r) => big.listen(0, '127.0.0.1', r));
    const port = (big.address() as AddressInfo).port;
    try {
      await expect(queryReflector({ reflector: { host: '127.0.0.1', port } })).rejects.toThrow(/longer than/);
    } finally {
      big.close();
    }
  });

  test('a silent server times out', async () => {
    // The client resets on timeout; the server side must expect that.
    const accepted: Socket[] = [];
    const mute = createServer((s) => {
      s.on('error', () => {});
      accepted.push(s);
    });
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', r));
    const port = (mute.address() as AddressInfo).port;
    try {
      await expect(queryReflector({ reflector: { host: '127.0.0.1', port }, timeoutMs: 200 })).rejects.toThrow(/no reply within 200 ms/);
    } finally {
      // net.Server has no closeAllConnections (http.Server does): close the accepted sockets ourselves.
      for (const s of accepted) s.destroy();
      mute.close();
    }
  });
});
