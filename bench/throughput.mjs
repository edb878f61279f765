// Bytes per second through the encrypted p2p-node stream beside a plain Node
// TCP echo, same machine, same run, same harness. Each side is separate
// processes, as users run them: `p2p-node listen --echo` + `p2p-node dial`
// (after a `p2p-node bootstrap` pair) against bench/tcp-echo.mjs server +
// client. The client gets MIB MiB on stdin (a file) and writes the echo to
// stdout, which this script hashes (SHA-256) and counts. Throughput is MIB
// over the time from the client's "connected" line to its last output byte,
// so lookup, punch and handshake are not in it; the same MIB flows the other
// way at the same time. Runs alternate p2p / plain; medians are reported.
//
//   loopback: bootstrap nodes on 127.0.0.1 / 127.0.0.2, everything else on 127.0.0.1.
//   lab:      two port-preserving NATs (pp1, pp2), no delay. The listener and
//             the echo server sit behind pp2, the clients behind pp1. The plain
//             echo is reached through a port forward (DNAT) on pp2, so both
//             cross the same two kernel NATs; the p2p stream gets there by its
//             own hole punch. Needs root (network namespaces).
//
// --base CLI: on loopback, also runs another build's CLI (e.g. a worktree of
// an older commit, built: .../packages/node/dist/cli.js) as a third kind of
// run in the same alternation, so a change to the stream is measured against
// what it replaces in one run, not across runs on a machine whose load drifts.
//
// After the table: what the cipher alone costs for the same bytes (cipher-cost.mjs),
// and the ratio the stream could reach if all else cost what plain TCP does.
//
// Usage: pnpm build && node bench/throughput.mjs [--mib 200] [--runs 3] [--where loopback,lab] [--base CLI]
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChildCli, CLI_PATH } from '@p2p-node/node/child-cli';
import { cipherCost } from './cipher-cost.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const mib = Number(arg('mib', '200'));
if (!Number.isInteger(mib) || mib < 1) {
  console.error(`throughput: --mib takes a whole number of MiB (1 or more), got ${arg('mib')}`);
  process.exit(2);
}
const runs = Number(arg('runs', '3'));
const where = arg('where', 'loopback,lab').split(',');
const baseCli = arg('base', undefined);
const ECHO = fileURLToPath(new URL('./tcp-echo.mjs', import.meta.url));
const LAB_PORT = 7001;
const cores = availableParallelism();

const dir = mkdtempSync(join(tmpdir(), 'p2p-throughput-'));
const bytes = mib * 1024 * 1024;
const payload = randomBytes(bytes);
const input = join(dir, 'input');
writeFileSync(input, payload);
const sentHash = createHash('sha256').update(payload).digest('hex');

/** CPU time the whole machine spent busy so far, in seconds (/proc/stat: every process, ours and the kernel's). */
function machineBusySeconds() {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = ticks;
  return (user + nice + system + irq + softirq + steal) / 100;
}

/**
 * Samples machineBusySeconds every 20 ms; `at(t)` is the busy time at
 * performance.now() `t`, interpolated. So a run reports how many cores its
 * data phase kept busy: a run that fills every core is bound by CPU, and
 * then p2p / plain cannot beat plain's CPU per byte over p2p's.
 */
function cpuSampler() {
  const samples = [[performance.now(), machineBusySeconds()]];
  const timer = setInterval(() => samples.push([performance.now(), machineBusySeconds()]), 20);
  return {
    stop: () => clearInterval(timer),
    at: (t) => {
      const i = samples.findIndex(([st]) => st >= t);
      if (i <= 0) return samples[i === 0 ? 0 : samples.length - 1][1];
      const [t0, b0] = samples[i - 1];
      const [t1, b1] = samples[i];
      return b0 + ((b1 - b0) * (t - t0)) / (t1 - t0);
    },
  };
}

