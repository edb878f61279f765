import { spawn } from 'node:child_process';
import { CLI_PATH } from '../src/child-cli.js';

export interface DialOutcome {
  code: number | null;
  /** Everything the dial wrote on stdout (the peer's bytes). */
  out: Buffer;
  err: string;
  /** Spawn to exit. */
  ms: number;
}

/**
 * Runs `p2p-node dial <args> --bootstrap <bootstrap> --host 127.0.0.1`, feeding
 * `input` on stdin (then EOF); killed after `timeoutMs` so a hang fails, not stalls.
 */
export function dialProcess(args: string[], bootstrap: string, input: Buffer, timeoutMs = 20_000): Promise<DialOutcome> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const c = spawn(process.execPath, [CLI_PATH, 'dial', ...args, '--bootstrap', bootstrap, '--host', '127.0.0.1'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    c.stdout.on('data', (d: Buffer) => out.push(d));
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    c.stdin.on('error', () => undefined);
    c.stdin.end(input);
    const timer = setTimeout(() => c.kill('SIGKILL'), timeoutMs);
    // 'close', not 'exit': stdout and stderr are read to their end by then.
    c.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out: Buffer.concat(out), err, ms: performance.now() - t0 });
    });
  });
}
