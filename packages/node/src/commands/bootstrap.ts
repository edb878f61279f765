import type { Command } from 'commander';
import { DhtNode, serveIntroducer } from '@p2p-node/dht-signal';
import { startReflector } from '@p2p-node/punch';
import { parseBindHost, parsePort, resolveBootstrap } from '../cli-args.js';
import { untilSignal } from '../until-signal.js';

export function registerBootstrap(program: Command): void {
  program
    .command('bootstrap')
    .description('run a long-lived DHT node (and TCP reflector on the same port number) that others can bootstrap from')
    .option('--host <ip>', 'address to bind (UDP)', '0.0.0.0')
    .option('--port <n>', 'UDP port to bind', '6881')
    .option('--bootstrap <list>', 'other nodes to join, HOST:PORT,... (default: $P2P_NODE_BOOTSTRAP, else start a new DHT)')
    .addHelpText('after', '\nPrints one line "ready HOST:PORT" on stdout when it serves; stops cleanly on SIGINT/SIGTERM.')
    .action(async (opts: { host: string; port: string; bootstrap?: string }) => {
      const bootstrap = resolveBootstrap(opts.bootstrap, { required: false });
      const host = parseBindHost(opts.host, '--host');
      const port = parsePort(opts.port, '--port');
      // Listen for signals before printing any ready line: a supervisor that
      // stops us as soon as it reads the line must not hit the default action.
      const stopRequested = untilSignal();
      const node = await DhtNode.start({ host, port, bootstrap });
      const addr = node.address();
      // The TCP reflector shares the UDP port's number, so a bootstrap list is also a reflector list.
      const reflector = await startReflector({ host, port: addr.port }).catch(async (err: Error) => {
        await node.stop();
        throw new Error(`cannot start the TCP reflector on ${addr.host}:${addr.port}: ${err.message}`);
      });
      // Every bootstrap node also relays punch requests to listeners registered with it.
      const introducer = serveIntroducer(node);
      process.stdout.write(`ready ${addr.host}:${addr.port} (udp dht + introducer, tcp reflector; ${node.tableSize()} peers known)\n`);
      const sig = await stopRequested;
      process.stderr.write(`${sig}: stopping\n`);
      introducer.stop();
      await Promise.all([reflector.close(), node.stop()]);
    });
}
