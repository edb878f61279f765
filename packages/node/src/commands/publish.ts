import type { Command } from 'commander';
import { DhtNode, RecordPublisher, type HostPort, type PublishResult } from '@p2p-node/dht-signal';
import { parseBindHost, parsePort, parseRepublishing, resolveBootstrap } from '../cli-args.js';
import { defaultKeyPath, readKeyFile, toHex } from '../key-file.js';
import { lanAddresses } from '../lan-addresses.js';
import { untilSignal } from '../until-signal.js';

interface PublishOptions {
  key: string;
  bootstrap?: string;
  host: string;
  port: string;
  tcpPort?: string;
  lifetime: string;
  republish: string;
}

export function registerPublish(program: Command): void {
  program
    .command('publish')
    .description("publish this peer's signed record in the DHT and keep it fresh until stopped")
    .option('--key <file>', 'key file from `p2p-node keygen`', defaultKeyPath())
    .option('--bootstrap <list>', 'DHT nodes to join, HOST:PORT,... (default: $P2P_NODE_BOOTSTRAP)')
    .option('--host <ip>', 'address to bind the DHT node (UDP)', '0.0.0.0')
    .option('--port <n>', 'UDP port for the DHT node (0: any)', '0')
    .option('--tcp-port <n>', 'TCP port to advertise (default: the UDP port)')
    .option('--lifetime <seconds>', 'how long a published record stays valid', '1200')
    .option('--republish <seconds>', 'how often to republish (records live on churning nodes)', '300')
    .action(async (opts: PublishOptions) => {
      const bootstrap = resolveBootstrap(opts.bootstrap, { required: true });
      const host = parseBindHost(opts.host, '--host');
      const port = parsePort(opts.port, '--port');
      // Port 0 means "any" only when binding; a record advertising it is undialable.
      const tcpPortFlag = opts.tcpPort === undefined ? undefined : parsePort(opts.tcpPort, '--tcp-port', { min: 1 });
      const { lifetimeSec, republishSec } = parseRepublishing(opts.lifetime, opts.republish);
      const id = await readKeyFile(opts.key);
      // Listen for signals before printing any ready line: a supervisor that
      // stops us as soon as it reads the line must not hit the default action.
      const stopRequested = untilSignal();
      // A client of the DHT, not a node others should route through: read-only (BEP 43).
      const node = await DhtNode.start({ host, port, bootstrap, readOnly: true });
      const tcpPort = tcpPortFlag ?? node.address().port;
      const publisher = new RecordPublisher(node, id, { lifetimeSec, republishIntervalMs: republishSec * 1000 });
      try {
        const publicEndpoints = await observedEndpoints(node, tcpPort);
        const lanEndpoints = lanAddresses(host).map((host) => ({ host, port: tcpPort }));
        const res = await publisher.publish({ publicEndpoints, lanEndpoints, introducers: [] });
        process.stdout.write(`published ${toHex(id.publicKey)} seq ${res.seq} on ${res.storedOn} nodes\n`);
        publisher.on('published', (r: PublishResult) => process.stdout.write(`republished seq ${r.seq} on ${r.storedOn} nodes\n`));
        // A failed republish is retried on the next tick of the timer; the process keeps serving.
        publisher.on('publish-failed', (err: Error) => process.stderr.write(`warning: republish failed: ${err.message}\n`));
        const sig = await stopRequested;
        process.stderr.write(`${sig}: stopping\n`);
      } finally {
        publisher.stop();
        await node.stop();
      }
    });
}

async function observedEndpoints(node: DhtNode, tcpPort: number): Promise<HostPort[]> {
  try {
    const seen = await node.observedAddress();
    return [{ host: seen.host, port: tcpPort }];
  } catch (err) {
    process.stderr.write(`warning: public address unknown (${(err as Error).message}); publishing LAN endpoints only\n`);
    return [];
  }
}
