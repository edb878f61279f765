import bencode from 'bencode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEERS_PER_ANSWER } from '../src/answer-limits.js';
import { DhtNode } from '../src/dht-node.js';
import { RawKrpcClient } from './raw-krpc-client.js';

const INFO_HASH = Buffer.alloc(20, 3);
const ANNOUNCES = 200;

let node: DhtNode;
let client: RawKrpcClient;
const ask = (q: string, a: Record<string, unknown>) => client.ask(node.address(), q, a);

beforeAll(async () => {
  node = await DhtNode.start({ port: 0, host: '127.0.0.1', bootstrap: [] });
  client = await RawKrpcClient.open();
});

afterAll(async () => {
  client.close();
  await node.stop();
});

describe('get_peers answers are bounded', () => {
  it(`carry at most ${PEERS_PER_ANSWER} of the peers ${ANNOUNCES} announces from one IP stored, each one announced`, async () => {
    const first = bencode.decode((await ask('get_peers', { info_hash: INFO_HASH })).answer) as { r: { token: Buffer } };
    const announced = new Set<string>();
    for (let i = 0; i < ANNOUNCES; i++) {
      const port = 20_000 + i;
      await ask('announce_peer', { info_hash: INFO_HASH, port, token: first.r.token });
      announced.add(`127.0.0.1:${port}`);
    }
    const { request, answer } = await ask('get_peers', { info_hash: INFO_HASH });
    const values = (bencode.decode(answer) as { r: { values?: Buffer[] } }).r.values ?? [];
    expect(values.length).toBe(PEERS_PER_ANSWER);
    for (const v of values) expect(announced.has(`${v.subarray(0, 4).join('.')}:${v.readUInt16BE(4)}`)).toBe(true);
    // The reflection a spoofed get_peers could cause.
    expect(answer.length).toBeLessThanOrEqual(4 * request);
  });
});
