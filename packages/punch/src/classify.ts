import type { MappingKind, NatProfile, Observation } from './profile-types.js';

export interface ClassifyOptions {
  /** Largest step between consecutive mappings still called sequential. */
  maxDelta?: number;
}

/**
 * Classifies a NAT from reflector observations, made in order, mostly from
 * one local port (`localPort`) towards reflectors on different IPs.
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
  const lastMappedPort = last.observed.port;
  const fromPort = observations.filter((o) => o.local.port === localPort);
  const mappedPort = fromPort.at(-1)?.observed.port ?? 0;
  const result = (mapping: MappingKind, reason: string, extra: Partial<NatProfile> = {}): NatProfile => ({
    ...base,
    mapping,
    publicIp,
    lastMappedPort,
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
  const steps: number[] = [];
  for (let i = 1; i < observations.length; i++) steps.push(observations[i]!.observed.port - observations[i - 1]!.observed.port);
  const sameSign = steps.every((s) => s > 0) || steps.every((s) => s < 0);
  const small = steps.every((s) => s !== 0 && Math.abs(s) <= maxDelta);
  if (sameSign && small) {
    // Other hosts behind the same NAT may take ports in between our probes:
    // the smallest step is the NAT's own increment.
    const delta = steps.reduce((a, b) => (Math.abs(b) < Math.abs(a) ? b : a));
    return result('sequential', `consecutive mappings stepped by ${steps.join(', ')}`, { delta });
  }
  return result('random', `consecutive mappings stepped by ${steps.join(', ')}: no pattern`);
}
