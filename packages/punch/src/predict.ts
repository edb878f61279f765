import type { MappingKind, NatProfile } from './profile-types.js';

/** How our public endpoint for the next punch is guessed (the seed's three methods, plus none). */
export type PredictionMethod = 'no-nat' | 'port-preservation' | 'endpoint-independent' | 'sequential' | 'unpredictable';

/** What a peer publishes about itself so the other side can aim its SYNs. */
export interface Prediction {
  method: PredictionMethod;
  publicIp: string;
  /** Likely public ports, best first; empty when unpredictable. */
  ports: number[];
  /** The local port the punch must be made from. */
  localPort: number;
}

/**
 * The method each mapping is predicted by. An offer carries the mapping, not
 * the method, so a peer's prediction is read back through this same table.
 */
export const PREDICTION_METHOD: Readonly<Record<MappingKind, PredictionMethod>> = {
  none: 'no-nat',
  'port-preserving': 'port-preservation',
  'endpoint-independent': 'endpoint-independent',
  sequential: 'sequential',
  random: 'unpredictable',
  unknown: 'unpredictable',
};

export interface PredictOptions {
  /** How many sequential guesses to offer (covers other traffic and our own retries). */
  window?: number;
}

/**
 * Predicts the public port that the NAT will give `profile.localPort` for the
 * next connection, by the seed's methods:
 * - port preservation: the local port itself;
 * - endpoint-independent mapping: the port observed for this local port
 *   (the caller must keep that mapping alive until the punch);
 * - sequential: the last observed mapping plus delta, then a few more steps.
 */
export function predict(profile: NatProfile, opts: PredictOptions = {}): Prediction {
  const window = Math.max(1, opts.window ?? 8);
  const publicIp = profile.publicIp ?? '';
  const localPort = profile.localPort;
  const method = PREDICTION_METHOD[profile.mapping];
  switch (profile.mapping) {
    case 'none':
    case 'port-preserving':
      return { method, publicIp, ports: [localPort], localPort };
    case 'endpoint-independent':
      // Also offer the local port: a port-overloading NAT (CGN) that had to
      // move us off our port for the reflectors (another host behind it held
      // the same port towards the same reflector) still keeps our port
      // towards a destination nobody else talks to.
      return {
        method,
        publicIp,
        ports: profile.mappedPort === localPort ? [localPort] : [profile.mappedPort, localPort],
        localPort,
      };
    case 'sequential': {
      const ports: number[] = [];
      for (let k = 1; k <= window; k++) {
        const p = profile.lastMappedPort + k * profile.delta;
        if (p >= 1 && p <= 65535) ports.push(p);
      }
      return { method, publicIp, ports, localPort };
    }
    case 'random':
    case 'unknown':
      return { method, publicIp, ports: [], localPort };
  }
}

/** True when a peer behind this prediction receives SYNs on one public endpoint for many remote ports. */
export function sharesOnePublicPort(p: Prediction): boolean {
  return p.method === 'no-nat' || p.method === 'port-preservation' || p.method === 'endpoint-independent';
}
