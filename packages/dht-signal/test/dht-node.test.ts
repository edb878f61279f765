import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { DhtNode } from '../src/dht-node.js';
import { DhtBindError, DhtStoppedError, ObservedAddressError } from '../src/errors.js';
import { compactAddress } from '../src/observed-address.js';
import { LOOPBACK, TEST_QUERY_TIMEOUT_MS, startSwarm, stopAll } from './swarm.js';

const started: DhtNode[] = [];
afterEach(async () => {
  await stopAll(started.splice(0));
});

async function start(bootstrap: DhtNode[] = []): Promise<DhtNode> {
  const node = await DhtNode.start({
    host: LOOPBACK,
    port: 0,
    bootstrap: bootstrap.map((b) => b.address()),
    queryTimeoutMs: TEST_QUERY_TIMEOUT_MS,
  });
  started.push(node);
  return node;
}

function handleCount(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap' || r === 'Timeout').length;
}

/** libuv finishes closing a UDP handle a loop turn after dgram's 'close' event; a real leak never drops. */
async function handleCountSettled(expected: number): Promise<number> {
  for (let i = 0; i < 20 && handleCount() !== expected; i++) await new Promise((r) => setTimeout(r, 10));
  return handleCount();
}

describe('DhtNode', () => {
  it('binds where asked and stops without leaving sockets or timers behind', async () => {
    const before = handleCount();
    const a = await DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: [], queryTimeoutMs: TEST_QUERY_TIMEOUT_MS });
    const b = await DhtNode.start({ host: LOOPBACK, port: 0, bootstrap: [a.address()], queryTimeoutMs: TEST_QUERY_TIMEOUT_MS });
    expect(a.address().host).toBe(LOOPBACK);
    expect(a.address().port).toBeGreaterThan(0);
    expect(handleCount()).toBeGreaterThan(before);
    await b.stop();
    await a.stop();
    await b.stop(); // idempotent
    expect(await handleCountSettled(before)).toBe(before);
  });

  it('with an empty bootstrap list knows no one and never falls back to public routers', async () => {
    const sent: string[] = [];
    const lonely = await DhtNode.start({
      host: LOOPBACK,
      port: 0,
      bootstrap: [],
      queryTimeoutMs: TEST_QUERY_TIMEOUT_MS,
      onDatagramSent: (host, port) => sent.push(`${host}:${port}`),
    });
    started.push(lonely);
    expect(lonely.bootstrapNodes()).toEqual([]);
    expect(lonely.tableSize()).toBe(0);
    await new Promise((r) => setTimeout(r, 2 * TEST_QUERY_TIMEOUT_MS));
    expect(sent).toEqual([]);
  });

  it('sends packets only to the given bootstrap and the nodes it learns from it', async () => {
    const swarm = await startSwarm(8);
    started.push(...swarm);
    const known = new Set(swarm.map((n) => `${n.address().host}:${n.address().port}`));
    const sent = new Set<string>();
    const entry = swarm[3]!.address();
    const joiner = await DhtNode.start({
      host: LOOPBACK,
      port: 0,
      bootstrap: [entry],
      queryTimeoutMs: TEST_QUERY_TIMEOUT_MS,
      onDatagramSent: (host, port) => sent.add(`${host}:${port}`),
    });
    started.push(joiner);
    expect(joiner.bootstrapNodes()).toEqual([entry]);
    await joiner.observedAddress();
    expect(joiner.tableSize()).toBeGreaterThan(1);
    expect(sent.has(`${entry.host}:${entry.port}`)).toBe(true);
    for (const dest of sent) expect(known.has(dest), `packet to ${dest}`).toBe(true);
  });

  it('refuses a non-IPv4 host, a missing bootstrap list, and a port in use', async () => {
    await expect(DhtNode.start({ host: '::1', port: 0, bootstrap: [] })).rejects.toThrow(/IPv4/);
    await expect(DhtNode.start({ host: LOOPBACK, port: 0 } as never)).rejects.toThrow(/bootstrap/);
    const a = await start();
    await expect(DhtNode.start({ host: LOOPBACK, port: a.address().port, bootstrap: [] })).rejects.toMatchObject({ name: 'DhtBindError', code: 'EADDRINUSE' });
  });

  it('fails with DhtBindError on an address this host does not have (k-rpc-socket only warns about it)', async () => {
    // A documentation address (RFC 5737): not configured here, so bind() fails and nothing is sent.
    const err = await DhtNode.start({ host: '203.0.113.77', port: 0, bootstrap: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DhtBindError);
    expect(err).toMatchObject({ code: 'EADDRNOTAVAIL', host: '203.0.113.77', port: 0 });
    expect((err as Error).message).toMatch(/^cannot bind DHT socket to 203\.0\.113\.77:0: /);
  });
});

