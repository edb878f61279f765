import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

/** The built CLI entry point; resolves the same from src/ (tests) and dist/. */
export const CLI_PATH = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/**
 * A `p2p-node` subcommand running as its own process, with its stdout read
 * line by line so a caller can wait for a "ready" line without races.
 */
export class ChildCli {
  readonly child: ChildProcess;
  readonly stdoutLines: string[] = [];
  stderr = '';
  readonly exited: Promise<number | null>;
  private waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];

  constructor(args: string[], opts: { env?: NodeJS.ProcessEnv; stdin?: 'pipe' | 'ignore' } = {}) {
    this.child = spawn(process.execPath, [CLI_PATH, ...args], {
      stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...opts.env },
    });
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      this.stdoutLines.push(line);
      this.waiters = this.waiters.filter((w) => {
        const m = line.match(w.re);
        if (m) w.resolve(m);
        return !m;
      });
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** Waits for a stdout line matching `re`; fails if the process exits first or time runs out. */
  waitForLine(re: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const seen = this.stdoutLines.map((l) => l.match(re)).find(Boolean);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line matching ${re} within ${timeoutMs} ms; stderr: ${this.stderr.trim()}`)), timeoutMs);
      this.waiters.push({ re, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      void this.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`process exited (${code}) before printing ${re}; stderr: ${this.stderr.trim()}`));
      });
    });
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. Resolves with the exit code. */
  async stop(graceMs = 3000): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      const code = await this.exited;
      clearTimeout(timer);
      return code;
    }
    return this.exited;
  }
}
