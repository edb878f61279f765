// The four packages as a user gets them: `pnpm pack` each one (workspace:*
// becomes a real version), install the tarballs with plain npm, then run the
// installed `p2p-node` bin and type-check and run a small TypeScript app that
// imports '@p2p-node/node'. Needs the packages built (`pnpm test` builds
// first). The @p2p-node packages come only from the tarballs; their
// third-party dependencies (and typescript, @types/node) come from the npm
// registry. Everything the packages themselves send goes to loopback only.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PACKAGES = ['protos', 'packages/dht-signal', 'packages/punch', 'packages/node'];
const NAMES = ['@p2p-node/protos', '@p2p-node/dht-signal', '@p2p-node/punch', '@p2p-node/node'];
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
const VERSION: string = readJson(join(ROOT, 'packages/node/package.json')).version;
/** The scratch app type-checks with the TypeScript the workspace builds with, so a new TypeScript release cannot fail this test. */
const TYPESCRIPT: string = readJson(join(ROOT, 'package.json')).devDependencies.typescript;
/** Installs and type-checks run minutes on a slow machine: no pass or fail on how long. */
const STEP_MS = 240_000;
const NPM_QUIET = ['--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=error'];

/*
 * Children get this environment: the npm_* variables pnpm sets for `pnpm test`
 * would pass its settings on to npm; the running node comes first on PATH, so
 * the bin's `#!/usr/bin/env node` is the same Node.
 */
const ENV: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
ENV.PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;

let tmp: string;
let tarballs: string[];
let bin: string;
const live = new Set<ChildProcess>();

/** Runs a command to its end; killed (by its PID) if it outlives `timeoutMs`. */
function run(cmd: string, args: string[], opts: { cwd?: string; timeoutMs?: number } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? tmp, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? STEP_MS);
    child.once('error', (err) => (clearTimeout(timer), live.delete(child), reject(err)));
    child.once('close', (code) => (clearTimeout(timer), live.delete(child), resolve({ code, stdout, stderr })));
  });
}

/** Like run(), but a non-zero exit throws with the command's output. */
async function must(cmd: string, args: string[], opts: { cwd?: string; timeoutMs?: number } = {}) {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** Starts the installed `p2p-node bootstrap` and resolves with its HOST:PORT once it prints `ready`. */
function startBootstrap(args: string[]): Promise<string> {
  const child = spawn(bin, ['bootstrap', ...args], { cwd: tmp, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bootstrap not ready in 15 s: ${stderr.trim()}`)), 15_000);
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`bootstrap exited ${code}: ${stderr.trim()}`))));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = line.match(/^ready (\S+)/);
      if (m) (clearTimeout(timer), resolve(m[1]!));
    });
  });
}

/** SIGTERM, then SIGKILL after 3 s, each by the child's own PID. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

beforeAll(async () => {
  for (const p of PACKAGES) {
    if (!existsSync(join(ROOT, p, 'dist/index.js'))) throw new Error(`${p} is not built: run \`pnpm build\` first`);
  }
  tmp = await mkdtemp(join(tmpdir(), 'p2p-node-pack-'));
  const packs = join(tmp, 'tarballs');
  await mkdir(packs);
  for (const p of PACKAGES) await must('pnpm', ['pack', '--pack-destination', packs], { cwd: join(ROOT, p) });
  tarballs = readdirSync(packs).filter((f) => f.endsWith('.tgz')).map((f) => join(packs, f));
  expect(tarballs).toHaveLength(PACKAGES.length);
  // All four in one command, so each @p2p-node dependency is met by its tarball, never a registry.
  const prefix = join(tmp, 'prefix');
  await must('npm', ['install', '-g', '--prefix', prefix, ...NPM_QUIET, ...tarballs]);
  bin = join(prefix, 'bin/p2p-node');
}, STEP_MS + 60_000);

afterAll(async () => {
  await Promise.all([...live].map(stop));
  if (tmp) await rm(tmp, { recursive: true, force: true });
}, 30_000);

