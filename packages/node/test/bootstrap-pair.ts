import { ChildCli } from '../src/child-cli.js';

/**
 * Two `p2p-node bootstrap` processes, on 127.0.0.1 and 127.0.0.2 (NAT
 * profiling needs reflectors on two addresses); pushed onto `into` as they
 * start, so the caller stops them even if the second never comes up.
 * Resolves with the bootstrap list, "HOST:PORT,HOST:PORT".
 */
export async function startBootstrapPair(into: ChildCli[]): Promise<string> {
  const a = new ChildCli(['bootstrap', '--host', '127.0.0.1', '--port', '0']);
  into.push(a);
  const aAddr = (await a.waitForLine(/^ready (\S+)/, 15_000))[1]!;
  const b = new ChildCli(['bootstrap', '--host', '127.0.0.2', '--port', '0', '--bootstrap', aAddr]);
  into.push(b);
  return `${aAddr},${(await b.waitForLine(/^ready (\S+)/, 15_000))[1]!}`;
}
