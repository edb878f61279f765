/*
 * Whether this machine can run the lab, as every lab test file asks it: the
 * lab must compile (a compile error is a failure, never a reason to skip),
 * and its output must import (either failing is a failure, never a reason to
 * skip), then `labUnavailable()` from the compiled lab says whether root, the
 * tools and network namespaces are there. When they are not, the caller's
 * tests, the compile check included, are skipped and a banner says so loudly:
 * off root nothing of the lab is checked, so nothing of it may pass.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export interface LabAvailability {
  /** Why the lab cannot run here (its tests are skipped), or null. */
  why: string | null;
  /** tsc's output when the lab does not compile, or why its output does not import (its tests must fail), or null. */
  buildError: string | null;
}

export function labAvailability(what: string): LabAvailability {
  const result = check();
  if (result.why) {
    const banner = '!'.repeat(78);
    console.warn(`\n${banner}\n!!! ${what} SKIPPED: ${result.why}\n!!! Nothing that crosses a NAT was tested. Run as root on Linux (CI does).\n${banner}\n`);
  }
  return result;
}

function check(): LabAvailability {
  if (process.platform !== 'linux') return { why: 'the NAT lab needs Linux', buildError: null };
  if (process.getuid?.() !== 0) return { why: 'the NAT lab needs root (network namespaces, nftables)', buildError: null };
  try {
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(root, 'lab')], { stdio: 'pipe', timeout: 120_000 });
  } catch (err) {
    const e = err as { stdout?: Buffer; message: string };
    return { why: null, buildError: e.stdout?.toString() || e.message };
  }
  try {
    // The same checks `pnpm lab` makes, from the compiled lab.
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', `import('${join(root, 'lab/dist/lab.js')}').then(m => process.stdout.write(m.labUnavailable() ?? ''))`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    return { why: out.trim() || null, buildError: null };
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    return { why: null, buildError: `the compiled lab does not import: ${e.stderr || e.message}` };
  }
}
