import { isIPv4 } from 'node:net';
import type { Command } from 'commander';
import { finished, pipeline } from 'node:stream/promises';
import { defaultKeyPath, parsePublicKey, readKeyFile, toHex } from '../key-file.js';
import type { PeerNode, PeerStream } from '../peer-node.js';
import { createCliPeer, parsePeerCliOptions } from '../cli-peer.js';
import { createLog, parseLogOptions, withLogOptions, type LogCliOptions } from '../log.js';
import { listenStatus, reportStatus } from '../status.js';
import { untilSignal } from '../until-signal.js';
import { loadNodeState, nodeStateOptions, nodeStatePathFor, rememberNodeState } from '../node-state.js';

interface ListenOptions extends LogCliOptions {
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
  withLogOptions(program.command('listen'))
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
      '\nBehind a NAT that maps ports on request (UPnP-IGD or NAT-PMP), a mapping is asked for once listening; stderr says "port mapped" and dialers then connect to it directly. It is removed when we stop.\nProgress goes to stderr; stdout carries only the connection\'s data. Stops on SIGINT/SIGTERM.\nA status line (table, records, connections, bytes) goes to stderr every --status-interval seconds and on SIGUSR1.',
    )
    .action(async (opts: ListenOptions) => {
      // Every option is checked before reading keys or binding sockets.
      const config = parsePeerCliOptions(opts);
      const allow = opts.allow !== undefined ? opts.allow.split(',').map((k) => parsePublicKey(k.trim())) : undefined;
      const logConfig = parseLogOptions(opts);
      const logger = createLog(logConfig, { command: 'listen' });
      const log = (line: string) => (line.startsWith('warning: ') ? logger.warn(line) : logger.info(line));
      const startedAt = Date.now();
      // Connections handed over (by path), open now, failed, and the bytes of those closed (open ones are read live).
      const counts = { direct: 0, lan: 0, relayed: 0, failed: 0, closedIn: 0, closedOut: 0 };
      const open = new Set<PeerStream>();
      let peer: PeerNode | undefined;
      // SIGUSR1 is ours from here on (by default it would open Node's inspector).
      const stopStatus = reportStatus(logger, logConfig.statusIntervalSec, () => {
        if (!peer) return undefined;
        let bytesIn = counts.closedIn;
        let bytesOut = counts.closedOut;
        for (const s of open) {
          bytesIn += s.bytesIn;
          bytesOut += s.bytesOut;
        }
        const { direct, lan, relayed, failed } = counts;
        return listenStatus({ nodes: peer.dht.tableSize(), records: peer.dht.storedItems(), direct, lan, relayed, open: open.size, failed, bytesIn, bytesOut }, Date.now() - startedAt);
      });
      const identity = await readKeyFile(opts.key, (m) => logger.warn(m));
      logger.debug('starting', { publicKey: toHex(identity.publicKey), keyFile: opts.key, bootstrap: config.bootstrap.map((b) => `${b.host}:${b.port}`), echo: opts.echo });
      const stopRequested = untilSignal();
      const onProgress = (phase: string, detail: string) => {
        if (phase === 'accept-failed') counts.failed++;
        const level = phase.endsWith('-failed') || phase === 'keepalive' ? 'warn' : 'info';
        logger[level](`${phase}: ${detail}`, { phase });
      };
      // A listener stays: it keeps its DHT node id across restarts, beside its key file.
      const statePath = nodeStatePathFor(opts.key);
      const savedState = await loadNodeState(statePath, (why) => log(`warning: ${why}`));
      const node = await createCliPeer(identity, { ...config, ...nodeStateOptions(savedState) }, onProgress);
      peer = node;
      let piped: PeerStream | undefined;
      let done: (() => void) | undefined;
      const firstClosed = new Promise<void>((resolve) => (done = resolve));
      const onConnection = (stream: PeerStream) => {
        const who = toHex(stream.remotePublicKey);
        counts[stream.info.path]++;
        open.add(stream);
        stream.once('close', () => {
          open.delete(stream);
          counts.closedIn += stream.bytesIn;
          counts.closedOut += stream.bytesOut;
        });
        logger.info(`connected: ${who} via ${stream.info.candidate} (${stream.info.path}, ${stream.info.method}) in ${Math.round(stream.info.timings.totalMs)} ms`, {
          event: 'connected',
          remotePublicKey: who,
          candidate: stream.info.candidate,
          path: stream.info.path,
          method: stream.info.method,
          totalMs: Math.round(stream.info.timings.totalMs),
        });
        stream.on('error', (err) => logger.warn(`connection ${who.slice(0, 8)}: ${err.message}`, { remotePublicKey: who }));
        if (opts.echo) {
          stream.pipe(stream);
          stream.once('close', () => logger.info(`closed: ${who}`, { event: 'closed', remotePublicKey: who, bytesIn: stream.bytesIn, bytesOut: stream.bytesOut }));
          return;
        }
        if (piped) {
          logger.warn(`refusing ${who}: already piping a connection to stdin/stdout`, { remotePublicKey: who });
          stream.destroy();
          return;
        }
        piped = stream;
        process.stdin.pipe(stream);
        // Done when both directions are: the dialer's bytes are out on stdout
        // and ours (stdin up to its EOF) have left. Stopping at the dialer's
        // end alone would drop what stdin still had for it.
        void Promise.all([pipeline(stream, process.stdout, { end: false }), finished(stream, { readable: false })])
          .catch((err: Error) => logger.warn(`connection: ${err.message}`))
          .finally(() => done?.());
      };
      try {
        const { offer } = await node.listen(onConnection, { ...(allow ? { allow } : {}), relay: opts.relay, portMapping: opts.portMapping });
        const externalIp = offer.nat.publicIp;
        await rememberNodeState(statePath, savedState, { nodeId: node.dht.nodeId(), ...(externalIp && isIPv4(externalIp) ? { externalIp } : {}) }, (why) => log(`warning: ${why}`));
        const dht = node.dht.address();
        logger.info(`listening as ${toHex(identity.publicKey)}`, { event: 'listening', publicKey: toHex(identity.publicKey), dhtNodeId: toHex(node.dht.nodeId()), dhtAddress: `${dht.host}:${dht.port}` });
        const why = await Promise.race([stopRequested, firstClosed.then(() => 'closed' as const)]);
        log(why === 'closed' ? 'connection closed' : `${why}: stopping`);
      } finally {
        stopStatus();
        process.stdin.unpipe();
        process.stdin.destroy();
        await node.close();
      }
    });
}
