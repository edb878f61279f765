import { DhtNode, formatHostPort as fmt, RecordPublisher, RecordResolver, RecordNotFoundError, type HostPort, type Identity, type PunchOffer, type RecordContent } from '@p2p-node/dht-signal';
import { MappingKeeper, planPunch, predict, profileNat, punch, PunchError, type NatProfile, type ProfileResult, type PunchOptions, type PunchPlan, type PunchResult } from '@p2p-node/punch';
import { createServer, type Server, type Socket } from 'node:net';
import { connectFirst } from './direct-connect.js';
import { HandshakeGate } from './handshake-gate.js';
import { freeTcpPort } from './free-port.js';
import { lanAddresses } from './lan-addresses.js';
import { offerFrom, predictionOf } from './offer.js';
import { DialError } from './peer-errors.js';
import { secureStream, WrongKeyError, type SecureStream } from './secure-stream.js';
import { dhtSignaling, type SignalAnswer, type Signaling, type SignalRegistration } from './signaling.js';
import { readVerdict, sendVerdict } from './verdict.js';

export interface PeerNodeOptions {
  identity: Identity;
  /** DHT nodes to join; also the TCP reflectors and introducers unless given apart. Never a public default. */
  bootstrap: HostPort[];
  /** Address for the UDP DHT socket; default 0.0.0.0. */
  host?: string;
  udpPort?: number;
  reflectors?: HostPort[];
  introducers?: HostPort[];
  queryTimeoutMs?: number;
  /** Progress, for people (the CLI prints it on stderr). */
  onProgress?: (phase: string, detail: string) => void;
  /** Profile the NAT in the background right away, so the first dial need not (default true). */
  warmUp?: boolean;
  /** For tests: another signaling transport. */
  signaling?: Signaling;
}

/** How a connection came about: what `dial()` reports and `listen()` hands over. */
export interface ConnectionInfo {
  remotePublicKey: Uint8Array;
  path: 'direct' | 'lan';
  /** host:port of the candidate that connected, and how it was predicted. */
  candidate: string;
  method: string;
  strategy: string;
  /** Milliseconds per phase; total from dial() to the stream. */
  timings: { lookupMs: number; profileMs: number; signalMs: number; punchMs: number; handshakeMs: number; totalMs: number };
  punch: { attempts: number; refused: number; rounds: number };
}

export type PeerStream = SecureStream & { info: ConnectionInfo };

export interface ListenOptions {
  /** Only these dialers are accepted (others get a clear refusal); default: everyone. */
  allow?: Uint8Array[];
}

/** Per punch attempt; a dial makes up to PUNCH_ATTEMPTS (as go-libp2p does). */
const PUNCH_TIMEOUT_MS = 6_000;
const PUNCH_ATTEMPTS = 3;
/** How long a port-preserving (or no-NAT) profile is trusted for new ports without probing. */
const PROFILE_REUSE_MS = 60_000;
const HANDSHAKE_TIMEOUT_MS = 10_000;
const hex = (k: Uint8Array) => Buffer.from(k).toString('hex');

/**
 * One peer: a DHT node plus the ability to be dialed (listen) and to dial
 * others by public key, yielding authenticated, encrypted Node Duplex streams.
 */
export class PeerNode {
  private publisher: RecordPublisher | undefined;
  private registration: SignalRegistration | undefined;
  private readonly resolver: RecordResolver;
  private readonly live = new Set<SecureStream>();
  private server: Server | undefined;
  private lastProfile: { profile: ProfileResult; at: number } | undefined;
  private warming: Promise<void> | undefined;
  private keeper: MappingKeeper | undefined;
  private closed = false;

  private constructor(
    readonly dht: DhtNode,
    private readonly opts: PeerNodeOptions,
    private readonly signaling: Signaling,
  ) {
    this.resolver = new RecordResolver(dht);
  }

  static async create(opts: PeerNodeOptions): Promise<PeerNode> {
    const dht = await DhtNode.start({
      host: opts.host ?? '0.0.0.0',
      port: opts.udpPort ?? 0,
      bootstrap: opts.bootstrap,
      ...(opts.queryTimeoutMs ? { queryTimeoutMs: opts.queryTimeoutMs } : {}),
    });
    const node = new PeerNode(dht, opts, opts.signaling ?? dhtSignaling);
    if (opts.warmUp !== false) node.warmUp();
    return node;
  }

