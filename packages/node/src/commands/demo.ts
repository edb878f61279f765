import type { Command } from 'commander';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { ChildCli, CLI_PATH } from '../child-cli.js';
import { parsePositiveInt } from '../cli-args.js';
import { toHex, writeNewKeyFile } from '../key-file.js';

const STEP_TIMEOUT_MS = 30_000;
/** The payload is generated and hashed in memory. */
const MAX_DEMO_BYTES = 1 << 30;
/*
 * The NAT lab (@p2p-node/lab, which itself runs this CLI) is a workspace
 * devDependency, so an installed tarball never asks a registry for it:
 * looked up at run time, so the CLI builds and runs without it.
 * The specifiers are variables so tsc does not ask for the lab's types,
 * which are built after this package.
 */
const LAB_PACKAGE = '@p2p-node/lab';
const LAB_MODULES = { lab: `${LAB_PACKAGE}/lab`, dialLab: `${LAB_PACKAGE}/dial-lab` };
const say = (s: string) => process.stdout.write(s + '\n');

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('the whole path on an embedded default: a local DHT, a listener and a dialer as separate processes; through two real NATs when root')
    .option('--bytes <n>', 'bytes to send through the echo', String(1 << 20))
    .option('--loopback', 'stay on loopback even when the NAT lab could run', false)
    .addHelpText('after', '\nAs root with network namespaces (and the lab built): two LANs behind real kernel NATs.\nOtherwise: 127.0.0.1/127.0.0.2. Nothing is ever sent to a public host.')
    .action(async (opts: { bytes: string; loopback: boolean }) => {
      const bytes = parsePositiveInt(opts.bytes, '--bytes', MAX_DEMO_BYTES);
      const why = opts.loopback ? 'asked for --loopback' : await natLabUnavailable();
      if (why === null) await natDemo(bytes);
      else {
        say(`demo: on loopback (${why})`);
        await loopbackDemo(bytes);
      }
    });
}

async function natLabUnavailable(): Promise<string | null> {
  let entry: string;
  try {
    entry = fileURLToPath(import.meta.resolve(LAB_MODULES.lab));
  } catch {
    return `the NAT lab (${LAB_PACKAGE}) is not installed: run \`pnpm install\` in the workspace`;
  }
  if (!existsSync(entry)) return 'the NAT lab is not built: run `pnpm build`';
  const lab = (await import(LAB_MODULES.lab)) as { labUnavailable(): string | null };
  return lab.labUnavailable();
}

async function natDemo(bytes: number): Promise<void> {
  type Lab = {
    setUp(specs: { name: string; kind: string; hosts: number }[]): Promise<void>;
    startListener(nat: string): Promise<{ publicKey: string }>;
    dial(nat: string, key: string, bytes: number): Promise<{ ok: boolean; error?: string; wallMs: number; stats?: { path: string; method: string; candidate: string; timings: Record<string, number> } }>;
    tearDown(): Promise<void>;
    bootstrap: string;
  };
  const { DialLab } = (await import(LAB_MODULES.dialLab)) as { DialLab: new (log: (s: string) => void) => Lab };
  const lab = new DialLab((s) => say(`lab: ${s}`));
  const stop = () => void lab.tearDown().then(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    say('demo: through two real NATs (Linux MASQUERADE in network namespaces, unsolicited inbound dropped)');
    let t = performance.now();
    await lab.setUp([
      { name: 'pp1', kind: 'pp', hosts: 1 },
      { name: 'pp2', kind: 'pp', hosts: 1 },
    ]);
    say(`dht: 2 bootstrap nodes on the lab internet (${lab.bootstrap}), each its own process, in ${ms(t)}`);
    t = performance.now();
    const { publicKey } = await lab.startListener('pp2');
    say(`listener: 10.2.0.2 behind NAT 203.0.113.101 publishes ${publicKey} (${ms(t)})`);
    const r = await lab.dial('pp1', publicKey, bytes);
    if (!r.ok || !r.stats) throw new Error(`dial failed: ${r.error}`);
    reportDial(publicKey, r.stats, bytes, r.wallMs);
    say('demo: ok');
  } finally {
    await lab.tearDown();
  }
}

