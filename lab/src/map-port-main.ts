/*
 * Run on a lab host behind a NAT box: asks the box for a TCP port mapping
 * with @p2p-node/punch's mapPort (as a listener does), holds it for
 * --hold-ms while the lab watches the box, then releases it. A TCP server
 * listens on the mapped local port the whole time.
 *
 * Usage: node map-port-main.js --reflector IP [--lease S] [--renew-ms N] [--hold-ms N]
 * Prints one JSON line {"external":...,"protocol":...,"localPort":...} once
 * mapped, "renew failed: ..." for a failed renewal, "released" at the end;
 * exits 1 with "no mapping: ..." when none was made.
 */
import { createServer, type AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { gatewayTowards, mapPort } from '@p2p-node/punch';

const arg = (name: string, dflt?: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i > 0 ? process.argv[i + 1] : dflt;
  if (v === undefined) throw new Error(`--${name} is required`);
  return v;
};

async function main(): Promise<number> {
  const reflector = arg('reflector');
  const leaseSec = Number(arg('lease', '3600'));
  const holdMs = Math.min(Number(arg('hold-ms', '10000')), 120_000);
  const renewEveryMs = Number(arg('renew-ms', String((leaseSec * 1000) / 2)));
  const server = createServer((s) => s.end('mapped\n'));
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  const localPort = (server.address() as AddressInfo).port;
  const localHost = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
  const gateway = await gatewayTowards(reflector);
  if (!localHost || !gateway) {
    console.log(`no mapping: no LAN address (${localHost}) or no gateway towards ${reflector} (${gateway})`);
    server.close();
    return 1;
  }
  try {
    const mapping = await mapPort({ localPort, localHost, gateway, leaseSec, renewEveryMs, onRenewFailed: (err) => console.log(`renew failed: ${err.message}`) });
    console.log(JSON.stringify({ external: mapping.external, protocol: mapping.protocol, localPort }));
    await new Promise((r) => setTimeout(r, holdMs));
    await mapping.release();
    console.log('released');
    return 0;
  } catch (err) {
    console.log(`no mapping: ${(err as Error).message}`);
    return 1;
  } finally {
    server.close();
  }
}

process.exitCode = await main();