  get publicKey(): Uint8Array {
    return this.opts.identity.publicKey;
  }

  private progress(phase: string, detail: string): void {
    this.opts.onProgress?.(phase, detail);
  }

  private reflectors(): HostPort[] {
    return this.opts.reflectors ?? this.opts.bootstrap;
  }

  private lanHosts(): string[] {
    return lanAddresses(this.opts.host ?? '0.0.0.0');
  }

  /** Profiles our NAT from `localPort` and turns the prediction into an offer. */
  private async makeOffer(localPort: number): Promise<{ offer: PunchOffer; profile: NatProfile }> {
    const profile = await profileNat({ reflectors: this.reflectors(), localPort });
    this.lastProfile = { profile, at: Date.now() };
    const prediction = predict(profile);
    return { offer: offerFrom(profile, prediction, this.lanHosts(), profile.rttMs), profile };
  }

  /**
   * A dial punches from a fresh port, so it needs that port's prediction.
   * Behind no NAT or a port-preserving one, the public port of any local port
   * is the port itself: a profile seen recently answers without probing (the
   * probes cost several round trips to the reflectors on every dial). Other
   * mappings are probed from the new port.
   */
  private async offerForDial(localPort: number): Promise<{ offer: PunchOffer; profile: NatProfile }> {
    const last = this.lastProfile;
    if (!last || Date.now() - last.at > PROFILE_REUSE_MS || (last.profile.mapping !== 'port-preserving' && last.profile.mapping !== 'none')) {
      return this.makeOffer(localPort);
    }
    const profile: ProfileResult = {
      ...last.profile,
      localPort,
      mappedPort: localPort,
      lastMappedPort: localPort,
      observations: [],
      reason: `${last.profile.mapping}, as profiled ${Math.round((Date.now() - last.at) / 1000)} s ago`,
    };
    return { offer: offerFrom(profile, predict(profile), this.lanHosts(), profile.rttMs), profile };
  }

  /** Profiles in the background so that the first dial finds a recent profile. */
  private warmUp(): void {
    this.warming = freeTcpPort()
      .then((port) => this.makeOffer(port))
      .then(
        () => undefined,
        (err: Error) => this.progress('profile', `NAT profile failed: ${err.message}`),
      );
  }

  /**
   * Publishes our record, registers with introducers and accepts dials until
   * close(). Each accepted stream goes to `onConnection` once its dialer has
   * proved its key (and is allowed).
   */
  async listen(onConnection: (stream: PeerStream) => void, opts: ListenOptions = {}): Promise<{ offer: PunchOffer; introducers: HostPort[] }> {
    const localPort = await freeTcpPort();
    const { offer, profile } = await this.makeOffer(localPort);
    const allow = opts.allow?.map(hex);
    // Without a NAT our address is public: dialers simply connect to a
    // listening socket (a punch from a non-listening port would be answered
    // with resets by our own kernel whenever its SYN came first).
    const reachable = profile.mapping === 'none';
    if (reachable) await this.serveDirect(localPort, allow, onConnection);
    this.progress('listen', `NAT ${profile.mapping}, public ${offer.publicEndpoints.map(fmt).join(', ') || '-'}, ${reachable ? 'accepting on' : 'punching from'} port ${localPort}`);

    let current = offer;
    let introducers: HostPort[] = [];
    const content = (): RecordContent => ({
      publicEndpoints: current.publicEndpoints,
      lanEndpoints: current.lanEndpoints,
      nat: current.nat,
      introducers,
    });
    const republish = () => void this.publisher?.publish(content()).catch((err: Error) => this.progress('publish-failed', err.message));
    if (profile.mapping === 'endpoint-independent') {
      // The published public port is the NAT's mapping of our punch port: it
      // must not expire while it is published, and if it moves the record must follow.
      this.keeper = new MappingKeeper({
        reflectors: this.reflectors(),
        localPort,
        onChange: (observed) => {
          const moved = { ...profile, publicIp: observed.host, mappedPort: observed.port };
          current = offerFrom(moved, predict(moved), this.lanHosts(), offer.rttMs);
          this.progress('listen', `NAT mapping moved to ${fmt(observed)}; republishing`);
          republish();
        },
        onError: (err) => this.progress('keepalive', err.message),
      }).start();
    }
    this.registration = await this.signaling.listen(
      this.dht,
      this.opts.identity,
      this.opts.introducers ?? this.opts.bootstrap,
      async (request) => {
        // A sequential NAT allocates anew per connection: predict again for each dial.
        const mine = profile.mapping === 'sequential' ? (await this.makeOffer(localPort)).offer : current;
        if (reachable) return mine;
        void this.acceptOne(localPort, mine, request.dialerKey, request.offer, request.introducerRttMs ?? mine.rttMs, allow, onConnection);
        return mine;
      },
      // Dialers find introducers in our record: keep it in step with who accepts us.
      (accepted) => {
        introducers = accepted;
        republish();
      },
    );
    introducers = this.registration.introducers;
    this.publisher = new RecordPublisher(this.dht, this.opts.identity);
    this.publisher.on('publish-failed', (err: Error) => this.progress('publish-failed', err.message));
    const res = await this.publisher.publish(content());
    this.progress('listen', `record published (seq ${res.seq}) on ${res.storedOn} nodes, introducers ${introducers.map(fmt).join(', ')}`);
    return { offer, introducers };
  }

