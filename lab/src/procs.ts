import { spawn, type ChildProcess } from 'node:child_process';

/*
 * Every process the lab starts is registered here and started in its own
 * process group (detached), so it can be stopped with its children by PID,
 * never by name.
 */
const started = new Set<ChildProcess>();

export function spawnInNs(ns: string, cmd: string, args: string[]): ChildProcess {
  const child = spawn('ip', ['netns', 'exec', ns, cmd, ...args], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}

function signalGroup(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, sig);
  } catch {
    /* already gone */
  }
}

/** Stops one process group: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs = 1_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin?.end();
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
  await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs + 1_000))]);
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...started].map((c) => stopProcess(c)));
}

/** Synchronous last resort for process 'exit' handlers, where nothing can be awaited. */
export function killAllNow(): void {
  for (const c of started) signalGroup(c, 'SIGKILL');
}

/** Resolves with the first stdout line matching `re` (bounded by `timeoutMs`). */
export function waitForLine(child: ChildProcess, re: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let errBuf = '';
    const timer = setTimeout(() => done(new Error(`no line matching ${re} within ${timeoutMs} ms; stderr: ${errBuf.trim()}`)), timeoutMs);
    const onData = (d: Buffer) => {
      buf += d.toString();
      for (const line of buf.split('\n')) if (re.test(line)) return done(null, line);
    };
    const onErr = (d: Buffer) => (errBuf += d.toString());
    const onExit = () => done(new Error(`process exited before printing ${re}; stderr: ${errBuf.trim()}`));
    function done(err: Error | null, line?: string) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onErr);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(line!);
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onErr);
    child.once('exit', onExit);
  });
}

/** Resolves with all of stderr so far once it matches `re`; rejects when the process exits first or after `timeoutMs`. */
export function waitForStderr(child: ChildProcess, re: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => done(new Error(`no ${re} within ${timeoutMs} ms: ${buf.trim().slice(-400)}`)), timeoutMs);
    const onData = (d: Buffer) => {
      buf += d.toString();
      if (re.test(buf)) done(null);
    };
    const onExit = (code: number | null) => done(new Error(`exited (${code}) before ${re}: ${buf.trim().slice(-400)}`));
    function done(err: Error | null) {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(buf);
    }
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
  });
}