describe('answers', () => {
  it('carry at most the 8 closest nodes (BEP 5), not the whole routing table', async () => {
    const swarm = await startSwarm(20);
    started.push(...swarm);
    const asked = swarm[0]!;
    expect(asked.tableSize()).toBeGreaterThan(8);
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, LOOPBACK, () => r()));
    const bencode = (await import('bencode')).default;
    try {
      const reply = await new Promise<{ r: { nodes: Buffer } }>((resolve) => {
        s.on('message', (buf) => resolve(bencode.decode(buf) as { r: { nodes: Buffer } }));
        const query = { t: 'fn', y: 'q', q: 'find_node', a: { id: Buffer.alloc(20, 1), target: Buffer.alloc(20, 2) } };
        s.send(bencode.encode(query), asked.address().port, LOOPBACK);
      });
      expect(reply.r.nodes.length).toBe(8 * 26);
    } finally {
      s.close();
    }
  });
});

describe('observed address (KRPC extension)', () => {
  it('learns its own address from two agreeing peers', async () => {
    const swarm = await startSwarm(5);
    started.push(...swarm);
    const me = swarm[4]!;
    expect(await me.observedAddress()).toEqual(me.address());
  });

  it('with distinctIps, peers sharing one IP count as one voice', async () => {
    const swarm = await startSwarm(5);
    started.push(...swarm);
    await expect(swarm[4]!.observedAddress({ distinctIps: true })).rejects.toMatchObject({ reason: 'no-agreement' });
  });

  it('does not believe a single peer', async () => {
    const a = await start();
    const b = await start([a]);
    await expect(b.observedAddress()).rejects.toBeInstanceOf(ObservedAddressError);
    await expect(b.observedAddress()).rejects.toMatchObject({ reason: 'no-peers' });
  });

  it('fails with DhtStoppedError when the node stops while it runs, and on a stopped node', async () => {
    const a = await start();
    // One peer: the query waits for a second one to turn up, so it is still running at stop().
    const b = await start([a]);
    const running = b.observedAddress().catch((e: unknown) => e);
    await b.stop();
    expect(await running).toBeInstanceOf(DhtStoppedError);
    await expect(b.observedAddress()).rejects.toBeInstanceOf(DhtStoppedError);
  });

  it('does not believe a liar that no second peer confirms', async () => {
    const honest = await start();
    const me = await start([honest]);
    // A hand-made peer that answers every extension query with a made-up address.
    const liar = createSocket('udp4');
    await new Promise<void>((r) => liar.bind(0, LOOPBACK, () => r()));
    const bencode = (await import('bencode')).default;
    liar.on('message', (buf, rinfo) => {
      const msg = bencode.decode(buf) as { t: Buffer };
      const reply = bencode.encode({ t: msg.t, y: 'r', r: { id: Buffer.alloc(20, 7), ip: compactAddress({ host: '6.6.6.6', port: 666 }) } });
      liar.send(reply, rinfo.port, rinfo.address);
    });
    try {
      const peers = [honest.address(), { host: LOOPBACK, port: liar.address().port }];
      await expect(me.observedAddress({ peers })).rejects.toMatchObject({ reason: 'no-agreement' });
    } finally {
      liar.close();
    }
  });
});