/** Feeds `input` to a client command's stdin; resolves with MiB/s of the data phase and the CPU it used, or an error. */
function measure(spawnClient, cmd, args, timeoutMs = 300_000) {
  const cpu = cpuSampler();
  const child = spawnClient('sh', ['-c', `exec "$0" "$@" < "${input}"`, cmd, ...args]);
  const got = createHash('sha256');
  let received = 0;
  let stderr = '';
  let connectedAt;
  let lastAt;
  child.stderr.on('data', (d) => {
    stderr += d.toString();
    if (connectedAt === undefined && /^connected/m.test(stderr)) connectedAt = performance.now();
  });
  child.stdout.on('data', (d) => {
    got.update(d);
    received += d.length;
    lastAt = performance.now();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearTimeout(timer);
      cpu.stop();
      const intact = received === bytes && got.digest('hex') === sentHash;
      if (code !== 0 || !intact || connectedAt === undefined) {
        return resolve({ error: `exit ${code}, ${received}/${bytes} bytes${intact ? '' : ' (not intact)'}: ${stderr.trim().split('\n').slice(-2).join(' | ')}` });
      }
      const seconds = (lastAt - connectedAt) / 1000;
      const cpuSeconds = cpu.at(lastAt) - cpu.at(connectedAt);
      resolve({ mibps: mib / seconds, cpuSeconds, coresBusy: cpuSeconds / seconds });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Alternates p2p, plain (and base) runs; prints one line per run and a summary row. */
async function compare(label, p2p, plain, base) {
  const rows = { p2p: [], plain: [], base: [] };
  const cpu = { p2p: [], plain: [], base: [] };
  const kinds = [['p2p', p2p], ['plain', plain], ...(base ? [['base', base]] : [])];
  for (let i = 0; i < runs; i++) {
    for (const [name, run] of kinds) {
      const r = await run();
      if (r.error) console.error(`${label} ${name} run ${i + 1}: FAILED ${r.error}`);
      else {
        rows[name].push(r.mibps);
        cpu[name].push(r.cpuSeconds);
      }
      console.error(`${label} ${name} run ${i + 1}: ${r.error ? 'failed' : `${r.mibps.toFixed(1)} MiB/s, machine CPU ${r.cpuSeconds.toFixed(2)} s (${r.coresBusy.toFixed(2)} of ${cores} cores busy)`}`);
    }
  }
  if (!rows.p2p.length || !rows.plain.length) return { label, failed: true };
  const a = median(rows.p2p);
  const b = median(rows.plain);
  const cpuP2p = median(cpu.p2p);
  const cpuPlain = median(cpu.plain);
  const baseRow = rows.base.length ? { mibps: median(rows.base), cpu: median(cpu.base) } : undefined;
  return { label, p2p: a, plain: b, ratio: a / b, n: `${rows.p2p.length}/${rows.plain.length}`, cpuP2p, cpuPlain, base: baseRow };
}

async function loopback() {
  const infra = [];
  try {
    const a = new ChildCli(['bootstrap', '--host', '127.0.0.1', '--port', '0']);
    infra.push(a);
    const aAddr = (await a.waitForLine(/^ready (\S+)/, 15_000))[1];
    const b = new ChildCli(['bootstrap', '--host', '127.0.0.2', '--port', '0', '--bootstrap', aAddr]);
    infra.push(b);
    const bootstrap = `${aAddr},${(await b.waitForLine(/^ready (\S+)/, 15_000))[1]}`;
    const keyFile = join(dir, 'listener.key');
    const kg = new ChildCli(['keygen', '--out', keyFile]);
    await kg.exited;
    const key = kg.stdoutLines[0];
    const listener = new ChildCli(['listen', '--echo', '--key', keyFile, '--bootstrap', bootstrap, '--host', '127.0.0.1']);
    infra.push(listener);
    for (let t0 = Date.now(); !/listening as/.test(listener.stderr); await new Promise((r) => setTimeout(r, 20))) {
      if (listener.child.exitCode !== null || Date.now() - t0 > 15_000) throw new Error(`listener not ready: ${listener.stderr}`);
    }
    const echo = spawn(process.execPath, [ECHO, 'server', '127.0.0.1', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    infra.push({ stop: async () => echo.kill('SIGTERM') });
    const port = await new Promise((resolve) => echo.stdout.once('data', (d) => resolve(String(d).match(/ready (\d+)/)[1])));
    const local = (cmd, args) => spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const baseKey = baseCli ? await startBaseListener(bootstrap, infra) : undefined;
    return await compare(
      'loopback',
      () => measure(local, process.execPath, [CLI_PATH, 'dial', key, '--bootstrap', bootstrap, '--host', '127.0.0.1']),
      () => measure(local, process.execPath, [ECHO, 'client', '127.0.0.1', port]),
      baseKey ? () => measure(local, process.execPath, [baseCli, 'dial', baseKey, '--bootstrap', bootstrap, '--host', '127.0.0.1']) : undefined,
    );
  } finally {
    await Promise.all(infra.map((c) => c.stop()));
  }
}

/** `listen --echo` of the --base build, under a key of its own; resolves with that key. */
async function startBaseListener(bootstrap, infra) {
  const keyFile = join(dir, 'base.key');
  const kg = new ChildCli(['keygen', '--out', keyFile]);
  await kg.exited;
  const child = spawn(process.execPath, [baseCli, 'listen', '--echo', '--key', keyFile, '--bootstrap', bootstrap, '--host', '127.0.0.1'], { stdio: ['ignore', 'ignore', 'pipe'] });
  infra.push({ stop: async () => child.kill('SIGTERM') });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  for (let t0 = Date.now(); !/listening as/.test(stderr); await new Promise((r) => setTimeout(r, 20))) {
    if (child.exitCode !== null || Date.now() - t0 > 15_000) throw new Error(`base listener not ready: ${stderr}`);
  }
  return kg.stdoutLines[0];
}

async function lab() {
  const { labUnavailable } = await import('@p2p-node/lab/lab');
  const why = labUnavailable();
  if (why) return { label: 'lab pp->pp', failed: true, why };
  const { DialLab } = await import('@p2p-node/lab/dial-lab');
  const { spawnInNs, waitForLine } = await import('@p2p-node/lab/procs');
  const { nsExec } = await import('@p2p-node/lab/sh');
  const dl = new DialLab((s) => console.error(s));
  process.once('SIGINT', () => void dl.tearDown().then(() => process.exit(130)));
  try {
    await dl.setUp([
      { name: 'pp1', kind: 'pp', hosts: 1 },
      { name: 'pp2', kind: 'pp', hosts: 1 },
    ]);
    const { publicKey } = await dl.startListener('pp2');
    const box = dl.topo.nats.get('pp2');
    const target = box.hosts[0];
    const echo = spawnInNs(target.ns, process.execPath, [ECHO, 'server', target.ip, String(LAB_PORT)]);
    await waitForLine(echo, /^ready /, 10_000);
    // A port forward on pp2 for the plain echo only: pp2's own rules still drop unsolicited traffic to other ports.
    nsExec(box.ns, 'nft', ['-f', '-'], {
      input: `table ip benchfwd {
  chain pre { type nat hook prerouting priority -100; iifname "wan" tcp dport ${LAB_PORT} dnat to ${target.ip}:${LAB_PORT}; }
}
insert rule ip labnat forward iifname "wan" oifname "brl" ip daddr ${target.ip} tcp dport ${LAB_PORT} ct status dnat accept
`,
    });
    const client = dl.topo.nats.get('pp1').hosts[0];
    const inNs = (cmd, args) => spawnInNs(client.ns, cmd, args);
    return await compare(
      'lab pp->pp',
      () => measure(inNs, process.execPath, [CLI_PATH, 'dial', publicKey, '--bootstrap', dl.bootstrap]),
      () => measure(inNs, process.execPath, [ECHO, 'client', box.wanIp, String(LAB_PORT)]),
    );
  } finally {
    await dl.tearDown();
  }
}

const results = [];
try {
  if (where.includes('loopback')) results.push(await loopback());
  if (where.includes('lab')) results.push(await lab());
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`\nbench/throughput: ${mib} MiB each way per run, ${runs} runs each, median, node ${process.version}`);
console.log(`machine CPU: busy CPU-seconds of the whole machine (${cores} cores) during the data phase; CPU bound = plain CPU / p2p CPU, the ratio's ceiling when both runs keep every core busy`);
console.log('| path | p2p-node MiB/s | plain TCP MiB/s | p2p / plain | machine CPU p2p / plain (s) | CPU bound |');
console.log('|---|---|---|---|---|---|');
for (const r of results) {
  if (r.failed) console.log(`| ${r.label} | failed${r.why ? `: ${r.why}` : ''} | | |`);
  else console.log(`| ${r.label} | ${r.p2p.toFixed(1)} | ${r.plain.toFixed(1)} | ${r.ratio.toFixed(2)}x | ${r.cpuP2p.toFixed(2)} / ${r.cpuPlain.toFixed(2)} | ${(r.cpuPlain / r.cpuP2p).toFixed(2)}x |`);
}
const measured = results.filter((r) => !r.failed);
if (measured.length) {
  // The cipher's own cost, measured now: what no framing or copying could win back.
  const c = await cipherCost(mib);
  console.log(`\ncipher alone (bench/cipher-cost.mjs): ${c.cpuSeconds.toFixed(2)} CPU-s for the 4 x ${mib} MiB an echo seals and opens, ${c.perThreadGBps.toFixed(2)} GB/s per thread with both busy`);
  for (const r of measured) {
    console.log(`${r.label}: with everything but the cipher as cheap as plain TCP, p2p / plain could reach at most ${(r.cpuPlain / (r.cpuPlain + c.cpuSeconds)).toFixed(2)}x (plain CPU / (plain CPU + cipher CPU))`);
  }
}
for (const r of results.filter((x) => x.base)) {
  console.log(`\n${r.label}, --base ${baseCli}: ${r.base.mibps.toFixed(1)} MiB/s, machine CPU ${r.base.cpu.toFixed(2)} s; this build / base: ${(r.p2p / r.base.mibps).toFixed(2)}x the rate, ${(r.cpuP2p / r.base.cpu).toFixed(2)}x the CPU`);
}
