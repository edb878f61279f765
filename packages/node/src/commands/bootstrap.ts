import type { Command } from 'commander';
import { DhtNode, serveIntroducer, type HostPort } from '@p2p-node/dht-signal';
import { startReflector, type Reflector } from '@p2p-node/punch';
import { checkFilePathOption, parseBindHost, parsePort, parsePositiveInt, resolveBootstrap } from '../cli-args.js';
import { keepBootstrapNodeId } from '../bootstrap-node-id.js';
import { loadNodeState, type NodeState } from '../node-state.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { createLog, parseLogOptions, withLogOptions, type LogCliOptions } from '../log.js';
import { DEFAULT_RELAY_LIMITS, RelayServer, type RelayLimits } from '../relay-server.js';
import { bootstrapStatus, reportStatus } from '../status.js';
import { untilSignal } from '../until-signal.js';

interface BootstrapOptions extends LogCliOptions {
  host: string;
  port: string;
  bootstrap?: string;
  relay: boolean;
  relayPort?: string;
  relayCircuits: string;
  relayPerIp: string;
  relayRate: string;
  relayDuration: string;
  relayDraining: string;
  state?: string;
}

const MIB = 1024 * 1024;

export function registerBootstrap(program: Command): void {
  const d = DEFAULT_RELAY_LIMITS;
  withLogOptions(program.command('bootstrap'))
    .description('run a long-lived DHT node (and TCP reflector on the same port number, and a circuit relay) that others can bootstrap from')
    .option('--host <ip>', 'address to bind (UDP)', '0.0.0.0')
    .option('--port <n>', 'UDP port to bind', '6881')
    .option('--bootstrap <list>', 'other nodes to join, HOST:PORT,... (default: $P2P_NODE_BOOTSTRAP, else start a new DHT)')
    .option('--no-relay', 'do not relay circuits for peers that cannot punch')
    .option('--relay-port <n>', 'TCP port of the circuit relay (default: the UDP port + 1; listeners learn it when they register)')
    .option('--relay-circuits <n>', 'most circuits at once, waiting halves included', String(d.maxCircuits))
    .option('--relay-per-ip <n>', 'most circuits at once with a half from one IP', String(d.maxCircuitsPerIp))
    .option('--relay-rate <MiB/s>', 'most bytes per second per circuit and direction, in MiB (0: no limit)', String(d.bytesPerSecond / MIB))
    .option('--relay-duration <s>', 'a circuit is cut after this many seconds', String(d.maxDurationMs / 1000))
    .option('--relay-draining <n>', 'most refused connections kept open at once until the newcomer has read why (past this: closed at once)', String(d.maxRefusedDraining))
    .option('--state <file>', 'keep the DHT node id in this file across restarts (made if missing); without it each start takes a new id')
    .addHelpText('after', '\nPrints one line "ready HOST:PORT" on stdout when it serves, then the relay\'s limits on stderr; stops cleanly on SIGINT/SIGTERM.\nA status line (table, records, introductions, relay) goes to stderr every --status-interval seconds and on SIGUSR1.')
    .action(async (opts: BootstrapOptions) => {
      const bootstrap = resolveBootstrap(opts.bootstrap, { required: false });
      const host = parseBindHost(opts.host, '--host');
      const port = parsePort(opts.port, '--port');
      const limits = parseRelayLimits(opts);
      const relayPortOpt = opts.relayPort === undefined ? undefined : parsePort(opts.relayPort, '--relay-port');
      const logConfig = parseLogOptions(opts);
      const statePath = opts.state === undefined ? undefined : await checkFilePathOption(opts.state, '--state', 'or leave --state out for a new id each start');
      const log = createLog(logConfig, { command: 'bootstrap' });
      const savedState = statePath ? await loadNodeState(statePath, (why) => log.warn(`warning: ${why}`)) : undefined;
      const startedAt = Date.now();
      let status: (() => ReturnType<typeof bootstrapStatus>) | undefined;
      // SIGUSR1 is ours from here on: a supervisor may send it any time (by default it would open Node's inspector).
      const stopStatus = reportStatus(log, logConfig.statusIntervalSec, () => status?.());
      // Listen for signals before printing any ready line: a supervisor that
      // stops us as soon as it reads the line must not hit the default action.
      const stopRequested = untilSignal();
      const { node, reflector } = await startNodeAndReflector(host, port, bootstrap, savedState);
      const addr = node.address();
      let relay: RelayServer | undefined;
      try {
        relay = opts.relay ? await startRelay(host, relayPortOpt, port, limits) : undefined;
      } catch (err) {
        await Promise.all([reflector.close(), node.stop()]);
        throw err;
      }
      // Every bootstrap node also relays punch requests to listeners registered with it, and tells them where its relay is.
      const introducer = serveIntroducer(node, relay ? { relayPort: relay.address().port } : {});
      status = () => {
        const i = introducer.stats();
        const r = relay?.stats();
        return bootstrapStatus(
          {
            nodes: node.tableSize(),
            records: node.storedItems(),
            registrations: i.registrations,
            introductions: i.answered,
            ...(r ? { relay: { circuits: r.spliced, open: r.circuits, bytes: r.bytes } } : {}),
          },
          Date.now() - startedAt,
        );
      };
      process.stdout.write(`ready ${addr.host}:${addr.port} (udp dht + introducer, tcp reflector${relay ? `, tcp relay ${relay.address().port}` : ''}; ${node.tableSize()} peers known)\n`);
      log.debug('serving', { dht: `${addr.host}:${addr.port}`, bootstrap: bootstrap.map((b) => `${b.host}:${b.port}`), statusIntervalSec: logConfig.statusIntervalSec });
      if (relay) log.info(relay.toString(), { relay: relay.address().port, limits: relay.limits });
      else log.info('relay off (--no-relay)');
      const keptId = keepBootstrapNodeId(node, statePath, savedState, log);
      const sig = await stopRequested;
      stopStatus();
      log.info(`${sig}: stopping`, { signal: sig });
      introducer.stop();
      await Promise.all([reflector.close(), node.stop(), relay?.close(), keptId]);
    });
}

