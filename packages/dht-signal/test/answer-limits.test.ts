import { createSocket, type Socket } from 'node:dgram';
import bencode from 'bencode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEERS_PER_ANSWER } from '../src/answer-limits.js';
import { DhtNode } from '../src/dht-node.js';

const ID = Buffer.alloc(20, 7);
const INFO_HASH = Buffer.alloc(20, 3);
const ANNOUNCES = 200;

let node: DhtNode;
let client: Socket;
let tid = 0;

/** One query from a raw socket, as a stranger would send it; resolves with the raw answer. */
function ask(q: string, a: Record<string, unknown>): Promise<{ request: number; answer: Buffer }> {
  const t = Buffer.from([tid >> 8, tid++ & 0xff]);
  const request = bencode.encode({ t, y: 'q', q, a: { id: ID, ...a } });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${q}`)), 2000);
    const onMessage = (buf: Buffer) => {
      const msg = bencode.decode(buf) as { t?: Buffer };
      if (!Buffer.isBuffer(msg.t) || !msg.t.equals(t)) return;
      clearTimeout(timer);
      client.off('message', onMessage);
      resolve({ request: request.length, answer: buf });
    };
    client.on('message', onMessage);
    client.send(request, node.address().port, '127.0.0.1');
  });
}

beforeAll(async () => {
  node = await DhtNode.start({ port: 0, host: '127.0.0.1', bootstrap: [] });
  client = createSocket('udp4');
  await new Promise<void>((resolve) => client.bind(0, '127.0.0.1', resolve));
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