  private async acceptOne(
    localPort: number,
    mine: PunchOffer,
    dialerKey: Uint8Array,
    dialerOffer: PunchOffer,
    introducerRttMs: number,
    allow: string[] | undefined,
    onConnection: (stream: PeerStream) => void,
  ): Promise<void> {
    const t0 = performance.now();
    try {
      const rttMs = dialerOffer.rttMs + introducerRttMs;
      const plan = planPunch({ local: predictionOf(mine), remote: predictionOf(dialerOffer), remoteLan: dialerOffer.lanEndpoints, rttMs });
      // Start when the dialer gets our answer, about half of each side's round trip to the introducer from now.
      const startAt = Date.now() + Math.round(rttMs / 2);
      const result = await punch({
        localPort,
        candidates: plan.candidates,
        deadline: Date.now() + PUNCH_TIMEOUT_MS,
        startAt,
        role: plan.role ?? 'responder',
        ...planExtras(plan),
      });
      const punchMs = performance.now() - t0;
      await this.secureAccepted(result.socket, dialerKey, allow, onConnection, describe(result), t0, punchMs);
    } catch (err) {
      this.progress('accept-failed', `dial from ${hex(dialerKey)}: ${(err as Error).message}`);
    }
  }

  private async serveDirect(port: number, allow: string[] | undefined, onConnection: (stream: PeerStream) => void): Promise<void> {
    const gate = new HandshakeGate();
    const server = createServer({ allowHalfOpen: true }, (socket) => {
      socket.on('error', () => undefined);
      const from = `${socket.remoteAddress}:${socket.remotePort}`;
      const leave = gate.enter(socket.remoteAddress ?? '');
      if (!leave) {
        socket.destroy();
        return;
      }
      const how = { path: 'direct' as const, candidate: `${socket.localAddress}:${socket.localPort}`, method: 'reachable', strategy: 'connect', punch: { attempts: 0, refused: 0, rounds: 0 } };
      void this.secureAccepted(socket, undefined, allow, onConnection, how, performance.now(), 0)
        .catch((err: Error) => this.progress('accept-failed', `from ${from}: ${err.message}`))
        .finally(leave);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.opts.host ?? '0.0.0.0', () => resolve());
    });
    server.on('error', (err) => this.progress('accept-failed', err.message));
    this.server = server;
  }

  /** Noise as responder, then the allow list; hands the stream over or refuses it. */
  private async secureAccepted(
    socket: Socket,
    expectedDialer: Uint8Array | undefined,
    allow: string[] | undefined,
    onConnection: (stream: PeerStream) => void,
    how: Pick<ConnectionInfo, 'path' | 'candidate' | 'method' | 'strategy' | 'punch'>,
    t0: number,
    punchMs: number,
  ): Promise<void> {
    const stream = await secureStream(socket, false, { identity: this.opts.identity, handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS });
    const remote = hex(stream.remotePublicKey);
    if (expectedDialer && remote !== hex(expectedDialer)) {
      // The handshake proved a key other than the one that signed the request: not the dialer we answered.
      stream.destroy();
      this.progress('refused', `handshake key ${remote} differs from the signed request's ${hex(expectedDialer)}`);
      return;
    }
    const accepted = !allow || allow.includes(remote);
    // A refused dialer hangs up as soon as it reads the verdict: expected, not an error.
    if (!accepted) stream.on('error', () => undefined);
    sendVerdict(stream, accepted);
    if (!accepted) {
      this.progress('refused', `${remote} is not in the allow list`);
      return;
    }
    this.track(stream);
    onConnection(
      withInfo(stream, {
        remotePublicKey: stream.remotePublicKey,
        ...how,
        timings: { lookupMs: 0, profileMs: 0, signalMs: 0, punchMs, handshakeMs: performance.now() - t0 - punchMs, totalMs: performance.now() - t0 },
      }),
    );
  }

  /** Dials a peer by public key: lookup, signaling, punch, Noise. */
  async dial(publicKey: Uint8Array): Promise<PeerStream> {
    if (this.closed) throw new Error('node is closed');
    const t0 = performance.now();
    const since = () => performance.now() - t0;
    this.progress('lookup', `looking up ${hex(publicKey)}`);
    const localPort = await freeTcpPort();
    let lookupMs = 0;
    // Our own prediction does not depend on the record: profile while the lookup runs.
    const [recordOrErr, own] = await Promise.all([
      this.resolver
        .lookup(publicKey)
        .catch((err: unknown) => err as Error)
        .finally(() => (lookupMs = since())),
      (this.warming ?? Promise.resolve()).then(() => this.offerForDial(localPort)).then((o) => ({ ...o, at: since() })),
    ]);
    if (recordOrErr instanceof Error) {
      if (recordOrErr instanceof RecordNotFoundError) throw new DialError('not-found', recordOrErr.message, { cause: recordOrErr });
      throw recordOrErr;
    }
    const record = recordOrErr;
    const profileMs = own.at;
    this.progress('signal', `record found (seq ${record.seq}); signaling through ${record.introducers.map(fmt).join(', ') || 'no introducer'}`);
    if (record.introducers.length === 0) throw new DialError('signal-failed', `the record of ${hex(publicKey)} names no introducer to signal through`);

    // Signal and punch, up to PUNCH_ATTEMPTS times: a SYN lost before a
    // sequential NAT shifts every later port, so a failed punch is retried
    // from a fresh port with fresh predictions on both sides (a new request).
    let offer = own.offer;
    let port = localPort;
    let signalMs = 0;
    let punchMs = 0;
    let result: Pick<PunchResult, 'socket' | 'winner' | 'attempts' | 'refused' | 'rounds'> | undefined;
    for (let attempt = 1; !result; attempt++) {
      if (attempt > 1) {
        port = await freeTcpPort();
        offer = (await this.offerForDial(port)).offer;
      }
      const tSignal = performance.now();
      let answer: SignalAnswer;
      try {
        answer = await this.signaling.request(this.dht, this.opts.identity, publicKey, record.introducers, offer);
      } catch (err) {
        throw new DialError('signal-failed', `could not signal ${hex(publicKey)}: ${(err as Error).message}`, { cause: err });
      }
      signalMs += performance.now() - tSignal;
      this.progress('punch', `answer via ${fmt(answer.introducer)} in ${Math.round(answer.rttMs)} ms; peer NAT ${answer.offer.nat.mapping}, predicted ${answer.offer.publicEndpoints.map(fmt).join(', ')}`);
      const tPunch = performance.now();
      try {
        result = await this.connectOrPunch(port, offer, answer);
      } catch (err) {
        const retry = err instanceof PunchError && (err.code === 'timeout' || err.code === 'refused') && attempt < PUNCH_ATTEMPTS;
        if (!retry) throw new DialError('punch-failed', `punch to ${hex(publicKey)} failed: ${(err as Error).message}`, { cause: err });
        this.progress('punch', `attempt ${attempt} failed (${(err as Error).message}); again from a fresh port`);
      } finally {
        punchMs += performance.now() - tPunch;
      }
    }
    this.progress('handshake', `connected to ${result.winner.host}:${result.winner.port} (${result.winner.method}); Noise handshake`);

    const tHandshake = performance.now();
    let stream: SecureStream;
    try {
      stream = await secureStream(result.socket, true, { identity: this.opts.identity, remotePublicKey: publicKey, handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS });
    } catch (err) {
      if (err instanceof WrongKeyError) throw new DialError('wrong-key', err.message, { cause: err });
      throw new DialError('punch-failed', (err as Error).message, { cause: err });
    }
    const accepted = await readVerdict(stream, HANDSHAKE_TIMEOUT_MS).catch((err: Error) => {
      stream.destroy();
      throw new DialError('refused', err.message, { cause: err });
    });
    if (!accepted) {
      stream.destroy();
      throw new DialError('refused', `${hex(publicKey)} refused the connection: this key is not in its allow list`);
    }
    const handshakeMs = performance.now() - tHandshake;
    this.track(stream);
    return withInfo(stream, {
      remotePublicKey: stream.remotePublicKey,
      ...describe(result),
      timings: { lookupMs, profileMs, signalMs, punchMs, handshakeMs, totalMs: since() },
    });
  }

  /** One attempt to get a TCP socket to the peer: a plain connect when it has no NAT, else a punch. */
  private async connectOrPunch(localPort: number, mine: PunchOffer, answer: SignalAnswer): Promise<Pick<PunchResult, 'socket' | 'winner' | 'attempts' | 'refused' | 'rounds'>> {
    if (answer.offer.nat.mapping === 'none') {
      const { socket, winner } = await connectFirst([...answer.offer.lanEndpoints, ...answer.offer.publicEndpoints], PUNCH_TIMEOUT_MS);
      return { socket, winner: { ...winner, method: 'reachable' }, attempts: 1, refused: 0, rounds: 1 };
    }
    const plan = planPunch({ local: predictionOf(mine), remote: predictionOf(answer.offer), remoteLan: answer.offer.lanEndpoints, rttMs: answer.rttMs });
    return punch({ localPort, candidates: plan.candidates, deadline: Date.now() + PUNCH_TIMEOUT_MS, role: plan.role ?? 'initiator', ...planExtras(plan) });
  }

  private track(stream: SecureStream): void {
    this.live.add(stream);
    stream.once('close', () => this.live.delete(stream));
  }

  /** Stops publishing and listening, closes open streams, and stops the DHT node. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.publisher?.stop();
    this.keeper?.stop();
    this.registration?.stop();
    await this.warming;
    for (const s of this.live) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await this.dht.stop();
  }
}

/** The optional parts of a punch plan, as punch() takes them. */
function planExtras(plan: PunchPlan): Pick<PunchOptions, 'spray' | 'guesses' | 'birthday' | 'agreement'> {
  return {
    ...(plan.spray ? { spray: plan.spray } : {}),
    ...(plan.guesses ? { guesses: plan.guesses } : {}),
    ...(plan.birthday ? { birthday: plan.birthday } : {}),
    ...(plan.agreement ? { agreement: plan.agreement } : {}),
  };
}

function describe(r: Pick<PunchResult, 'winner' | 'attempts' | 'refused' | 'rounds'>): Pick<ConnectionInfo, 'path' | 'candidate' | 'method' | 'strategy' | 'punch'> {
  return {
    path: r.winner.method === 'lan' ? 'lan' : 'direct',
    candidate: `${r.winner.host}:${r.winner.port}`,
    method: r.winner.method,
    strategy: r.winner.method === 'birthday' ? 'birthday' : r.winner.method === 'reachable' ? 'connect' : 'punch',
    punch: { attempts: r.attempts, refused: r.refused, rounds: r.rounds },
  };
}

function withInfo(stream: SecureStream, info: ConnectionInfo): PeerStream {
  Object.defineProperty(stream, 'info', { value: info, enumerable: true });
  return stream as PeerStream;
}

export { PunchError };
