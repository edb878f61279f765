// hyperdht processes in the NAT lab for bench/vs-hyperdht.mjs: bootstrap
// nodes on the lab's public hosts, an echo server behind a NAT, and one fresh
// dialer process per dial, each in its host's namespace.
import { fileURLToPath } from 'node:url';
import { spawnInNs, stopProcess, waitForLine } from '@p2p-node/lab/procs';

const PEER = fileURLToPath(new URL('./hyperdht-peer.mjs', import.meta.url));
export const HYPERDHT_PORT = 49737;

const run = (ns, args) => spawnInNs(ns, process.execPath, [PEER, ...args]);

/**
 * Starts `perHost` non-ephemeral hyperdht nodes on each public host (ports
 * HYPERDHT_PORT, +1, ...), each joining the ones before it. A peer classifies
 * its NAT from pongs of 4 distinct DHT nodes before it punches, so a network
 * of only two nodes aborts every punch. Resolves with the peers' bootstrap
 * list: the first node of each host, the others are found through them.
 */
export async function startHyperBootstrap(reflectors, perHost = 3) {
  const seeds = [];
  for (let i = 0; i < perHost; i++) {
    for (const r of reflectors) {
      const port = HYPERDHT_PORT + i;
      const child = run(r.ns, ['bootstrap', '--host', r.ip, '--port', String(port), '--bootstrap', seeds.slice(0, reflectors.length).join(',')]);
      await waitForLine(child, /^ready$/, 20_000);
      seeds.push(`${r.ip}:${port}`);
    }
  }
  return seeds.slice(0, reflectors.length).join(',');
}

/** Starts a blind relay on `host` (a public host); resolves once announced, with its public key. */
export async function startHyperRelay(host, bootstrap) {
  const child = run(host.ns, ['relay', '--bootstrap', bootstrap]);
  const line = await waitForLine(child, /^\{/, 30_000);
  return { child, publicKey: JSON.parse(line).publicKey, stop: () => stopProcess(child, 3_000) };
}

/** Starts the echo server on `host` (relaying through `relayThrough`, a relay's key, if given); resolves once it is announced, with its public key. */
export async function startHyperServer(host, bootstrap, relayThrough) {
  const child = run(host.ns, ['server', '--bootstrap', bootstrap, ...(relayThrough ? ['--relay-through', relayThrough] : [])]);
  const line = await waitForLine(child, /^\{/, 30_000);
  return { child, publicKey: JSON.parse(line).publicKey, stop: () => stopProcess(child, 3_000) };
}

/** One dial from a fresh process on `host`: its JSON result plus the process's wall time. */
export async function hyperDial(host, bootstrap, publicKey, bytes, { timeoutMs = 30_000, ready = false, relay } = {}) {
  const t0 = performance.now();
  const through = relay ? ['--relay-through', relay.publicKey, '--relay-host', relay.host] : [];
  const args = ['dial', publicKey, '--bootstrap', bootstrap, '--bytes', String(bytes), '--timeout', String(timeoutMs), ...(ready ? ['--ready'] : []), ...through];
  const child = run(host.ns, args);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const guard = setTimeout(() => void stopProcess(child), timeoutMs + 10_000);
  await new Promise((resolve) => child.once('exit', resolve));
  clearTimeout(guard);
  const wallMs = performance.now() - t0;
  const line = out.split('\n').find((l) => l.startsWith('{'));
  if (!line) return { ok: false, wallMs, error: err.trim().split('\n').slice(-1)[0] || `exit ${child.exitCode}` };
  return { ...JSON.parse(line), wallMs };
}
