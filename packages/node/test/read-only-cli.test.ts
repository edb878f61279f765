// BEP 43 through the shipped CLI: `p2p-node lookup` processes are one-shot
// nodes, so a DHT they walked must not keep their (soon dead) ports. The DHT
// here is 20 real UDP nodes in this process, so their routing tables can be
// read; the lookups are separate processes, as users run them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DhtNode, generateIdentity } from '@p2p-node/dht-signal';
import { ChildCli } from '../src/child-cli.js';
import { ExitCode } from '../src/exit-codes.js';

const HOST = '127.0.0.1';
const DHT_SIZE = 20;
const LOOKUPS = 20;
/** Lookups at once: enough to be quick, few enough for two cores. */
const AT_ONCE = 5;

let dht: DhtNode[] = [];
const queriedFrom = new Set<number>();

beforeAll(async () => {
  const onQuery = (from: { port: number }) => queriedFrom.add(from.port);
  const first = await DhtNode.start({ host: HOST, port: 0, bootstrap: [], queryTimeoutMs: 500, onQuery });
  dht = [first];
  for (let i = 1; i < DHT_SIZE; i++) {
    dht.push(await DhtNode.start({ host: HOST, port: 0, bootstrap: dht.slice(-3).map((n) => n.address()), queryTimeoutMs: 500, waitForFullBootstrap: true, onQuery }));
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(dht.map((n) => n.stop()));
});

describe(`${LOOKUPS} one-shot \`p2p-node lookup\` processes against a ${DHT_SIZE}-node DHT`, () => {
  it('leave no port of theirs in any routing table, though each walked the DHT', async () => {
    const dhtPorts = new Set(dht.map((n) => n.address().port));
    const bootstrap = dht.slice(0, 2).map((n) => `${HOST}:${n.address().port}`).join(',');
    const codes: Array<number | null> = [];
    for (let i = 0; i < LOOKUPS; i += AT_ONCE) {
      const batch = Array.from({ length: AT_ONCE }, () => {
        const key = Buffer.from(generateIdentity().publicKey).toString('hex');
        return new ChildCli(['lookup', key, '--bootstrap', bootstrap, '--no-seen', '--timeout', '10000']);
      });
      codes.push(...(await Promise.all(batch.map((c) => c.exited))));
    }
    // Each key is absent: a complete walk ends in "not found", not in a timeout.
    expect(codes).toEqual(Array(LOOKUPS).fill(ExitCode.notFound));
    const lookupPorts = [...queriedFrom].filter((p) => !dhtPorts.has(p));
    expect(lookupPorts.length).toBeGreaterThanOrEqual(LOOKUPS);
    const strangers = dht.flatMap((n) => n.contacts().filter((c) => !dhtPorts.has(c.port)).map((c) => c.port));
    expect(strangers).toEqual([]);
  });
});
