import { isIPv4 } from 'node:net';
import { formatHostPort as fmt, RecordPublisher, type DhtNode, type HostPort, type Identity, type PunchOffer, type PunchReply, type PunchRequest, type RecordContent } from '@p2p-node/dht-signal';
import { connectPeer, MappingKeeper, PortMappingError, predict, type NatProfile, type PeerSide } from '@p2p-node/punch';
import { describe, describeRelayed, withInfo, type ConnectionPath, type PeerStream } from './connection-info.js';
import { DirectServer } from './direct-server.js';
import { freeTcpPort } from './free-port.js';
import { keyedStream } from './keyed-stream.js';
import { openMappedServer, type MappedServer } from './mapped-server.js';
import type { NatOffers } from './nat-offers.js';
import { answerNoise, type SessionKeys } from './noise-session.js';
import { dialerSideOf, offerFrom, sideOf } from './offer.js';
import { choosePath, type PathChoice } from './path-choice.js';
import { openCircuit } from './relay-client.js';
import { circuitToken } from './relay-wire.js';
import type { SecureStream } from './secure-stream.js';
import type { SignalRegistration, Signaling } from './signaling.js';

const PUNCH_TIMEOUT_MS = 6_000;
const OPEN_TIMEOUT_MS = 10_000;
const CIRCUIT_TIMEOUT_MS = 10_000;
/** Past the signaling freshness limit (DEFAULT_FRESHNESS_MS, 30 s) a late request is refused before it reaches us. */
const REQUEST_MEMORY_MS = 60_000;
const MAX_DIALERS_REMEMBERED = 4_096;
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
  /** Name our introducers' relays in answers, so a dialer with no direct path can meet us there; default true. */
  relay?: boolean;
  /**
   * Ask the NAT in front of us for a TCP port mapping (UPnP-IGD, NAT-PMP),
   * in the background once listening: when one is made, dialers connect to
   * it directly, whatever the NAT does with other ports; default true.
   */
  portMapping?: boolean;
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
  /** When the newest request of each dialer key was issued (see supersedes). */
  private readonly newestRequest = new Map<string, number>();
  private introducers: HostPort[] = [];
  /** The server our NAT maps a public port to, once mapped (see mapOurPort). */
  private mapped: MappedServer | undefined;
  private mappingRun: Promise<void> | undefined;
  private readonly stopping = new AbortController();

  private constructor(
    private readonly ctx: ListenContext,
    private readonly onConnection: (stream: PeerStream) => void,
    private readonly allow: string[] | undefined,
    private readonly useRelays: boolean,
    private readonly localPort: number,
    private readonly profile: NatProfile,
  ) {}

  static async start(ctx: ListenContext, onConnection: (stream: PeerStream) => void, opts: ListenOptions = {}): Promise<Listener> {
    const localPort = await freeTcpPort();
    const { offer, profile } = await ctx.offers.make(localPort);
    const listener = new Listener(ctx, onConnection, opts.allow?.map(hex), opts.relay !== false, localPort, profile);
    listener.current = offer;
    await listener.run();
    if (opts.portMapping !== false && !listener.reachable) listener.mappingRun = listener.mapOurPort();
    return listener;
  }

  get offer(): PunchOffer {
    return this.current;
  }

  get acceptedIntroducers(): HostPort[] {
    return this.introducers;
  }

  /** The relays our answers name: our introducers', unless told not to. */
  get relays(): HostPort[] {
    return this.useRelays ? (this.registration?.relays() ?? []) : [];
  }

  /** See punchOffer. */
  private get freshPortPerPunch(): boolean {
    return !this.reachable && (this.profile.mapping === 'port-preserving' || this.profile.mapping === 'sequential');
  }

  /** Dialers connect to our server: we have no NAT, or it mapped a port to it. */
  private get reachable(): boolean {
    return this.profile.mapping === 'none' || this.mapped !== undefined;
  }

  private async run(): Promise<void> {
    const { ctx } = this;
    // Without a NAT our address is public: dialers simply connect to a
    // listening socket (a punch from a non-listening port would be answered
    // with resets by our own kernel whenever its SYN came first).
    if (this.reachable) this.server = await DirectServer.listen(this.localPort, ctx.host, (why) => ctx.progress('accept-failed', why));
    ctx.progress('listen', `NAT ${this.profile.mapping}, public ${this.current.publicEndpoints.map(fmt).join(', ') || '-'}, ${this.reachable ? 'accepting on port' : this.freshPortPerPunch ? 'published port' : 'punching from port'} ${this.localPort}${this.freshPortPerPunch ? ', each punch from a fresh port' : ''}`);
    if (this.profile.mapping === 'endpoint-independent') this.keepMapping();
    this.adoptPublicIp();
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

  async stop(): Promise<void> {
    this.stopping.abort();
    for (const p of this.punches.values()) p.abort();
    this.publisher?.stop();
    this.keeper?.stop();
    this.registration?.stop();
    await this.mappingRun;
    await (this.mapped ? this.mapped.close() : this.server?.close());
  }

  /**
   * Asks the NAT in front of us to map a TCP port to a server of ours
   * (openMappedServer). When it does, we are reachable: the offer and record
   * name the mapped endpoint (portMapped), dialers connect to it, and
   * nothing is punched any more.
   */
  private async mapOurPort(): Promise<void> {
    const { ctx } = this;
    const mapped = await openMappedServer({
      reflectors: ctx.reflectors,
      lanHosts: ctx.lanHosts(),
      host: ctx.host,
      signal: this.stopping.signal,
      progress: ctx.progress,
      ...(this.profile.publicIp ? { publicIp: this.profile.publicIp } : {}),
    }).catch(async (err: Error) => {
      ctx.progress('port-mapping', `${err.message}; punching as before`);
      // stop() waits for this run: a mapping whose answer was lost is asked to go first.
      if (err instanceof PortMappingError) await err.cleanup;
    });
    if (!mapped) return;
    const { mapping, server, localPort: port } = mapped;
    this.mapped = mapped;
    this.server = server;
    // The punch port's NAT mapping need not be kept alive any more: nobody is sent there.
    this.keeper?.stop();
    this.current = ctx.offers.mapped(this.current, mapping.external, port);
    ctx.progress('listen', `port mapped by ${mapping.protocol}: ${fmt(mapping.external)} -> ${mapped.localHost}:${port}; dialers connect directly`);
    this.republish();
  }

  /**
   * A listener stays: its DHT node id should be the one mainline clients
   * expect of its public address (BEP 42), before introducers and storers
   * learn it. Exempt or unknown addresses keep the id.
   */
  private adoptPublicIp(): void {
    const ip = this.profile.publicIp;
    if (!ip || !isIPv4(ip) || !this.ctx.dht.adoptExternalIp(ip)) return;
    this.ctx.progress('dht', `node id ${Buffer.from(this.ctx.dht.nodeId()).toString('hex').slice(0, 8)}... derived from public IP ${ip} (BEP 42)`);
  }

  private content(): RecordContent {
    const c = this.current;
    return { publicEndpoints: c.publicEndpoints, lanEndpoints: c.lanEndpoints, ...(c.ipv6Endpoints ? { ipv6Endpoints: c.ipv6Endpoints } : {}), nat: c.nat, introducers: this.introducers };
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
    if (!this.supersedes(dialer, request.issuedAtMs)) {
      this.ctx.progress('stale-request', `a request from ${dialer} arrived after a newer one: ignored`);
      throw new Error('superseded by a newer request from the same dialer');
    }
    const { reply, keys } = answerNoise(this.ctx.identity, request.session, request.dialerKey);
    const relays = this.relays;
    const remote = dialerSideOf(request.offer, request.observedDialer);
    const mode = request.offer.relayUse ?? 'auto';
    const punching = remote !== undefined && choosePath(mode, sideOf(this.current), remote, relays, { provisional: request.offer.provisional === true }).punch;
    const base = punching ? await this.punchOffer(remote!) : this.current;
    const mine: PunchOffer = relays.length > 0 ? { ...base, relays } : base;
    void this.accept(request, mine, keys);
    return { offer: mine, session: reply };
  }

  /**
   * Records the request as the dialer's newest, unless a newer one came
   * first. A dialer's new request calls off the punch and relay half of its
   * earlier one (its guess was wrong, or it retries), so an older request
   * must never count as new: one that arrives late (the dialer gave up on
   * it and signaled again through other introducers) would otherwise call
   * off the dial under way, and cut its relay circuit from under it (lab,
   * rand-seq at 5% loss: 1 dial in 50 failed that way). Forgotten after the
   * signaling freshness limit, when such a request is refused anyway.
   */
  private supersedes(dialer: string, issuedAtMs: number): boolean {
    const newest = this.newestRequest.get(dialer);
    if (newest !== undefined && issuedAtMs < newest) return false;
    this.newestRequest.delete(dialer);
    this.newestRequest.set(dialer, issuedAtMs);
    // Insertion order is about time order: the oldest go first, when expired or when the table is full.
    const now = Date.now();
    for (const [key, at] of this.newestRequest) {
      if (now - at < REQUEST_MEMORY_MS && this.newestRequest.size <= MAX_DIALERS_REMEMBERED) break;
      this.newestRequest.delete(key);
    }
    return true;
  }

  /**
   * Our offer for one punch. Behind a port-preserving or sequential NAT each
   * punch gets a fresh local port: reusing one port for every punch leaves
   * conntrack entries of earlier punches in our NAT (SYN_SENT towards ports
   * a dialer's sequential NAT had not handed out yet, kept for two minutes),
   * and a later dialer given one of those ports hits a stale entry: its SYN
   * reaches our host before our socket exists and is reset, and our own SYN
   * leaves untranslated (lab, n4seq-pp: 4 dials in 25 lost the punch and went
   * relayed). A fresh port makes every punch's 5-tuples new. It costs nothing
   * behind port preservation (a recent profile answers for any port) and
   * nothing more behind a sequential NAT, which allocates anew per connection
   * and is profiled again for each punch anyway. A reachable node punches
   * nothing (dialers connect to its server), and an endpoint-independent
   * mapping is the one kept alive for the port we published. A dialer
   * behind our own NAT (same public IP) gets the published port: it reaches
   * us by hairpin, which works only through a mapping our NAT already holds
   * (lab, two hosts behind one hairpinning NAT: 0 of 9 dials direct with a
   * fresh port, every one relayed).
   */
  private async punchOffer(dialer: PeerSide): Promise<PunchOffer> {
    const sameNat = dialer.prediction.publicIp !== '' && dialer.prediction.publicIp === this.current.nat.publicIp;
    if (!this.freshPortPerPunch) return this.current;
    // Behind a sequential NAT the published port's next mapping moves with every connection: profile it again.
    if (sameNat) return this.profile.mapping === 'sequential' ? (await this.ctx.offers.make(this.localPort)).offer : this.current;
    return (await this.ctx.offers.forDial(await freeTcpPort())).offer;
  }

  /**
   * Meets one answered dialer by the path both ends derive from the two
   * offers (choosePath): our punch (or, with no NAT, its connection to our
   * server) and/or our half of a circuit at our first relay. The dialer keys
   * only the socket it keeps; the first of ours it proves is handed over and
   * the rest are dropped. A newer request from the same dialer (its guess was
   * wrong, or a retry) calls this one off.
   */
  private async accept(request: PunchRequest, mine: PunchOffer, keys: SessionKeys): Promise<void> {
    const t0 = performance.now();
    const dialer = hex(request.dialerKey);
    // A newer request came in while this one's answer was being made (a profile): it has the dialer.
    if ((this.newestRequest.get(dialer) ?? 0) > request.issuedAtMs) return;
    this.punches.get(dialer)?.abort();
    const abort = new AbortController();
    this.punches.set(dialer, abort);
    const remote = dialerSideOf(request.offer, request.observedDialer);
    const mode = request.offer.relayUse ?? 'auto';
    // A provisional guess that proves wrong is followed by a new request, which calls this one off (relay half included).
    const path: PathChoice = remote ? choosePath(mode, sideOf(mine), remote, mine.relays, { provisional: request.offer.provisional === true }) : { punch: false, relays: [], relayAfterMs: 0 };
    let handed = false;
    const handOnce = (stream: SecureStream, how: ConnectionPath, punchMs: number) => {
      if (handed || abort.signal.aborted) return void stream.destroy();
      handed = true;
      abort.abort();
      this.handOver(stream, how, t0, punchMs);
    };
    const failures: string[] = [];
    const tries: Promise<void>[] = [];
    if (path.punch && this.server) {
      const [candidate, method] = this.mapped ? [fmt(this.mapped.mapping.external), 'port-mapped'] : [`${this.ctx.host}:${this.localPort}`, 'reachable'];
      const how: ConnectionPath = { path: 'direct', candidate, method, strategy: 'connect', punch: { attempts: 0, refused: 0, rounds: 0 } };
      this.server.expect(keys, (stream) => handOnce(stream, how, 0));
    } else if (path.punch && remote) {
      tries.push(this.punchTo(request, remote, mine, keys, abort.signal).then((r) => handOnce(r.stream, r.how, r.punchMs), (err: Error) => void failures.push(err.message)));
    }
    // Our half waits at each relay the dialer may use (RELAYS_PER_DIAL): it takes the first that is up.
    for (const relay of path.relays) {
      tries.push(this.relayTo(relay, keys, path.relayAfterMs, abort.signal).then((stream) => handOnce(stream, describeRelayed(relay), performance.now() - t0), (err: Error) => void failures.push(err.message)));
    }
    await Promise.all(tries);
    if (this.punches.get(dialer) === abort) this.punches.delete(dialer);
    if (!handed && !abort.signal.aborted && failures.length > 0) this.ctx.progress('accept-failed', `dial from ${dialer}: ${failures.join('; ')}`);
  }

  private async punchTo(request: PunchRequest, remote: PeerSide, mine: PunchOffer, keys: SessionKeys, signal: AbortSignal): Promise<{ stream: SecureStream; how: ConnectionPath; punchMs: number }> {
    const t0 = performance.now();
    // The dialer's own round trip is unknown in a provisional offer: take ours for both.
    const ownRtt = request.introducerRttMs ?? mine.rttMs;
    const rttMs = (request.offer.provisional ? ownRtt : request.offer.rttMs) + ownRtt;
    // Start when the dialer gets our answer, about half of each side's round trip to the introducer from now.
    const startAt = Date.now() + Math.round(rttMs / 2);
    const result = await connectPeer({
      localPort: mine.localPort,
      local: sideOf(mine),
      remote,
      rttMs,
      role: 'responder',
      // Must match the dialer's: the keyed stream's OPEN messages confirm the socket.
      agreement: 'select',
      startAt,
      timeoutMs: PUNCH_TIMEOUT_MS,
      directOnly: request.offer.provisional === true,
      signal,
    });
    const punchMs = performance.now() - t0;
    const stream = await keyedStream(result.socket, false, keys, OPEN_TIMEOUT_MS);
    return { stream, how: describe(result), punchMs };
  }

  /** Our half of the circuit at `relay`, after `afterMs` unless called off; the stream once the dialer proves itself through it. */
  private async relayTo(relay: HostPort, keys: SessionKeys, afterMs: number, signal: AbortSignal): Promise<SecureStream> {
    if (afterMs > 0) await abortableDelay(afterMs, signal);
    if (signal.aborted) throw new Error('called off');
    const socket = await openCircuit(relay, circuitToken(keys.hash), { timeoutMs: CIRCUIT_TIMEOUT_MS, signal });
    return keyedStream(socket, false, keys, OPEN_TIMEOUT_MS);
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

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
