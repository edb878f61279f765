import type { Command } from 'commander';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildCli } from '../child-cli.js';
import { parsePositiveInt } from '../cli-args.js';
import { toHex, writeNewKeyFile } from '../key-file.js';

const HOST = '127.0.0.1';
const STEP_TIMEOUT_MS = 20_000;

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the whole path on an embedded default: a local DHT and two peers as separate processes')
    .option('--nodes <n>', 'DHT nodes to start, each its own process', '6')
    .addHelpText('after', '\nEverything stays on 127.0.0.1; nothing is sent to any public host.')
    .action(async (opts: { nodes: string }) => {
      const nodes = parsePositiveInt(opts.nodes, '--nodes');
      await runDemo(nodes);
    });
}

async function runDemo(nodeCount: number): Promise<void> {
  const say = (s: string) => process.stdout.write(s + '\n');
  const dir = await mkdtemp(join(tmpdir(), 'p2p-node-demo-'));
  const children: ChildCli[] = [];
  const start = (args: string[]) => {
    const c = new ChildCli(args);
    children.push(c);
    return c;
  };
  try {
    say(`demo: on loopback (${HOST}); DHT records only so far: NAT punching and dial are not wired in yet`);
    let t = performance.now();
    const first = start(['bootstrap', '--host', HOST, '--port', '0']);
    const [, firstAddr] = (await first.waitForLine(/^ready (\S+)/, STEP_TIMEOUT_MS)) as unknown as [string, string];
    const rest = Array.from({ length: nodeCount - 1 }, () => start(['bootstrap', '--host', HOST, '--port', '0', '--bootstrap', firstAddr]));
    const restAddrs = await Promise.all(rest.map(async (c) => (await c.waitForLine(/^ready (\S+)/, STEP_TIMEOUT_MS))[1]!));
    const bootstrap = [firstAddr, ...restAddrs].join(',');
    say(`dht: ${nodeCount} nodes up, each its own process, in ${ms(t)} (${bootstrap})`);

    const keyFile = join(dir, 'listener.key');
    const id = await writeNewKeyFile(keyFile, false);
    const pubkey = toHex(id.publicKey);
    say(`listener: identity ${pubkey}`);

    t = performance.now();
    const publisher = start(['publish', '--key', keyFile, '--bootstrap', bootstrap, '--host', HOST]);
    const published = await publisher.waitForLine(/^published \S+ seq (\d+) on (\d+) nodes/, STEP_TIMEOUT_MS);
    say(`listener: record published (seq ${published[1]}) on ${published[2]} nodes in ${ms(t)}`);

    t = performance.now();
    const lookup = start(['lookup', pubkey, '--bootstrap', bootstrap, '--json']);
    const code = await lookup.exited;
    if (code !== 0) throw new Error(`lookup failed (exit ${code}): ${lookup.stderr.trim()}`);
    const record = JSON.parse(lookup.stdoutLines.join('\n')) as { publicEndpoints: string[]; lanEndpoints: string[]; seq: number };
    say(`dialer: found and verified the record in ${ms(t)} (process start included): seq ${record.seq}, public ${record.publicEndpoints.join(', ') || '-'}, lan ${record.lanEndpoints.join(', ') || '-'}`);
    say('demo: ok');
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await rm(dir, { recursive: true, force: true });
  }
}

const ms = (t0: number) => `${Math.round(performance.now() - t0)} ms`;
