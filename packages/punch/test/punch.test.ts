import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { SELECT_BYTE, READY_BYTE } from '../src/confirm.js';
import { PunchError } from '../src/errors.js';
import { punch } from '../src/punch.js';
import { fixedPort } from './ports.js';

/*
 * Loopback checks of the punch engine's bookkeeping. Crossing real NATs is
 * the lab's job (lab/test): there is no NAT here, and no fake one.
 */
const servers: Server[] = [];
const accepted: Socket[] = [];
afterEach(() => {
  // net.Server has no closeAllConnections (http.Server does): close the accepted sockets ourselves.
  for (const s of accepted.splice(0)) s.destroy();
  for (const s of servers.splice(0)) {
    s.close();
  }
});

async function listen(onConn: (s: Socket) => void): Promise<number> {
  const server = createServer((s) => {
    s.on('error', () => {});
    accepted.push(s);
    onConn(s);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

// Ports bound then released by the OS (listen(0)) sit in the ephemeral range,
// where any outgoing connect may take them before the punch binds them:
// fixedPort() picks free ones below that range instead.
const freePort = fixedPort;

describe('punch engine on loopback', () => {
  test('the initiator keeps the first socket that connects once the other side is READY on it', async () => {
    let gotFirstByte!: (b: number) => void;
    const got = new Promise<number>((resolve) => (gotFirstByte = resolve));
    const serverPort = await listen((s) =>
      s.once('data', (d: Buffer) => {
        gotFirstByte(d[0]!);
        s.write(Buffer.of(READY_BYTE));
      }),
    );
    const res = await punch({
      localPort: await freePort(),
      candidates: [
        { host: '127.0.0.1', port: await freePort(), method: 'dead' },
        { host: '127.0.0.1', port: serverPort, method: 'live' },
      ],
      deadline: Date.now() + 3_000,
      role: 'initiator',
    });
    try {
      expect(res.winner.method).toBe('live');
      expect(await got).toBe(SELECT_BYTE);
      expect(res.timings.connectedMs).toBeGreaterThanOrEqual(res.timings.firstSynMs);
      // The dead candidate was refused and retried quickly, many times.
      expect(res.refused).toBeGreaterThanOrEqual(1);
    } finally {
      res.socket.destroy();
    }
  });

  test('an initiator socket whose peer never says READY is not kept', async () => {
    const mute = await listen(() => {});
    const err = await punch({
      localPort: await freePort(),
      candidates: [{ host: '127.0.0.1', port: mute, method: 'mute' }],
      deadline: Date.now() + 300,
      role: 'initiator',
    }).catch((e: unknown) => e);
    expect((err as PunchError).code).toBe('timeout');
  });

  test("with agreement 'select' the initiator keeps its first connected socket without waiting", async () => {
    const mute = await listen(() => {});
    const res = await punch({
      localPort: await freePort(),
      candidates: [{ host: '127.0.0.1', port: mute, method: 'mute' }],
      deadline: Date.now() + 3_000,
      role: 'initiator',
      agreement: 'select',
    });
    res.socket.destroy();
    expect(res.winner.method).toBe('mute');
  });

  test('the responder says READY, keeps only the socket the SELECT byte came on, and leaves later bytes unread', async () => {
    const silent = await listen(() => {});
    let answered!: (b: number) => void;
    const answer = new Promise<number>((r) => (answered = r));
    const chooser = await listen((s) => {
      s.write(Buffer.from([SELECT_BYTE, 0x42]));
      s.once('data', (d: Buffer) => answered(d[0]!));
    });
    const res = await punch({
      localPort: await freePort(),
      candidates: [
        { host: '127.0.0.1', port: silent, method: 'silent' },
        { host: '127.0.0.1', port: chooser, method: 'chooser' },
      ],
      deadline: Date.now() + 3_000,
      role: 'responder',
    });
    try {
      expect(res.winner.method).toBe('chooser');
      expect(await answer).toBe(READY_BYTE);
      const next = await new Promise<Buffer>((r) => res.socket.once('data', r));
      expect(next[0]).toBe(0x42);
    } finally {
      res.socket.destroy();
    }
  });

  test('a peer that only resets ends in a typed "refused" error at the deadline', async () => {
    const err = await punch({
      localPort: await freePort(),
      candidates: [{ host: '127.0.0.1', port: await freePort(), method: 'closed' }],
      deadline: Date.now() + 300,
      role: 'initiator',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PunchError);
    expect((err as PunchError).code).toBe('refused');
    expect((err as PunchError).stats.refused).toBeGreaterThan(10);
  });

  test('no candidate at all fails at once as unpredictable', async () => {
    const err = await punch({ localPort: await freePort(), candidates: [], deadline: Date.now() + 5_000, role: 'initiator' }).catch((e: unknown) => e);
    expect((err as PunchError).code).toBe('unpredictable-peer');
  });

  test('an abort stops it and closes its sockets', async () => {
    const ac = new AbortController();
    const p = punch({
      localPort: await freePort(),
      candidates: [{ host: '127.0.0.1', port: await freePort(), method: 'closed' }],
      deadline: Date.now() + 5_000,
      role: 'initiator',
      signal: ac.signal,
    });
    setTimeout(() => ac.abort(), 50);
    await expect(p).rejects.toMatchObject({ code: 'aborted' });
  });

  test('startAt delays the first SYN', async () => {
    const port = await listen((s) => s.write(Buffer.of(READY_BYTE)));
    const res = await punch({
      localPort: await freePort(),
      candidates: [{ host: '127.0.0.1', port, method: 'x' }],
      startAt: Date.now() + 200,
      deadline: Date.now() + 3_000,
      role: 'initiator',
    });
    res.socket.destroy();
    // Not before startAt (a few ms for clock rounding); how soon after depends on the machine's load.
    expect(res.timings.firstSynMs).toBeGreaterThanOrEqual(-5);
  });
});

test('punch refuses a kernel-chosen local port (predictions would be wrong)', async () => {
  await expect(punch({ localPort: 0, candidates: [], deadline: Date.now() + 100, role: 'initiator' })).rejects.toThrow(/fixed local port/);
});
