// Every verb with bad input, as a real process: it must end (no hang), with
// the documented exit code and one line on stderr (plus the --help hint for
// commander's own errors), and the line must not repeat its prefix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_PATH } from '../src/child-cli.js';
import { ExitCode } from '../src/exit-codes.js';

/** Only catches hangs: every case normally ends in well under a second. */
const DEADLINE_MS = 5000;
/**
 * Bind tests need an address this host does not have and that is never a
 * destination: a documentation address (RFC 5737). bind() fails with
 * EADDRNOTAVAIL before any packet could leave.
 */
const FOREIGN_IP = '203.0.113.77';
/** Nothing answers here; only reached if a case wrongly got as far as joining. */
const DEAD_BOOTSTRAP = '127.0.0.1:9';
const PUBKEY = 'ab'.repeat(32);
const HINT = /^\(run `p2p-node( [a-z]+)? --help` for usage\)$/;

let dir: string;
let udpInUse: Socket;
let tcpInUse: Server;
let udpPort: number;
let tcpPort: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2p-node-bad-'));
  const keyfile = (name: string, body: string) => writeFile(join(dir, name), body, { mode: 0o600 });
  await keyfile('null.json', 'null\n');
  await keyfile('array.json', '[1]\n');
  await keyfile('string.json', '"key"\n');
  await keyfile('text.json', 'not json\n');
  await keyfile('wrong-kind.json', JSON.stringify({ kind: 'other', secretKey: '00'.repeat(32) }));
  await mkdir(join(dir, 'a-dir'));
  await chmod(join(dir, 'a-dir'), 0o700);
  udpInUse = createSocket('udp4');
  await new Promise<void>((resolve) => udpInUse.bind(0, '127.0.0.1', resolve));
  udpPort = udpInUse.address().port;
  tcpInUse = createServer();
  await new Promise<void>((resolve) => tcpInUse.listen(0, '127.0.0.1', resolve));
  tcpPort = (tcpInUse.address() as { port: number }).port;
});

