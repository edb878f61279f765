import { execFileSync } from 'node:child_process';

/** Every command the lab runs goes through here, with a time bound, so a hung tool cannot hang the lab. */
export function sh(cmd: string, args: string[], opts: { input?: string; timeoutMs?: number; allowFail?: boolean } = {}): string {
  try {
    return execFileSync(cmd, args, {
      input: opts.input,
      encoding: 'utf8',
      timeout: opts.timeoutMs ?? 15_000,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (err) {
    if (opts.allowFail) return '';
    const e = err as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${(e.stderr ?? '').trim() || e.message}`);
  }
}

/** Runs a command inside a lab namespace. */
export function nsExec(ns: string, cmd: string, args: string[], opts: { input?: string; timeoutMs?: number; allowFail?: boolean } = {}): string {
  return sh('ip', ['netns', 'exec', ns, cmd, ...args], opts);
}

/** `ip -n <ns> ...` (cheaper than netns exec: no fork of a shell). */
export function ipIn(ns: string, ...args: string[]): string {
  return sh('ip', ['-n', ns, ...args]);
}