/** Tries for a UDP port (picked by the system, --port 0) whose number is free on TCP too. */
const PORT_PAIR_ATTEMPTS = 8;

/**
 * The DHT node and the TCP reflector, which shares the UDP port's number so
 * that a bootstrap list is also a reflector list. With --port 0 the system
 * picks a free UDP port whose TCP twin may be taken (any outgoing connection
 * on this host can hold it): then another UDP port is tried.
 */
async function startNodeAndReflector(host: string, port: number, bootstrap: HostPort[], saved: NodeState | undefined): Promise<{ node: DhtNode; reflector: Reflector }> {
  // A --host that is a public address is the one to derive the id from (BEP 42); else the saved one, until peers tell.
  const externalIp = host !== '0.0.0.0' ? host : saved?.externalIp;
  for (let attempt = 1; ; attempt++) {
    const node = await DhtNode.start({ host, port, bootstrap, ...(saved ? { nodeId: saved.nodeId } : {}), ...(externalIp ? { externalIp } : {}) });
    const addr = node.address();
    try {
      return { node, reflector: await startReflector({ host, port: addr.port }) };
    } catch (err) {
      await node.stop();
      const retry = port === 0 && (err as NodeJS.ErrnoException).code === 'EADDRINUSE' && attempt < PORT_PAIR_ATTEMPTS;
      if (!retry) throw new Error(`cannot start the TCP reflector on ${addr.host}:${addr.port}: ${(err as Error).message}`);
    }
  }
}

/**
 * The relay on --relay-port, else on the UDP port + 1 (any free port when
 * that one is taken or the UDP port was 0): listeners learn the port when
 * they register, so only a firewall needs it fixed.
 */
async function startRelay(host: string, explicit: number | undefined, udpPort: number, limits: Partial<RelayLimits>): Promise<RelayServer> {
  const wanted = explicit ?? (udpPort > 0 && udpPort < 65535 ? udpPort + 1 : 0);
  try {
    return await RelayServer.listen(host, wanted, limits);
  } catch (err) {
    if (explicit === undefined && wanted !== 0 && (err as NodeJS.ErrnoException).code === 'EADDRINUSE') return RelayServer.listen(host, 0, limits);
    throw new Error(`cannot start the relay on tcp ${host}:${wanted}: ${(err as Error).message} (--relay-port to choose another, --no-relay for none)`);
  }
}

function parseRelayLimits(opts: BootstrapOptions): Partial<RelayLimits> {
  const rate = Number(opts.relayRate);
  if (!/^\d+(\.\d+)?$/.test(opts.relayRate) || !(rate >= 0) || rate > 1_000_000) {
    throw new CliError(`--relay-rate must be MiB per second (0 for no limit), got ${JSON.stringify(opts.relayRate)}`, ExitCode.usage);
  }
  return {
    maxCircuits: parsePositiveInt(opts.relayCircuits, '--relay-circuits', 1_000_000),
    maxCircuitsPerIp: parsePositiveInt(opts.relayPerIp, '--relay-per-ip', 1_000_000),
    bytesPerSecond: Math.round(rate * MIB),
    maxDurationMs: parsePositiveInt(opts.relayDuration, '--relay-duration', Math.floor(2 ** 31 / 1000) - 1) * 1000,
    maxRefusedDraining: parsePositiveInt(opts.relayDraining, '--relay-draining', 1_000_000),
  };
}
