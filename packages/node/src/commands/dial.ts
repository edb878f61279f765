import type { Command } from 'commander';
import { generateIdentity } from '@p2p-node/dht-signal';
import { parseHostPortsOrNone } from '../cli-args.js';
import { parsePublicKey, readKeyFile, toHex } from '../key-file.js';
import { createCliPeer, logErr, parsePeerCliOptions } from '../cli-peer.js';
import { StreamOpenError } from '../keyed-stream.js';
import { RelayError } from '../relay-client.js';
import { DialError, relayDialError } from '../peer-errors.js';
import { CliError, ExitCode } from '../exit-codes.js';

interface DialOptions {
  key?: string;
  bootstrap?: string;
  host: string;
  json: boolean;
  queryTimeout?: string;
  firstIntroducers?: string;
  relay: boolean;
  portMapping: boolean;
  relayOnly: boolean;
}

export function registerDial(program: Command): void {
  program
    .command('dial')
    .description('connect to a peer by public key and pipe stdin/stdout through the encrypted stream, like netcat')
    .argument('<pubkey>', 'the peer to dial: 64 hex characters')
    .option('--key <file>', 'our identity (default: a fresh one for this dial)')
    .option('--bootstrap <list>', 'DHT nodes to join, HOST:PORT,... (default: $P2P_NODE_BOOTSTRAP)')
    .option('--host <ip>', 'address to bind the DHT node (UDP)', '0.0.0.0')
    .option('--json', 'print one JSON stats object on stderr at the end', false)
    .option('--query-timeout <ms>', 'DHT query timeout')
    .option('--first-introducers <list>', 'where the first request goes before the record is known, HOST:PORT,... or none to wait for the record (default: the bootstrap nodes)')
    .option('--no-relay', 'direct paths only: fail (exit 6) rather than go through the listener\'s relay')
    .option('--relay-only', 'go straight to the listener\'s relay, no punch (for testing a relay)', false)
    .option('--port-mapping', 'ask our NAT for a port mapping (UPnP-IGD, NAT-PMP) and let the listener connect to it: a direct path where our NAT maps randomly; waits up to 2 s for the gateway', false)
    .addHelpText(
      'after',
      '\nEOF on stdin half-closes the stream; the peer closing ends the process.\nWhen no punch can work (or one is slow) the dial meets the listener at its relay, which carries only ciphertext; stderr says "relayed".\nExit codes: 0 clean close, 3 not found, 4 invalid record, 5 expired record, 6 no path (punch failed, and the relay if tried), 7 wrong key, 8 refused by the listener, 9 signaling failed, 10 relay busy, 11 listener busy (try again later), 12 lookup incomplete (out of time, or no DHT node answered).',
    )
    .action(async (pubkey: string, opts: DialOptions) => {
      const target = parsePublicKey(pubkey);
      // Every option is checked before reading keys or binding sockets.
      const config = parsePeerCliOptions(opts);
      const firstIntroducers = opts.firstIntroducers === undefined ? undefined : parseHostPortsOrNone(opts.firstIntroducers, '--first-introducers');
      if (opts.relayOnly && !opts.relay) throw new CliError('--relay-only and --no-relay contradict each other', ExitCode.usage);
      if (opts.relayOnly && opts.portMapping) throw new CliError('--port-mapping and --relay-only contradict each other: a relayed dial has no use for a mapped port', ExitCode.usage);
      const relay = opts.relayOnly ? 'only' : opts.relay ? 'auto' : 'never';
      const identity = opts.key ? await readKeyFile(opts.key) : generateIdentity();
      const log = logErr;
      const t0 = performance.now();
      // A dial process does not stay: read-only (BEP 43), so no routing table keeps its port.
      const node = await createCliPeer(identity, { ...config, dhtReadOnly: true });
      try {
        const stream = await node.dial(target, { ...(firstIntroducers ? { firstIntroducers } : {}), relay, portMapping: opts.portMapping });
        const connectedAt = performance.now();
        const i = stream.info;
        log(`connected: ${toHex(target)} via ${i.candidate} (${i.path}, ${i.method}) in ${Math.round(performance.now() - t0)} ms`);
        let bytesIn = 0;
        let bytesOut = 0;
        let firstByteMs: number | undefined;
        stream.on('data', (d: Buffer) => {
          // From the start of dial() (lookup) to the first byte the peer sent us.
          firstByteMs ??= i.timings.totalMs + (performance.now() - connectedAt);
          bytesIn += d.length;
        });
        process.stdin.on('data', (d: Buffer) => (bytesOut += d.length));
        process.stdin.pipe(stream);
        stream.pipe(process.stdout, { end: false });
        await new Promise<void>((resolve, reject) => {
          stream.once('end', resolve);
          stream.once('error', (err) =>
            reject(
              // Zero round trip: a peer that cannot prove the key on the socket shows here, after "connected",
              // and so does a relay circuit that never formed (the relay busy, the peer never there).
              err instanceof StreamOpenError
                ? new DialError('wrong-key', `the peer at ${i.candidate} did not prove it holds ${toHex(target)}: ${err.message}`, { cause: err })
                : err instanceof RelayError
                  ? relayDialError(err, toHex(target))
                  : err,
            ),
          );
        });
        await new Promise<void>((resolve) => (process.stdout.writableNeedDrain ? process.stdout.once('drain', resolve) : resolve()));
        // Our side already reached stdin's EOF: let those bytes leave before closing.
        if (stream.writableEnded && !stream.writableFinished) await new Promise((resolve) => (stream.once('finish', resolve), stream.once('close', resolve)));
        if (opts.json) {
          const { remotePublicKey: _key, ...rest } = i;
          log(JSON.stringify({ remotePublicKey: toHex(target), ...rest, firstByteMs: firstByteMs ?? null, bytesIn, bytesOut, elapsedMs: Math.round(performance.now() - t0) }));
        }
      } finally {
        process.stdin.unpipe();
        process.stdin.destroy();
        await node.close();
      }
    });
}
