/*
 * `p2p-node demo` as the README has users run it, as root: the CLI finds the
 * lab through its package, builds two NATs and dials through them. Skipped
 * loudly without root/netns (packages/node/test/cli-demo.test.ts covers the
 * loopback path everywhere).
 */
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { labAvailability, root } from './availability.js';

const { why, buildError } = labAvailability('DEMO THROUGH THE NAT LAB');

describe.skipIf(why !== null)('p2p-node demo through the NAT lab', () => {
  test('exits 0, says it went through two NATs, dials directly through them and gets the bytes back intact', async () => {
    expect(buildError, 'the lab does not build').toBeNull();
    const { code, out } = await run(['demo', '--bytes', '300000'], 120_000);
    expect(code, out).toBe(0);
    expect(out).toMatch(/^demo: through two real NATs/m);
    expect(out).not.toMatch(/on loopback/);
    expect(out).toMatch(/^listener: 10\.2\.0\.2 behind NAT 203\.0\.113\.101 publishes [0-9a-f]{64}/m);
    expect(out).toMatch(/^dialer: dialed [0-9a-f]{16}\.\.\. -> direct connection to 203\.0\.113\.101:\d+ \(port-preservation\)$/m);
    expect(out).toMatch(/^dialer: 300000 bytes sent and echoed back intact \(SHA-256 equal\)/m);
    expect(out.trim().split('\n').at(-1)).toBe('demo: ok');
    const labRun = /^lab: dial lab (\S+):/m.exec(out)?.[1];
    expect(labRun, 'the demo did not name its lab run').toBeDefined();
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(`p2plab-${labRun}-`);
  });
});

function run(args: string[], limitMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(process.execPath, [join(root, 'packages/node/dist/cli.js'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    // SIGINT lets the demo tear its lab down before it exits.
    const timer = setTimeout(() => child.kill('SIGINT'), limitMs);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    // 'close', not 'exit': the output is read to its end by then.
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}
