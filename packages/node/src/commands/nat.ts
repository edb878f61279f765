import type { Command } from 'commander';
import { formatHostPort, predict, profileNat, type HostPort, type Prediction, type ProfileResult } from '@p2p-node/punch';
import { parsePort, parseTimerMs, resolveBootstrap } from '../cli-args.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { freeTcpPort } from '../free-port.js';

/*
 * `p2p-node nat`: this host's NAT profile, in the spirit of `tailscale
 * netcheck`. Every bootstrap node runs a TCP reflector on the TCP port equal
 * to its UDP DHT port, so the bootstrap list doubles as the reflector list.
 */

interface NatOptions {
  bootstrap?: string;
  port: string;
  timeout: string;
  json?: boolean;
}

/** The `--json` object: one per run, stable field names. */
export interface NatReport {
  publicIp: string | null;
  mapping: ProfileResult['mapping'];
  portPreserving: boolean;
  delta: number;
  localPort: number;
  mappedPort: number;
  prediction: Prediction;
  reason: string;
  rttMs: number;
  reflectors: { reflector: string; local: string; observed: string }[];
}

export function registerNat(program: Command): void {
  program
    .command('nat')
    .description("profile this host's NAT against the bootstrap nodes' TCP reflectors: public IP, mapping, port preservation, delta")
    .option('--bootstrap <list>', 'bootstrap nodes HOST:PORT,... (their TCP reflectors use the same ports; default: $P2P_NODE_BOOTSTRAP)')
    .option('--port <n>', 'local TCP port to profile (0: a free one)', '0')
    .option('--timeout <ms>', 'per-reflector timeout', '3000')
    .option('--json', 'print one JSON object instead of text')
    .action(async (opts: NatOptions) => {
      // Only TCP reflectors are asked here, so the DHT's IPv4-only rule does not apply.
      const reflectors = resolveBootstrap(opts.bootstrap, { required: true, anyFamily: true });
      if (new Set(reflectors.map((r) => r.host)).size < 2) {
        throw new CliError('nat needs at least two bootstrap nodes on different IPs (one cannot tell how the mapping depends on the destination)', ExitCode.usage);
      }
      const wanted = parsePort(opts.port, '--port');
      const timeoutMs = parseTimerMs(opts.timeout, '--timeout');
      const localPort = wanted === 0 ? await freeTcpPort() : wanted;
      const report = await natReport(reflectors, localPort, timeoutMs);
      process.stdout.write(opts.json ? JSON.stringify(report) + '\n' : formatNatReport(report));
      if (report.mapping === 'unknown') throw new CliError(`NAT profile incomplete: ${report.reason}`, ExitCode.error);
    });
}

export async function natReport(reflectors: HostPort[], localPort: number, timeoutMs: number): Promise<NatReport> {
  const profile = await profileNat({ reflectors, localPort, timeoutMs });
  return {
    publicIp: profile.publicIp,
    mapping: profile.mapping,
    portPreserving: profile.portPreserving,
    delta: profile.delta,
    localPort,
    mappedPort: profile.mappedPort,
    prediction: predict(profile),
    reason: profile.reason,
    rttMs: Math.round(profile.rttMs * 10) / 10,
    reflectors: profile.observations.map((o) => ({
      reflector: formatHostPort(o.reflector),
      local: formatHostPort(o.local),
      observed: formatHostPort(o.observed),
    })),
  };
}

export function formatNatReport(r: NatReport): string {
  const lines = [
    `public IP        ${r.publicIp ?? 'unknown'}`,
    `mapping          ${r.mapping}`,
    `port preserving  ${r.portPreserving ? 'yes' : 'no'}`,
    `delta            ${r.mapping === 'sequential' ? r.delta : '-'}`,
    `next punch from  local port ${r.localPort}: ${r.prediction.method}${r.prediction.ports.length ? ` -> ${r.prediction.ports.slice(0, 4).join(', ')}${r.prediction.ports.length > 4 ? ', ...' : ''}` : ''}`,
    `why              ${r.reason}`,
    `reflector RTT    ${r.rttMs} ms`,
    ...r.reflectors.map((o) => `  ${o.local.padEnd(22)} -> ${o.reflector.padEnd(22)} seen as ${o.observed}`),
  ];
  return lines.join('\n') + '\n';
}
