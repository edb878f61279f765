import { formatHostPort as fmt, RecordPublisher, type DhtNode, type HostPort, type Identity, type PunchOffer, type PunchReply, type PunchRequest, type RecordContent } from '@p2p-node/dht-signal';
import { connectPeer, MappingKeeper, predict, type NatProfile } from '@p2p-node/punch';
import { describe, withInfo, type ConnectionPath, type PeerStream } from './connection-info.js';
import { DirectServer } from './direct-server.js';
import { freeTcpPort } from './free-port.js';
import { keyedStream } from './keyed-stream.js';
import type { NatOffers } from './nat-offers.js';
import { answerNoise, type SessionKeys } from './noise-session.js';
import { dialerSideOf, offerFrom, sideOf } from './offer.js';
import type { SecureStream } from './secure-stream.js';
import type { SignalRegistration, Signaling } from './signaling.js';

const PUNCH_TIMEOUT_MS = 6_000;
const OPEN_TIMEOUT_MS = 10_000;
const hex = (k: Uint8Array) => Buffer.from(k).toString('hex');

export interface ListenContext {
  dht: DhtNode;
  identity: Identity;
  signaling: Signaling;
  offers: NatOffers;
  reflectors: HostPort[];
  introducers: HostPort[];
  host: string;
  lanHosts: () => string[];
  progress: (phase: string, detail: string) => void;
  /** Every stream handed over is tracked, so close() can end it. */
  track: (stream: SecureStream) => void;
}

export interface ListenOptions {
  /** Only these dialers are accepted (others get a signed refusal in signaling); default: everyone. */
  allow?: Uint8Array[];
}

/** What a refused dialer gets instead of our prediction: nothing to punch to. */
const NO_OFFER: PunchOffer = { publicEndpoints: [], lanEndpoints: [], nat: { mapping: 'unknown' }, localPort: 0, rttMs: 0 };

/**
 * The accept side, start to finish: profile the punch port, keep the NAT
 * mapping alive if it must be, register with introducers, publish the
 * record, and answer each signed request. The answer carries the Noise
 * reply (or a signed refusal for a key not allowed) and our fresh
 * prediction; then we punch towards the dialer (or, with no NAT, expect its
 * connection) and hand over the stream once the dialer opened it.
 */
export class Listener {
  private publisher: RecordPublisher | undefined;
  private registration: SignalRegistration | undefined;
  private keeper: MappingKeeper | undefined;
  private server: DirectServer | undefined;
  private current!: PunchOffer;
  /** The punch under way per dialer key. */
  private readonly punches = new Map<string, AbortController>();
  private introducers: HostPort[] = [];

  private constructor(
    private readonly ctx: ListenContext,
    private readonly onConnection: (stream: PeerStream) => void,
    private readonly allow: string[] | undefined,
    private readonly localPort: number,
    private readonly profile: NatProfile,
  ) {}

  static async start(ctx: ListenContext, onConnection: (stream: PeerStream) => void, opts: ListenOptions = {}): Promise<Listener> {
    const localPort = await freeTcpPort();
    const { offer, profile } = await ctx.offers.make(localPort);
    const listener = new Listener(ctx, onConnection, opts.allow?.map(hex), localPort, profile);
    listener.current = offer;
    await listener.run();
    return listener;
  }

  get offer(): PunchOffer {
    return this.current;
  }

  get acceptedIntroducers(): HostPort[] {
    return this.introducers;
  }

  private get reachable(): boolean {
    return this.profile.mapping === 'none';
  }

  private async run(): Promise<void> {
    const { ctx } = this;
    // Without a NAT our address is public: dialers simply connect to a
    // listening socket (a punch from a non-listening port would be answered
    // with resets by our own kernel whenever its SYN came first).
    if (this.reachable) this.server = await DirectServer.listen(this.localPort, ctx.host, (why) => ctx.progress('accept-failed', why));
    ctx.progress('listen', `NAT ${this.profile.mapping}, public ${this.current.publicEndpoints.map(fmt).join(', ') || '-'}, ${this.reachable ? 'accepting on' : 'punching from'} port ${this.localPort}`);
    if (this.profile.mapping === 'endpoint-independent') this.keepMapping();
    this.registration = await ctx.signaling.listen(ctx.dht, ctx.identity, ctx.introducers, (request) => this.answer(request), (accepted) => {
      // Dialers find introducers in our record: keep it in step with who accepts us.
      this.introducers = accepted;
      this.republish();
    });
    this.introducers = this.registration.introducers;
    this.publisher = new RecordPublisher(ctx.dht, ctx.identity);
    this.publisher.on('publish-failed', (err: Error) => ctx.progress('publish-failed', err.message));
    const res = await this.publisher.publish(this.content());
    ctx.progress('listen', `record published (seq ${res.seq}) on ${res.storedOn} nodes, introducers ${this.introducers.map(fmt).join(', ')}`);
  }

