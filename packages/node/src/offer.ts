import type { HostPort, MappingKind, NatProfile, Prediction, PredictionMethod } from '@p2p-node/punch';

/**
 * What one side tells the other before a punch: its port prediction, its LAN
 * endpoints and its NAT profile. Transport-neutral: signaling carries it.
 */
export interface Offer {
  /** The predicted public endpoints (one public IP, one or more ports). */
  publicEndpoints: HostPort[];
  lanEndpoints: HostPort[];
  mapping: MappingKind;
  publicIp: string;
  delta: number;
  localPort: number;
  /** The sender's round trip to the public side (reflectors/introducer), ms. */
  rttMs: number;
}

const METHOD_OF: Record<MappingKind, PredictionMethod> = {
  none: 'no-nat',
  'port-preserving': 'port-preservation',
  'endpoint-independent': 'endpoint-independent',
  sequential: 'sequential',
  random: 'unpredictable',
  unknown: 'unpredictable',
};

export function offerFrom(profile: NatProfile, prediction: Prediction, lanHosts: string[], rttMs: number): Offer {
  return {
    publicEndpoints: prediction.ports.map((port) => ({ host: prediction.publicIp, port })),
    lanEndpoints: lanHosts.map((host) => ({ host, port: prediction.localPort })),
    mapping: profile.mapping,
    publicIp: prediction.publicIp,
    delta: profile.delta,
    localPort: prediction.localPort,
    rttMs: Math.round(rttMs),
  };
}

/** The peer's prediction as the planner wants it. */
export function predictionOf(offer: Offer): Prediction {
  return {
    method: METHOD_OF[offer.mapping],
    publicIp: offer.publicIp || offer.publicEndpoints[0]?.host || '',
    ports: offer.publicEndpoints.map((e) => e.port),
    localPort: offer.localPort,
  };
}