afterAll(async () => {
  udpInUse.close();
  await new Promise((resolve) => tcpInUse.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

interface Case {
  args: () => string[];
  code: number;
  stderr: RegExp;
  /** Commander's own errors (unknown flag or verb, missing argument) end with the --help hint. */
  hint?: boolean;
}

const key = (name: string) => join(dir, name);
const B = ['--bootstrap', DEAD_BOOTSTRAP];
const usage = ExitCode.usage;

const CASES: Record<string, Case> = {
  'unknown verb': { args: () => ['frob'], code: usage, stderr: /unknown command 'frob'/, hint: true },
  'unknown global flag': { args: () => ['--frob'], code: usage, stderr: /unknown option '--frob'/, hint: true },

  'keygen: unknown flag': { args: () => ['keygen', '--frob'], code: usage, stderr: /unknown option '--frob'/, hint: true },
  'keygen: extra argument': { args: () => ['keygen', 'extra'], code: usage, stderr: /too many arguments/, hint: true },
  'keygen: --out under /proc': { args: () => ['keygen', '--out', '/proc/nope/key.json'], code: ExitCode.error, stderr: /^cannot write \/proc\/nope\/key\.json: .*ENOENT/ },
  'keygen: --out an existing file': { args: () => ['keygen', '--out', key('null.json')], code: usage, stderr: /already exists; pass --force/ },
  'keygen: --out a directory, forced': { args: () => ['keygen', '--out', key('a-dir'), '--force'], code: ExitCode.error, stderr: /^cannot write .*a-dir: .*EISDIR/ },

  'bootstrap: unknown flag': { args: () => ['bootstrap', '--frob'], code: usage, stderr: /unknown option '--frob'/, hint: true },
  'bootstrap: --port without value': { args: () => ['bootstrap', '--port'], code: usage, stderr: /option '--port <n>' argument missing/, hint: true },
  'bootstrap: --port 70000': { args: () => ['bootstrap', '--port', '70000'], code: usage, stderr: /^--port must be a port number 0-65535, got "70000"$/ },
  'bootstrap: --port -1': { args: () => ['bootstrap', '--port=-1'], code: usage, stderr: /^--port must be a port number/ },
  'bootstrap: --host IPv6': { args: () => ['bootstrap', '--host', '::1'], code: usage, stderr: /^--host must be an IPv4 address/ },
  'bootstrap: --host a name': { args: () => ['bootstrap', '--host', 'localhost'], code: usage, stderr: /^--host must be an IPv4 address/ },
  'bootstrap: --host not on this host': { args: () => ['bootstrap', '--host', FOREIGN_IP, '--port', '0'], code: usage, stderr: /^cannot bind DHT socket to 203\.0\.113\.77:0: .*EADDRNOTAVAIL.*not an address of this host/ },
  'bootstrap: UDP port in use': { args: () => ['bootstrap', '--host', '127.0.0.1', '--port', String(udpPort)], code: ExitCode.error, stderr: /^cannot bind DHT socket to 127\.0\.0\.1:\d+: .*EADDRINUSE/ },
  'bootstrap: TCP reflector port in use': { args: () => ['bootstrap', '--host', '127.0.0.1', '--port', String(tcpPort)], code: ExitCode.error, stderr: /^cannot (start the TCP reflector on|bind DHT socket to) 127\.0\.0\.1:\d+: .*EADDRINUSE/ },
  'bootstrap: --relay-draining 0': { args: () => ['bootstrap', '--relay-draining', '0'], code: usage, stderr: /^--relay-draining must be a whole number 1-1000000, got "0"$/ },
  'bootstrap: --relay-rate not a number': { args: () => ['bootstrap', '--relay-rate', 'fast'], code: usage, stderr: /^--relay-rate must be MiB per second \(0 for no limit\), got "fast"$/ },
  'bootstrap: --relay-circuits 0': { args: () => ['bootstrap', '--relay-circuits', '0'], code: usage, stderr: /^--relay-circuits must be a whole number 1-1000000, got "0"$/ },
  'bootstrap: IPv6 DHT node': { args: () => ['bootstrap', '--bootstrap', '[::1]:7001'], code: usage, stderr: /IPv6 DHT nodes are not supported/ },
  'bootstrap: list entry without port': { args: () => ['bootstrap', '--bootstrap', '127.0.0.1'], code: usage, stderr: /^bad bootstrap list: "127\.0\.0\.1" is not HOST:PORT/ },

  'publish: unknown flag': { args: () => ['publish', '--frob', ...B], code: usage, stderr: /unknown option '--frob'/, hint: true },
  'publish: no bootstrap': { args: () => ['publish', '--key', key('null.json')], code: usage, stderr: /^no bootstrap nodes/ },
  'publish: --tcp-port 70000': { args: () => ['publish', ...B, '--tcp-port', '70000'], code: usage, stderr: /^--tcp-port must be a port number 1-65535/ },
  'publish: --tcp-port 0': { args: () => ['publish', ...B, '--tcp-port', '0'], code: usage, stderr: /^--tcp-port must be a port number 1-65535/ },
  'publish: --port 65536': { args: () => ['publish', ...B, '--port', '65536'], code: usage, stderr: /^--port must be a port number/ },
  'publish: --lifetime past the record limit': { args: () => ['publish', ...B, '--lifetime', '691200'], code: usage, stderr: /^--lifetime must be a whole number 1-604800/ },
  'publish: --lifetime 0': { args: () => ['publish', ...B, '--lifetime', '0'], code: usage, stderr: /^--lifetime must be a whole number/ },
  'publish: --lifetime 1.5': { args: () => ['publish', ...B, '--lifetime', '1.5'], code: usage, stderr: /^--lifetime must be a whole number/ },
  'publish: --republish past a timer': { args: () => ['publish', ...B, '--republish', '2147484'], code: usage, stderr: /^--republish must be a whole number 1-2147483,/ },
  'publish: --republish not below --lifetime': { args: () => ['publish', ...B, '--lifetime', '600', '--republish', '600'], code: usage, stderr: /^--republish \(600 s\) must be shorter than --lifetime/ },
  'publish: --host IPv6': { args: () => ['publish', ...B, '--host', '::'], code: usage, stderr: /^--host must be an IPv4 address/ },
  'publish: IPv6 DHT node': { args: () => ['publish', '--bootstrap', '[::1]:7001'], code: usage, stderr: /^bad bootstrap list: \[::1\]:7001 is IPv6; IPv6 DHT nodes are not supported/ },
  'publish: key file holds null': { args: () => ['publish', ...B, '--key', key('null.json')], code: usage, stderr: /null\.json is not a p2p-node key file \(expected a JSON object, found null\)/ },
  'publish: key file holds an array': { args: () => ['publish', ...B, '--key', key('array.json')], code: usage, stderr: /is not a p2p-node key file \(expected a JSON object, found an array\)/ },
  'publish: key file holds a string': { args: () => ['publish', ...B, '--key', key('string.json')], code: usage, stderr: /is not a p2p-node key file \(expected a JSON object, found string\)/ },
  'publish: key file not JSON': { args: () => ['publish', ...B, '--key', key('text.json')], code: usage, stderr: /is not a p2p-node key file \(not JSON\)/ },
  'publish: key file of another kind': { args: () => ['publish', ...B, '--key', key('wrong-kind.json')], code: usage, stderr: /is not a p2p-node key file \(expected kind/ },
  'publish: key file missing': { args: () => ['publish', ...B, '--key', key('missing.json')], code: usage, stderr: /^cannot read key file .*ENOENT.*\(create one with `p2p-node keygen`\)$/ },
  'publish: key file is a device': { args: () => ['publish', ...B, '--key', '/dev/zero'], code: usage, stderr: /^cannot read key file \/dev\/zero: not a regular file$/ },
  'publish: key file is a directory': { args: () => ['publish', ...B, '--key', key('a-dir')], code: usage, stderr: /^cannot read key file .*a-dir: it is a directory$/ },
  'publish: --host not on this host': { args: () => ['publish', ...B, '--key', key('good.json'), '--host', FOREIGN_IP], code: usage, stderr: /^cannot bind DHT socket to 203\.0\.113\.77:0: .*EADDRNOTAVAIL/ },
  'publish: UDP port in use': { args: () => ['publish', ...B, '--key', key('good.json'), '--host', '127.0.0.1', '--port', String(udpPort)], code: ExitCode.error, stderr: /^cannot bind DHT socket to 127\.0\.0\.1:\d+: .*EADDRINUSE/ },

  'lookup: unknown flag': { args: () => ['lookup', PUBKEY, '--frob'], code: usage, stderr: /unknown option '--frob'/, hint: true },
  'lookup: no pubkey': { args: () => ['lookup', ...B], code: usage, stderr: /missing required argument 'pubkey'/, hint: true },
  'lookup: malformed pubkey': { args: () => ['lookup', 'abc', ...B], code: usage, stderr: /^not a public key: expected 64 hex characters/ },
  'lookup: --timeout past a timer': { args: () => ['lookup', PUBKEY, ...B, '--timeout', '2147483648'], code: usage, stderr: /^--timeout must be a whole number 1-2147483647, got "2147483648"$/ },
  'lookup: --timeout 0': { args: () => ['lookup', PUBKEY, ...B, '--timeout', '0'], code: usage, stderr: /^--timeout must be a whole number/ },
  'lookup: --timeout 1e3': { args: () => ['lookup', PUBKEY, ...B, '--timeout', '1e3'], code: usage, stderr: /^--timeout must be a whole number/ },
  'lookup: --seen empty': { args: () => ['lookup', PUBKEY, ...B, '--seen', ''], code: usage, stderr: /^--seen needs a file path \(or --no-seen\)$/ },
  'lookup: --seen a folder': { args: () => ['lookup', PUBKEY, ...B, '--seen', '/tmp'], code: usage, stderr: /^--seen \/tmp is a folder; name a file in it \(or --no-seen\)$/ },
  'lookup: IPv6 DHT node from the environment': { args: () => ['lookup', PUBKEY], code: usage, stderr: /IPv6 DHT nodes are not supported/ },

  'nat: unknown flag': { args: () => ['nat', '--frob'], code: usage, stderr: /unknown option '--frob'/, hint: true },
  'nat: one reflector IP': { args: () => ['nat', ...B], code: usage, stderr: /^nat needs at least two bootstrap nodes on different IPs/ },
  'nat: --port 70000': { args: () => ['nat', '--bootstrap', '127.0.0.1:9,127.0.0.2:9', '--port', '70000'], code: usage, stderr: /^--port must be a port number/ },
  'nat: --timeout past a timer': { args: () => ['nat', '--bootstrap', '127.0.0.1:9,127.0.0.2:9', '--timeout', '9999999999'], code: usage, stderr: /^--timeout must be a whole number 1-2147483647/ },

  'listen: unknown flag': { args: () => ['listen', '--frob'], code: usage, stderr: /unknown option '--frob'/, hint: true },
  'listen: --query-timeout past a timer': { args: () => ['listen', ...B, '--query-timeout', '2147483648'], code: usage, stderr: /^--query-timeout must be a whole number 1-2147483647/ },
  'listen: --allow not a key': { args: () => ['listen', ...B, '--allow', 'nope'], code: usage, stderr: /^not a public key/ },
  'listen: --host a name': { args: () => ['listen', ...B, '--host', 'example.org'], code: usage, stderr: /^--host must be an IPv4 address/ },
  'listen: key file holds null': { args: () => ['listen', ...B, '--key', key('null.json')], code: usage, stderr: /found null\)$/ },
  'listen: --host not on this host': { args: () => ['listen', ...B, '--key', key('good.json'), '--host', FOREIGN_IP], code: usage, stderr: /^cannot bind DHT socket to 203\.0\.113\.77:0: .*EADDRNOTAVAIL/ },

  'dial: unknown flag': { args: () => ['dial', PUBKEY, '--frob'], code: usage, stderr: /unknown option '--frob'/, hint: true },
  'dial: malformed pubkey': { args: () => ['dial', 'zz'.repeat(32), ...B], code: usage, stderr: /^not a public key/ },
  'dial: --query-timeout 0': { args: () => ['dial', PUBKEY, ...B, '--query-timeout', '0'], code: usage, stderr: /^--query-timeout must be a whole number/ },
  'dial: --relay-only with --no-relay': { args: () => ['dial', PUBKEY, ...B, '--relay-only', '--no-relay'], code: usage, stderr: /^--relay-only and --no-relay contradict each other/ },
  'dial: --port-mapping with --relay-only': { args: () => ['dial', PUBKEY, ...B, '--port-mapping', '--relay-only'], code: usage, stderr: /^--port-mapping and --relay-only contradict each other/ },
  'dial: IPv6 first introducer': { args: () => ['dial', PUBKEY, ...B, '--first-introducers', '[::1]:7001'], code: usage, stderr: /^bad --first-introducers: .*IPv6 DHT nodes are not supported/ },
  'dial: key file holds null': { args: () => ['dial', PUBKEY, ...B, '--key', key('null.json')], code: usage, stderr: /found null\)$/ },
  'dial: --host not on this host': { args: () => ['dial', PUBKEY, ...B, '--host', FOREIGN_IP], code: usage, stderr: /^cannot bind DHT socket to 203\.0\.113\.77:0: .*EADDRNOTAVAIL/ },

  'demo: unknown flag': { args: () => ['demo', '--frob'], code: usage, stderr: /unknown option '--frob'/, hint: true },
  'demo: --bytes past memory': { args: () => ['demo', '--loopback', '--bytes', '99999999999999'], code: usage, stderr: /^--bytes must be a whole number 1-1073741824/ },
  'demo: --bytes 0': { args: () => ['demo', '--loopback', '--bytes', '0'], code: usage, stderr: /^--bytes must be a whole number/ },
};

/** Runs the CLI; kills it and reports a hang at the deadline. */
function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; hung: boolean; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI_PATH, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, P2P_NODE_BOOTSTRAP: '', P2P_NODE_KEY: '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let hung = false;
  const timer = setTimeout(() => ((hung = true), child.kill('SIGKILL')), DEADLINE_MS);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, hung, stdout, stderr });
    }),
  );
}

