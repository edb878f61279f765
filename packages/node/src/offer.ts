import type { NatMapping, PunchOffer } from '@p2p-node/protos';
import type { NatProfile, PeerSide, Prediction, PredictionMethod } from '@p2p-node/punch';

const METHOD_OF: Record<NatMapping, PredictionMethod> = {
  none: 'no-nat',
  'port-preserving': 'port-preservation',
  'endpoint-independent': 'endpoint-independent',
  sequential: 'sequential',
  random: 'unpredictable',
  unknown: 'unpredictable',
};

/** Our side of a punch as signaling carries it: the port prediction, LAN endpoints and NAT profile. */
export function offerFrom(profile: NatProfile, prediction: Prediction, lanHosts: string[], rttMs: number): PunchOffer {
  return {
    publicEndpoints: prediction.ports.map((port) => ({ host: prediction.publicIp, port })),
    lanEndpoints: lanHosts.map((host) => ({ host, port: prediction.localPort })),
    nat: {
      mapping: profile.mapping,
      ...(profile.publicIp ? { publicIp: profile.publicIp } : {}),
      portPreserving: profile.portPreserving,
      delta: profile.delta,
    },
    localPort: prediction.localPort,
    rttMs: Math.round(rttMs),
  };
}

/** The peer's prediction as the punch planner wants it. */
export function predictionOf(offer: PunchOffer): Prediction {
  return {
    method: METHOD_OF[offer.nat.mapping],
    publicIp: offer.nat.publicIp || offer.publicEndpoints[0]?.host || '',
    ports: offer.publicEndpoints.map((e) => e.port),
    localPort: offer.localPort,
  };
}

/** A side of a punch as the connect policy takes it. */
export function sideOf(offer: PunchOffer): PeerSide {
  return { prediction: predictionOf(offer), lanEndpoints: offer.lanEndpoints, reachable: offer.nat.mapping === 'none' };
}
