// A listener at its limits says "not now" in signaling; a dialer that hears
// nothing else until its deadline fails as `busy` (exit 11), never as
// refused or wrong key. Real `p2p-node bootstrap` introducers and a real
// `p2p-node dial` process on loopback; the listener is a SignalListener that
// admits no request at once (what 32 punches in flight look like to the 33rd).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { DhtNode, generateIdentity, parseHostPortList, SignalListener } from '@p2p-node/dht-signal';
import { ChildCli, CLI_PATH } from '../src/child-cli.js';
import { startBootstrapPair } from './bootstrap-pair.js';
import { ExitCode } from '../src/exit-codes.js';
import { PeerNode } from '../src/peer-node.js';
import { DialError } from '../src/peer-errors.js';

let bootstrap: string;
const infra: ChildCli[] = [];
const listenerId = generateIdentity();
const listenerKey = Buffer.from(listenerId.publicKey).toString('hex');
let listenerNode: DhtNode;
let listener: SignalListener;
let handled = 0;

beforeAll(async () => {
  bootstrap = await startBootstrapPair(infra);
  listenerNode = await DhtNode.start({ host: '127.0.0.1', port: 0, bootstrap: parseHostPortList(bootstrap) });
  listener = await SignalListener.start(listenerNode, { identity: listenerId, introducers: parseHostPortList(bootstrap), maxHandlersInFlight: 0 }, () => {
    handled++;
    throw new Error('no request should get past the limit');
  });
  expect(listener.accepted()).toHaveLength(2);
}, 30_000);

afterAll(async () => {
  listener?.stop();
  await listenerNode?.stop();
  await Promise.all(infra.map((c) => c.stop()));
});

describe('a listener that stays busy', () => {
  it('fails a PeerNode dial with DialError "busy", after asking until the signaling deadline', async () => {
    const dialer = await PeerNode.create({ identity: generateIdentity(), bootstrap: parseHostPortList(bootstrap), host: '127.0.0.1' });
    try {
      const t0 = performance.now();
      const err = await dialer.dial(listenerId.publicKey).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DialError);
      expect((err as DialError).code).toBe('busy');
      expect((err as DialError).message).toContain('listener-busy: listener busy');
      // It kept asking (5 s) rather than giving up at the first "not now".
      expect(performance.now() - t0).toBeGreaterThan(4_000);
      expect(handled).toBe(0);
    } finally {
      await dialer.close();
    }
  });

  it('makes `p2p-node dial` exit 11 with one line saying the listener is busy', async () => {
    const child = spawn(process.execPath, [CLI_PATH, 'dial', listenerKey, '--bootstrap', bootstrap, '--host', '127.0.0.1'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      // 'close', not 'exit': the last stderr line is read by then.
      child.once('close', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    const last = err.trim().split('\n').at(-1) ?? '';
    expect(code, err).toBe(ExitCode.listenerBusy);
    expect(last).toMatch(new RegExp(`^p2p-node: ${listenerKey} is busy, try again later: the listener is busy: still shedding load after \\d+ ms of asking \\(127\\.0\\.0\\.[12]:\\d+ listener-busy: listener busy: 0 requests at once\\)$`));
  });
});