/** "a: a: b" or "p2p-node: x: p2p-node: y": a re-wrap that says its prefix twice. */
function repeatedPrefix(message: string): string | null {
  const parts = message.split(': ');
  for (let i = 1; i < parts.length; i++) if (parts[i] === parts[i - 1]) return parts[i]!;
  const first = parts[0]!;
  return parts.length > 1 && message.indexOf(first, first.length) !== -1 ? first : null;
}

describe('bad input to every verb ends at once with one line on stderr', () => {
  beforeAll(async () => {
    const r = await run(['keygen', '--out', key('good.json')], {});
    expect(r.code).toBe(0);
  });

  it('the prefix check catches a repeated prefix', () => {
    expect(repeatedPrefix('record refused (too-large): record refused (too-large): 1205 bytes')).toBe('record refused (too-large)');
    expect(repeatedPrefix('cannot write /x: ENOENT: no such file')).toBeNull();
  });

  for (const [name, c] of Object.entries(CASES)) {
    it(name, async () => {
      const env = name.includes('from the environment') ? { P2P_NODE_BOOTSTRAP: '[::1]:7001' } : {};
      const r = await run(c.args(), env);
      expect(r.hung, `still running after ${DEADLINE_MS} ms; stderr: ${r.stderr}`).toBe(false);
      expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: c.code });
      expect(r.stdout).toBe('');
      const lines = r.stderr.split('\n');
      expect(lines.pop(), 'stderr ends with a newline').toBe('');
      expect(lines.length, r.stderr).toBe(c.hint ? 2 : 1);
      if (c.hint) expect(lines[1]).toMatch(HINT);
      expect(lines[0]).toMatch(/^p2p-node: /);
      const message = lines[0]!.slice('p2p-node: '.length);
      expect(message).toMatch(c.stderr);
      expect(repeatedPrefix(message), message).toBeNull();
      expect(message).not.toMatch(/p2p-node:|Error:|TimeoutOverflowWarning|Cannot read properties/);
    });
  }
});
