import type { HostPort, PunchOffer } from '@p2p-node/protos';
import { PREDICTION_METHOD, type NatProfile, type PeerSide, type Prediction } from '@p2p-node/punch';

/*
 * The one place where punch's vocabulary (profile, prediction, side) and
 * signaling's (the offer) meet. An offer carries the NAT mapping rather than
 * the prediction method, and the predicted ports as endpoints: reading it
 * back gives the prediction the sender made (the planner needs method,
 * public IP, ports and local port; the delta is already in the ports).
 */

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

/** What a dial sends before any profile: a guess of port preservation, to be confirmed (see PunchOffer.provisional). */
export function provisionalOffer(lanHosts: string[], localPort: number): PunchOffer {
  return {
    publicEndpoints: [],
    lanEndpoints: lanHosts.map((host) => ({ host, port: localPort })),
    nat: { mapping: 'unknown' },
    localPort,
    rttMs: 0,
    provisional: true,
  };
}

/** The peer's prediction as the punch planner wants it. */
export function predictionOf(offer: PunchOffer): Prediction {
  return {
    method: PREDICTION_METHOD[offer.nat.mapping],
    publicIp: offer.nat.publicIp || offer.publicEndpoints[0]?.host || '',
    ports: offer.publicEndpoints.map((e) => e.port),
    localPort: offer.localPort,
  };
}

/** A side of a punch as the connect policy takes it. */
export function sideOf(offer: PunchOffer): PeerSide {
  const portMapped = offer.nat.portMapped === true;
  return {
    prediction: predictionOf(offer),
    lanEndpoints: offer.lanEndpoints,
    reachable: offer.nat.mapping === 'none' || portMapped,
    ...(portMapped ? { portMapped } : {}),
    ...(offer.ipv6Endpoints?.length ? { ipv6Endpoints: offer.ipv6Endpoints } : {}),
  };
}

/**
 * The dialer's side as its offer states it, or, for a provisional offer,
 * the listener's reading of its guess: port preservation of its punch port at
 * the address the forwarding introducer saw. Without that address there is
 * nothing to aim at (undefined): the dialer's follow-up request will say.
 */
export function dialerSideOf(offer: PunchOffer, observedDialer: HostPort | undefined): PeerSide | undefined {
  if (!offer.provisional) return sideOf(offer);
  if (!observedDialer || offer.localPort < 1) return undefined;
  const publicIp = observedDialer.host;
  const ipv6 = offer.ipv6Endpoints?.length ? { ipv6Endpoints: offer.ipv6Endpoints } : {};
  return { prediction: { method: 'port-preservation', publicIp, ports: [offer.localPort], localPort: offer.localPort }, lanEndpoints: offer.lanEndpoints, reachable: false, ...ipv6 };
}
