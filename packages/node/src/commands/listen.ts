import type { Command } from 'commander';
import { finished, pipeline } from 'node:stream/promises';
import { defaultKeyPath, parsePublicKey, readKeyFile, toHex } from '../key-file.js';
import type { PeerStream } from '../peer-node.js';
import { createCliPeer, logErr, parsePeerCliOptions } from '../cli-peer.js';
import { untilSignal } from '../until-signal.js';

interface ListenOptions {
  key: string;
  bootstrap?: string;
  host: string;
  echo: boolean;
  allow?: string;
  queryTimeout?: string;
  relay: boolean;
  portMapping: boolean;
}

export function registerListen(program: Command): void {
  program
    .command('listen')
    .description('publish this peer and accept dials: pipe the first connection to stdin/stdout (like nc -l), or echo every connection back')
    .option('--key <file>', 'key file from `p2p-node keygen`', defaultKeyPath())
    .option('--bootstrap <list>', 'DHT nodes to join, HOST:PORT,... (default: $P2P_NODE_BOOTSTRAP)')
    .option('--host <ip>', 'address to bind the DHT node (UDP)', '0.0.0.0')
    .option('--echo', 'echo every connection back to its dialer, keep serving', false)
    .option('--allow <pubkeys>', 'accept only these dialers (comma-separated 64-hex keys)')
    .option('--query-timeout <ms>', 'DHT query timeout')
    .option('--no-relay', 'do not name our introducers\' relays to dialers (only direct paths reach us)')
    .option('--no-port-mapping', 'do not ask our NAT for a port mapping (UPnP-IGD, NAT-PMP)')
    .addHelpText(
      'after',
      '\nBehind a NAT that maps ports on request (UPnP-IGD or NAT-PMP), a mapping is asked for once listening; stderr says "port mapped" and dialers then connect to it directly. It is removed when we stop.\nProgress goes to stderr; stdout carries only the connection\'s data. Stops on SIGINT/SIGTERM.',
    )
    .action(async (opts: ListenOptions) => {
      // Every option is checked before reading keys or binding sockets.
      const config = parsePeerCliOptions(opts);
      const allow = opts.allow !== undefined ? opts.allow.split(',').map((k) => parsePublicKey(k.trim())) : undefined;
      const identity = await readKeyFile(opts.key);
      const stopRequested = untilSignal();
      const log = logErr;
      const node = await createCliPeer(identity, config);
      let piped: PeerStream | undefined;
      let done: (() => void) | undefined;
      const firstClosed = new Promise<void>((resolve) => (done = resolve));
      const onConnection = (stream: PeerStream) => {
        const who = toHex(stream.remotePublicKey);
        log(`connected: ${who} via ${stream.info.candidate} (${stream.info.path}, ${stream.info.method}) in ${Math.round(stream.info.timings.totalMs)} ms`);
        stream.on('error', (err) => log(`connection ${who.slice(0, 8)}: ${err.message}`));
        if (opts.echo) {
          stream.pipe(stream);
          stream.once('close', () => log(`closed: ${who}`));
          return;
        }
        if (piped) {
          log(`refusing ${who}: already piping a connection to stdin/stdout`);
          stream.destroy();
          return;
        }
        piped = stream;
        process.stdin.pipe(stream);
        // Done when both directions are: the dialer's bytes are out on stdout
        // and ours (stdin up to its EOF) have left. Stopping at the dialer's
        // end alone would drop what stdin still had for it.
        void Promise.all([pipeline(stream, process.stdout, { end: false }), finished(stream, { readable: false })])
          .catch((err: Error) => log(`connection: ${err.message}`))
          .finally(() => done?.());
      };
      try {
        await node.listen(onConnection, { ...(allow ? { allow } : {}), relay: opts.relay, portMapping: opts.portMapping });
        log(`listening as ${toHex(identity.publicKey)}`);
        const why = await Promise.race([stopRequested, firstClosed.then(() => 'closed' as const)]);
        log(why === 'closed' ? 'connection closed' : `${why}: stopping`);
      } finally {
        process.stdin.unpipe();
        process.stdin.destroy();
        await node.close();
      }
    });
}
