import type { MappingKind, NatProfile, Observation } from './profile-types.js';
import { sequentialStep } from './sequential.js';

export interface ClassifyOptions {
  /** Largest step between consecutive mappings still called sequential. */
  maxDelta?: number;
}

/**
 * Classifies a NAT from reflector observations, mostly from one local port
 * (`localPort`) towards reflectors on different IPs. The probes run in
 * parallel, so the order of `observations` says nothing for sure about the
 * order in which the NAT allocated the mappings; only the sequential test
 * looks at it, and only as a hint for the direction (see sequential.ts).
 *
 * Order of the tests matters: "same public port for two destinations" is
 * checked first because a port-preserving NAT also looks sequential when one
 * extra probe from another local port happens to land close by.
 */
export function classifyNat(localPort: number, observations: readonly Observation[], opts: ClassifyOptions = {}): NatProfile {
  const maxDelta = opts.maxDelta ?? 16;
  const base = { localPort, observations: [...observations], portPreserving: false, delta: 0 };
  const last = observations.at(-1);
  if (!last) {
    return { ...base, mapping: 'unknown', publicIp: null, lastMappedPort: 0, mappedPort: 0, reason: 'no reflector answered' };
  }
  const publicIp = last.observed.host;
  const fromPort = observations.filter((o) => o.local.port === localPort);
  const mappedPort = fromPort.at(-1)?.observed.port ?? 0;
  const result = (mapping: MappingKind, reason: string, extra: Partial<NatProfile> = {}): NatProfile => ({
    ...base,
    mapping,
    publicIp,
    lastMappedPort: last.observed.port,
    mappedPort,
    reason,
    ...extra,
  });

  const ips = new Set(observations.map((o) => o.observed.host));
  if (ips.size > 1) return result('random', `reflectors saw different public IPs (${[...ips].join(', ')})`);

  const distinctReflectorIps = new Set(fromPort.map((o) => o.reflector.host));
  if (distinctReflectorIps.size < 2) {
    return result('unknown', 'need answers from two reflectors on different IPs for the same local port');
  }

  if (observations.every((o) => o.observed.host === o.local.host && o.observed.port === o.local.port)) {
    return result('none', 'reflectors saw our local address: no NAT', { portPreserving: true });
  }

  const ports = new Set(fromPort.map((o) => o.observed.port));
  if (ports.size === 1) {
    if (mappedPort === localPort) {
      return result('port-preserving', `local port ${localPort} kept its number towards every reflector`, { portPreserving: true });
    }
    return result('endpoint-independent', `local port ${localPort} mapped to ${mappedPort} towards every reflector`);
  }

  // Every new connection got a new public port: look for a constant step.
  const seq = sequentialStep(observations.map((o) => o.observed.port), maxDelta);
  if (seq.ok) return result('sequential', seq.reason, { delta: seq.delta, lastMappedPort: seq.lastMappedPort });
  return result('random', seq.reason);
}
