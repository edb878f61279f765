// `p2p-node demo --loopback` as a user runs it: one process that starts the
// DHT, a listener and a dialer as processes of their own, on 127.0.0.1/.2.
// The NAT-lab path of the same verb is lab/test/demo.test.ts (needs root).
import { describe, expect, it } from 'vitest';
import { ChildCli } from '../src/child-cli.js';

describe('p2p-node demo --loopback', () => {
  it('exits 0, says it stayed on loopback, and that the bytes came back intact', async () => {
    const demo = new ChildCli(['demo', '--loopback', '--bytes', '300000']);
    const code = await demo.exited;
    const out = demo.stdoutLines.join('\n');
    expect(code, `${out}\n${demo.stderr}`).toBe(0);
    expect(demo.stdoutLines[0]).toBe('demo: on loopback (asked for --loopback)');
    expect(out).toMatch(/^dht: 2 bootstrap nodes .*: 127\.0\.0\.1:\d+,127\.0\.0\.2:\d+$/m);
    expect(out).toMatch(/^dialer: dialed [0-9a-f]{16}\.\.\. -> (direct|lan) connection to 127\.0\.0\.\d+:\d+ \(/m);
    expect(out).toMatch(/^dialer: 300000 bytes sent and echoed back intact \(SHA-256 equal\)/m);
    expect(demo.stdoutLines.at(-1)).toBe('demo: ok');
  });
});