describe('packed tarballs installed with npm', () => {
  it('each package carries its dist, README and the root LICENSE, real versions for workspace:*, and nothing of the build or tests', () => {
    const rootLicense = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    for (const name of NAMES) {
      const dir = join(dirname(dirname(bin)), 'lib/node_modules', name);
      const manifest = readJson(join(dir, 'package.json'));
      expect(manifest.version, name).toBe(VERSION);
      expect(manifest.license, name).toBe('MIT');
      expect(manifest.private, name).toBeUndefined();
      expect(JSON.stringify(manifest), name).not.toContain('workspace:');
      for (const [dep, spec] of Object.entries<string>({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
        if (dep.startsWith('@p2p-node/')) expect(spec, `${name} -> ${dep}`).toBe(VERSION);
      }
      expect(readFileSync(join(dir, 'LICENSE'), 'utf8'), `${name} LICENSE`).toBe(rootLicense);
      expect(existsSync(join(dir, 'README.md')), `${name} README.md`).toBe(true);
      expect(existsSync(join(dir, manifest.types)), `${name} types`).toBe(true);
      const top = readdirSync(dir);
      for (const unwanted of ['src', 'test', 'tsconfig.json', 'tsconfig.tsbuildinfo']) expect(top, name).not.toContain(unwanted);
      expect(readdirSync(join(dir, 'dist'), { recursive: true }).map(String).filter((f) => /\.tsbuildinfo$|\.test\./.test(f)), name).toEqual([]);
    }
    // The NAT lab is for the workspace only: no installed manifest may send npm looking for it.
    expect(readJson(join(dirname(dirname(bin)), 'lib/node_modules/@p2p-node/node/package.json')).optionalDependencies?.['@p2p-node/lab']).toBeUndefined();
  });

  it('p2p-node --help exits 0 and lists the verbs', async () => {
    const r = await run(bin, ['--help']);
    expect(r.code, r.stderr).toBe(0);
    for (const verb of ['keygen', 'bootstrap', 'publish', 'lookup', 'nat', 'listen', 'dial', 'demo']) expect(r.stdout).toMatch(new RegExp(`^  ${verb}\\b`, 'm'));
  });

  it("p2p-node --version prints packages/node's version", async () => {
    const r = await run(bin, ['--version']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(VERSION);
  });

  it('p2p-node demo --loopback exits 0 and the echo came back intact', async () => {
    // Always --loopback: without it, as root, demo would look for the NAT lab.
    const r = await run(bin, ['demo', '--loopback', '--bytes', '100000'], { timeoutMs: 120_000 });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('demo: on loopback (asked for --loopback)');
    expect(r.stdout).toMatch(/^dialer: 100000 bytes sent and echoed back intact \(SHA-256 equal\)/m);
    expect(lines.at(-1)).toBe('demo: ok');
  }, 150_000);

  it("a TypeScript app that imports '@p2p-node/node' type-checks under strict nodenext and dials a listener through installed bootstrap nodes", async () => {
    const app = join(tmp, 'app');
    await mkdir(app);
    await must('npm', ['init', '-y', ...NPM_QUIET], { cwd: app });
    await must('npm', ['pkg', 'set', 'type=module'], { cwd: app });
    await must('npm', ['install', ...NPM_QUIET, ...tarballs, `typescript@${TYPESCRIPT}`, '@types/node@20'], { cwd: app });
    await writeFile(join(app, 'app.ts'), APP);
    const tsc = join(app, 'node_modules/.bin/tsc');
    const flags = ['--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node'];
    await must(tsc, ['--noEmit', ...flags, 'app.ts'], { cwd: app });
    await must(tsc, [...flags, '--outDir', 'out', 'app.ts'], { cwd: app });

    // Two bootstrap nodes from the installed bin, on 127.0.0.1 and 127.0.0.2 (NAT profiling wants reflectors on two addresses).
    const first = await startBootstrap(['--host', '127.0.0.1', '--port', '0']);
    const second = await startBootstrap(['--host', '127.0.0.2', '--port', '0', '--bootstrap', first]);
    const r = await run(process.execPath, ['out/app.js', first, second], { cwd: app, timeoutMs: 60_000 });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const result = JSON.parse(r.stdout.trim());
    expect(result.echoed).toBe('hello through p2p-node');
    expect(['direct', 'lan']).toContain(result.path);
    expect(result.remoteKeyMatches).toBe(true);
  }, STEP_MS + 120_000);
});

/** The scratch app: a listener and a dialer PeerNode on 127.0.0.1, one echo, both closed. */
const APP = `import { PeerNode, generateIdentity, type HostPort, type PeerNodeOptions, type PeerStream } from '@p2p-node/node';

const bootstrap: HostPort[] = process.argv.slice(2).map((arg) => {
  const [host, port] = arg.split(':');
  return { host: host!, port: Number(port) };
});
const options = (): PeerNodeOptions => ({ identity: generateIdentity(), bootstrap, host: '127.0.0.1' });
const listener = await PeerNode.create(options());
const dialer = await PeerNode.create(options());
try {
  await listener.listen((stream: PeerStream) => stream.pipe(stream), { portMapping: false });
  const stream = await dialer.dial(listener.publicKey);
  const echoed = await new Promise<string>((resolve, reject) => {
    let got = '';
    stream.on('data', (d: Buffer) => (got += d.toString()));
    stream.once('end', () => resolve(got));
    stream.once('error', reject);
    stream.end('hello through p2p-node');
  });
  const path: 'direct' | 'lan' | 'relayed' = stream.info.path;
  const remoteKeyMatches = Buffer.from(stream.info.remotePublicKey).equals(Buffer.from(listener.publicKey));
  console.log(JSON.stringify({ echoed, path, remoteKeyMatches }));
} finally {
  await dialer.close();
  await listener.close();
}
`;