  stop(): Promise<void> {
    for (const p of this.punches.values()) p.abort();
    this.publisher?.stop();
    this.keeper?.stop();
    this.registration?.stop();
    return this.server?.close() ?? Promise.resolve();
  }

  private content(): RecordContent {
    const c = this.current;
    return { publicEndpoints: c.publicEndpoints, lanEndpoints: c.lanEndpoints, nat: c.nat, introducers: this.introducers };
  }

  private republish(): void {
    void this.publisher?.publish(this.content()).catch((err: Error) => this.ctx.progress('publish-failed', err.message));
  }

  /** The published public port is the NAT's mapping of our punch port: it must not expire while published, and the record follows if it moves. */
  private keepMapping(): void {
    this.keeper = new MappingKeeper({
      reflectors: this.ctx.reflectors,
      localPort: this.localPort,
      onChange: (observed) => {
        const moved = { ...this.profile, publicIp: observed.host, mappedPort: observed.port };
        this.current = offerFrom(moved, predict(moved), this.ctx.lanHosts(), this.current.rttMs);
        this.ctx.progress('listen', `NAT mapping moved to ${fmt(observed)}; republishing`);
        this.republish();
      },
      onError: (err) => this.ctx.progress('keepalive', err.message),
    }).start();
  }

  /** One verified request: refuse it, or answer the Noise handshake and start accepting this dialer. Throwing refuses it unsigned (the request was unusable). */
  private async answer(request: PunchRequest): Promise<PunchReply> {
    const dialer = hex(request.dialerKey);
    if (this.allow && !this.allow.includes(dialer)) {
      this.ctx.progress('refused', `${dialer} is not in the allow list`);
      return { offer: NO_OFFER, refused: true };
    }
    const { reply, keys } = answerNoise(this.ctx.identity, request.session, request.dialerKey);
    // A sequential NAT allocates anew per connection: predict again for each dial.
    const mine = this.profile.mapping === 'sequential' ? (await this.ctx.offers.make(this.localPort)).offer : this.current;
    if (this.server) {
      const how: ConnectionPath = { path: 'direct', candidate: `${this.ctx.host}:${this.localPort}`, method: 'reachable', strategy: 'connect', punch: { attempts: 0, refused: 0, rounds: 0 } };
      const t0 = performance.now();
      this.server.expect(keys, (stream) => this.handOver(stream, how, t0, 0));
    } else {
      void this.punchTo(request, mine, keys);
    }
    return { offer: mine, session: reply };
  }

  private async punchTo(request: PunchRequest, mine: PunchOffer, keys: SessionKeys): Promise<void> {
    const t0 = performance.now();
    const dialer = hex(request.dialerKey);
    // A newer request from the same dialer (its guess was wrong, or a retry) replaces this one's punch.
    this.punches.get(dialer)?.abort();
    const abort = new AbortController();
    this.punches.set(dialer, abort);
    try {
      const remote = dialerSideOf(request.offer, request.observedDialer);
      if (!remote) return;
      // The dialer's own round trip is unknown in a provisional offer: take ours for both.
      const ownRtt = request.introducerRttMs ?? mine.rttMs;
      const rttMs = (request.offer.provisional ? ownRtt : request.offer.rttMs) + ownRtt;
      // Start when the dialer gets our answer, about half of each side's round trip to the introducer from now.
      const startAt = Date.now() + Math.round(rttMs / 2);
      const result = await connectPeer({
        localPort: this.localPort,
        local: sideOf(mine),
        remote,
        rttMs,
        role: 'responder',
        // Must match the dialer's: the keyed stream's OPEN messages confirm the socket.
        agreement: 'select',
        startAt,
        timeoutMs: PUNCH_TIMEOUT_MS,
        directOnly: request.offer.provisional === true,
        signal: abort.signal,
      });
      const punchMs = performance.now() - t0;
      const stream = await keyedStream(result.socket, false, keys, OPEN_TIMEOUT_MS);
      this.handOver(stream, describe(result), t0, punchMs);
    } catch (err) {
      if (!abort.signal.aborted) this.ctx.progress('accept-failed', `dial from ${dialer}: ${(err as Error).message}`);
    } finally {
      if (this.punches.get(dialer) === abort) this.punches.delete(dialer);
    }
  }

  private handOver(stream: SecureStream, how: ConnectionPath, t0: number, punchMs: number): void {
    this.ctx.track(stream);
    const totalMs = performance.now() - t0;
    this.onConnection(
      withInfo(stream, {
        remotePublicKey: stream.remotePublicKey,
        ...how,
        timings: { lookupMs: 0, profileMs: 0, signalMs: 0, punchMs, openMs: totalMs - punchMs, totalMs },
      }),
    );
  }
}