async function loopbackDemo(bytes: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'p2p-node-demo-'));
  const children: ChildCli[] = [];
  const start = (args: string[]) => {
    const c = new ChildCli(args);
    children.push(c);
    return c;
  };
  try {
    let t = performance.now();
    // Two loopback addresses: NAT profiling compares what two reflectors see.
    const first = start(['bootstrap', '--host', '127.0.0.1', '--port', '0']);
    const firstAddr = (await first.waitForLine(/^ready (\S+)/, STEP_TIMEOUT_MS))[1]!;
    const second = start(['bootstrap', '--host', '127.0.0.2', '--port', '0', '--bootstrap', firstAddr]);
    const bootstrap = [firstAddr, (await second.waitForLine(/^ready (\S+)/, STEP_TIMEOUT_MS))[1]!].join(',');
    say(`dht: 2 bootstrap nodes (DHT + introducer + TCP reflector), each its own process, in ${ms(t)}: ${bootstrap}`);

    const keyFile = join(dir, 'listener.key');
    const pubkey = toHex((await writeNewKeyFile(keyFile, false)).publicKey);
    t = performance.now();
    const listener = start(['listen', '--echo', '--key', keyFile, '--bootstrap', bootstrap, '--host', '127.0.0.1']);
    await waitForStderr(listener, /listening as/, STEP_TIMEOUT_MS);
    say(`listener: ${pubkey} published its record and registered with the introducers in ${ms(t)}`);

    const payload = randomBytes(bytes);
    const input = join(dir, 'payload');
    await writeFile(input, payload);
    t = performance.now();
    const dial = spawn(process.execPath, [CLI_PATH, 'dial', pubkey, '--bootstrap', bootstrap, '--host', '127.0.0.1', '--json'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const hash = createHash('sha256');
    let received = 0;
    let stderr = '';
    dial.stdout.on('data', (d: Buffer) => (hash.update(d), (received += d.length)));
    dial.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    dial.stdin.end(payload);
    // 'close', not 'exit': at exit the pipes may still hold the echo's last bytes and the stats line.
    const code = await new Promise<number | null>((resolve) => dial.once('close', resolve));
    const wall = performance.now() - t;
    if (code !== 0) throw new Error(`dial exited ${code}: ${stderr.trim()}`);
    const stats = JSON.parse(stderr.split('\n').find((l) => l.startsWith('{')) ?? '{}');
    if (received !== bytes || hash.digest('hex') !== createHash('sha256').update(payload).digest('hex')) throw new Error('echoed bytes differ from what was sent');
    reportDial(pubkey, stats, bytes, wall);
    say('demo: ok');
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await rm(dir, { recursive: true, force: true });
  }
}

function reportDial(pubkey: string, s: { path: string; method: string; candidate: string; timings: Record<string, number> }, bytes: number, wallMs: number): void {
  const t = s.timings;
  const r = (x: number | undefined) => `${Math.round(x ?? NaN)} ms`;
  say(`dialer: dialed ${pubkey.slice(0, 16)}... -> ${s.path} connection to ${s.candidate} (${s.method})`);
  // Lookup and profile run beside signaling; a lookup of 0 ms means the first request found the listener without the record.
  const lookup = t.lookupMs ? `lookup ${r(t.lookupMs)}` : 'record not needed (the first request found the listener through a bootstrap introducer)';
  say(`dialer: ${lookup}, NAT profile ${r(t.profileMs)} alongside, signaling with the Noise handshake ${r(t.signalMs)}, punch ${r(t.punchMs)}, stream open ${r(t.openMs)}: connected in ${r(t.totalMs)}`);
  say(`dialer: ${bytes} bytes sent and echoed back intact (SHA-256 equal); the dial process ran ${Math.round(wallMs)} ms in all`);
}

function waitForStderr(c: ChildCli, re: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = setInterval(() => {
      if (re.test(c.stderr)) return done(null);
      if (c.child.exitCode !== null) return done(new Error(`listener exited: ${c.stderr.trim()}`));
      if (Date.now() - started > timeoutMs) done(new Error(`listener not ready in ${timeoutMs} ms: ${c.stderr.trim()}`));
    }, 20);
    const done = (err: Error | null) => {
      clearInterval(tick);
      if (err) reject(err);
      else resolve();
    };
  });
}

const ms = (t0: number) => `${Math.round(performance.now() - t0)} ms`;
