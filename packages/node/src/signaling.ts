import { requestPunch, SignalListener, type DhtNode, type HostPort, type Identity, type PunchOffer, type PunchRequest } from '@p2p-node/dht-signal';

export interface SignalRegistration {
  /** The introducers that accepted us (they go into our record). */
  introducers: HostPort[];
  stop(): void;
}

export interface SignalAnswer {
  offer: PunchOffer;
  /** Round trip of the request/answer exchange through the introducer, ms. */
  rttMs: number;
  introducer: HostPort;
}

/** How offers travel between dialer and listener: through DHT nodes acting as introducers. */
export interface Signaling {
  listen(
    dht: DhtNode,
    identity: Identity,
    introducers: HostPort[],
    onRequest: (request: PunchRequest) => Promise<PunchOffer>,
    onIntroducersChanged: (accepted: HostPort[]) => void,
  ): Promise<SignalRegistration>;
  request(dht: DhtNode, identity: Identity, target: Uint8Array, introducers: HostPort[], offer: PunchOffer): Promise<SignalAnswer>;
}

export const dhtSignaling: Signaling = {
  async listen(dht, identity, introducers, onRequest, onIntroducersChanged) {
    const listener = await SignalListener.start(dht, { identity, introducers, onAcceptedChange: onIntroducersChanged }, onRequest);
    const accepted = listener.accepted();
    if (accepted.length === 0) {
      listener.stop();
      const why = listener
        .registrations()
        .map((r) => `${r.introducer.host}:${r.introducer.port}: ${r.error ?? 'no answer'}`)
        .join('; ');
      throw new Error(`no introducer accepted our registration, so no dialer could reach us (${why})`);
    }
    return { introducers: accepted, stop: () => listener.stop() };
  },
  async request(dht, identity, target, introducers, offer) {
    const r = await requestPunch(dht, identity, { target, introducers, offer });
    return { offer: r.answer.offer, rttMs: r.rttMs, introducer: r.introducer };
  },
};
