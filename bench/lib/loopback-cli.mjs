// Real `p2p-node` processes on loopback for the benches: two bootstrap nodes
// (profiling needs reflectors on two addresses) and a `listen --echo`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_PATH } from '@p2p-node/node/child-cli';

/** The CLI processes a bench started, to stop by PID when it ends (also on SIGINT). */
export class CliProcs {
  children = [];
  dir = mkdtempSync(join(tmpdir(), 'p2p-bench-'));

  constructor() {
    process.once('SIGINT', () => {
      this.stopAll();
      process.exit(130);
    });
  }

  /** Starts a verb; resolves with [match, child] once `re` matches its `stream`. Its stderr is kept in child.stderrText. */
  start(args, re, stream = 'stdout') {
    const child = spawn(process.execPath, [CLI_PATH, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.push(child);
    child.stderrText = '';
    child.stderr.on('data', (d) => {
      // Keep the tail only: a long run must not grow the bench's memory.
      child.stderrText = (child.stderrText + d.toString()).slice(-20_000);
    });
    return new Promise((resolve, reject) => {
      let buf = '';
      const timer = setTimeout(() => reject(new Error(`${args[0]}: no ${re} within 30 s: ${buf.slice(-400)}`)), 30_000);
      child[stream].on('data', (d) => {
        if (buf === null) return;
        buf += d.toString();
        const m = re.exec(buf);
        if (m) {
          clearTimeout(timer);
          buf = null;
          resolve([m, child]);
        }
      });
      child.stdout.resume();
      child.once('exit', (code) => reject(new Error(`${args[0]} exited ${code}: ${(buf ?? '').slice(-400)}`)));
    });
  }

  stopAll() {
    for (const c of this.children) if (c.exitCode === null) c.kill('SIGTERM');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Two bootstrap nodes (127.0.0.1 and .2) and a listener on 127.0.0.1: the
 * first node's UDP/relay ports, the bootstrap list, the listener's key and
 * TCP port, and the processes.
 */
export async function startLoopbackNet(procs) {
  const [[, first, relayPort], firstProc] = await procs.start(['bootstrap', '--host', '127.0.0.1', '--port', '0'], /^ready (\S+) .*tcp relay (\d+)/m);
  const [[, second]] = await procs.start(['bootstrap', '--host', '127.0.0.2', '--port', '0', '--bootstrap', first], /^ready (\S+)/m);
  const bootstrap = `${first},${second}`;
  const keyFile = join(procs.dir, 'listener.json');
  await procs.start(['keygen', '--out', keyFile], /[0-9a-f]{64}/);
  const [[, listenPort, key], listenerProc] = await procs.start(
    ['listen', '--echo', '--key', keyFile, '--host', '127.0.0.1', '--bootstrap', bootstrap],
    /accepting on port (\d+)[\s\S]*^listening as ([0-9a-f]{64})/m,
    'stderr',
  );
  return { bootstrap, first, udpPort: Number(first.split(':')[1]), relayPort: Number(relayPort), listenPort: Number(listenPort), key, firstProc, listenerProc };
}

/** One real `p2p-node dial` process echoing `text` through the listener: ok, and the exit and last stderr line. */
export function dialEcho(key, bootstrap, text = 'still serving\n') {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI_PATH, 'dial', key, '--bootstrap', bootstrap, '--host', '127.0.0.1'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d.toString()));
    child.stderr.on('data', (d) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0 && out === text, ms: performance.now() - t0, detail: `exit ${code}: ${err.trim().split('\n').at(-1)}` });
    });
    child.stdin.end(text);
  });
}

/** Whether the DHT node at 127.0.0.1:`port` answers a KRPC ping within `timeoutMs` (a node stuck in a loop stays alive but silent). */
export async function pingsBack(port, timeoutMs = 1000) {
  const { createSocket } = await import('node:dgram');
  const s = createSocket('udp4');
  await new Promise((r) => s.bind(0, '127.0.0.1', r));
  try {
    return await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      s.on('message', (m) => {
        if (!m.includes('1:y1:r')) return;
        clearTimeout(timer);
        resolve(true);
      });
      s.send(Buffer.from('d1:ad2:id20:pingpingpingpingpinge1:q4:ping1:t2:pp1:y1:qe'), port, '127.0.0.1');
    });
  } finally {
    s.close();
  }
}

/** One real `p2p-node lookup` process (its seen-seq memory in `seenFile`, not the user's home): ok, and why not. */
export function lookupRecord(key, bootstrap, seenFile) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_PATH, 'lookup', key, '--bootstrap', bootstrap, '--seen', seenFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0, detail: `exit ${code}: ${err.trim().split('\n').at(-1)}` });
    });
  });
}
