import { requestPunch, SignalListener, type DhtNode, type HostPort, type Identity, type PunchOffer, type PunchReply, type PunchRequest } from '@p2p-node/dht-signal';

export interface SignalRegistration {
  /** The introducers that accepted us (they go into our record). */
  introducers: HostPort[];
  /** Circuit relays on our introducers' hosts (they said so when accepting us), best first. */
  relays(): HostPort[];
  stop(): void;
}

export interface SignalAnswer {
  offer: PunchOffer;
  /** Round trip of the request/answer exchange through the introducer, ms. */
  rttMs: number;
  introducer: HostPort;
  /** The listener's Noise reply. */
  session: Uint8Array;
  /** Signed refusal: our key is not in the listener's allow list. */
  refused: boolean;
}

/** How offers travel between dialer and listener: through DHT nodes acting as introducers. */
export interface Signaling {
  listen(
    dht: DhtNode,
    identity: Identity,
    introducers: HostPort[],
    onRequest: (request: PunchRequest) => Promise<PunchReply>,
    onIntroducersChanged: (accepted: HostPort[]) => void,
  ): Promise<SignalRegistration>;
  request(dht: DhtNode, identity: Identity, target: Uint8Array, introducers: HostPort[], offer: PunchOffer, session: Uint8Array): Promise<SignalAnswer>;
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
    return { introducers: accepted, relays: () => listener.relays(), stop: () => listener.stop() };
  },
  async request(dht, identity, target, introducers, offer, session) {
    const r = await requestPunch(dht, identity, { target, introducers, offer, session });
    return { offer: r.answer.offer, rttMs: r.rttMs, introducer: r.introducer, session: r.answer.session, refused: r.answer.refused };
  },
};
