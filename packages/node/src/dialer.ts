import {
  formatHostPort as fmt,
  type DhtNode,
  type Identity,
  type PunchOffer,
  type RecordResolver,
  type HostPort,
  type VerifiedRecord,
} from '@p2p-node/dht-signal';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { bothIpv6, connectPeer, PunchError, type ConnectResult } from '@p2p-node/punch';
import { describe, describeRelayed, withInfo, type ConnectionPath, type PeerStream } from './connection-info.js';
import { freeTcpPort } from './free-port.js';
import { keyedStream } from './keyed-stream.js';
import { DialMapping } from './dial-mapping.js';
import { lookupFailure, signal, unlessFinal, type Signaled } from './dial-signal.js';
import type { MappedServer } from './mapped-server.js';
import type { NatOffers } from './nat-offers.js';
import type { SecureStream } from './secure-stream.js';
import type { SessionKeys } from './noise-session.js';
import { dialerSideOf, sideOf } from './offer.js';
import { canPunch, choosePath, type PathChoice, type RelayMode } from './path-choice.js';
import { DialError, relayDialError } from './peer-errors.js';
import { openCircuitEarly } from './early-circuit.js';
import { openCircuitAt, RelayError } from './relay-client.js';
import { circuitToken } from './relay-wire.js';
import type { Signaling } from './signaling.js';

/** Per punch attempt; a dial makes up to PUNCH_ATTEMPTS (as go-libp2p does). */
const PUNCH_TIMEOUT_MS = 6_000;
const PUNCH_ATTEMPTS = 3;
/** From a connected socket to the peer's OPEN message: a few round trips at most, unless the far end is not the peer. */
const OPEN_TIMEOUT_MS = 10_000;
/** From reaching the relay until the listener's half is there too (the relay waits as long). */
const CIRCUIT_TIMEOUT_MS = 10_000;
const hex = (k: Uint8Array) => Buffer.from(k).toString('hex');

export interface DialContext {
  dht: DhtNode;
  identity: Identity;
  resolver: RecordResolver;
  signaling: Signaling;
  offers: NatOffers;
  /** Introducers to try before the lookup returns (the bootstrap nodes by default). */
  earlyIntroducers: HostPort[];
  progress: (phase: string, detail: string) => void;
  /** Asks our NAT for a mapping for one dial (DialOptions.portMapping); the node releases it at close if the dial has not. */
  mapForDial?: (signal: AbortSignal) => Promise<MappedServer | undefined>;
}

export interface DialOptions {
  /**
   * Resolve only once the peer has proved, on the punched socket itself,
   * that it holds the session keys (its OPEN message: one more round trip).
   * By default the stream is handed over as soon as the socket is connected
   * and keyed, so the first bytes leave at once (they are encrypted to the
   * dialed key either way); a peer that then fails to prove itself ends the
   * stream with a StreamOpenError instead. Where the relay is the only path,
   * the stream is handed over once the relay's TCP connection is up, and a
   * circuit that then does not form (the relay busy, the peer never there)
   * ends it with a RelayError (code relay-busy or relay-failed); with
   * waitForPeer such a dial rejects with a DialError of that code.
   */
  waitForPeer?: boolean;
  /**
   * Where the first request goes before the record is known: default the
   * node's introducers (its bootstrap nodes). An empty list waits for the
   * record and signals through the introducers it names.
   */
  firstIntroducers?: HostPort[];
  /**
   * 'auto' (default): through the listener's relay when no punch can work,
   * or raced in when a punch that should work has not within its head start.
   * 'never': direct paths only. 'only': straight to the relay (testing).
   */
  relay?: RelayMode;
  /**
   * Ask our NAT for a TCP port mapping (UPnP-IGD, NAT-PMP) for this dial
   * and offer it, so the listener connects to us: a direct path where no
   * punch can work (our NAT random, theirs random or sequential). It waits
   * for the gateway (up to MAP_FOR_DIAL_MS) before the first request, so it
   * is off by default. The mapping is removed when the stream closes (or
   * the dial fails).
   */
  portMapping?: boolean;
}

/**
 * One dial by public key, start to finish. The first signed request (with
 * the first Noise message) leaves at once, through the introducers we know
 * before any lookup (the bootstrap nodes, which are introducers for the
 * listeners registered with them), carrying our prediction if a recent
 * profile gives it and a provisional guess otherwise; the lookup and our NAT
 * profile run beside it. Only when that first flight finds no introducer
 * holding the listener does the dial wait for the record's introducers.
 * Then the punch, and the secure stream opened on the punched socket with
 * the keys signaling produced. Every failure leaves as a DialError.
 */
export function dial(ctx: DialContext, publicKey: Uint8Array, opts: DialOptions = {}): Promise<PeerStream> {
  return new DialRun(ctx, publicKey, opts).run();
}

/** A socket to the peer (or a relay circuit), not yet keyed, and how it came about. */
type Connected = { socket: Socket | Duplex; how: ConnectionPath; where: string; keyed?: SecureStream };

/** The state of one dial while it runs: ports, offers, answers and the time each phase took. */
class DialRun {
  private readonly t0 = performance.now();
  private localPort = 0;
  private offer!: PunchOffer;
  private introducers: HostPort[] = [];
  private lookup!: Promise<VerifiedRecord | Error>;
  private profiled!: Promise<PunchOffer | Error>;
  private readonly ms = { lookupDone: 0, profile: 0, signal: 0, punch: 0, usedRecord: false };
  /** A server our NAT maps a port to, which our offer names (see DialMapping). */
  private mapped: DialMapping | undefined;
  private readonly stopMapping = new AbortController();

  constructor(
    private readonly ctx: DialContext,
    private readonly publicKey: Uint8Array,
    private readonly opts: DialOptions,
  ) {}

  private since(): number {
    return performance.now() - this.t0;
  }

  /** The dial; a mapping made for it lives as long as its stream, or ends with a failed dial. */
  async run(): Promise<PeerStream> {
    try {
      const stream = await this.dial();
      const own = this.mapped?.server;
      if (own) stream.once('close', () => void own.close());
      return stream;
    } catch (err) {
      this.stopMapping.abort();
      await this.mapped?.server.close();
      throw err;
    }
  }

  private async dial(): Promise<PeerStream> {
    this.ctx.progress('lookup', `looking up ${hex(this.publicKey)}`);
    this.localPort = await freeTcpPort();
    this.lookup = this.ctx.resolver
      .lookup(this.publicKey)
      .then((r) => r, (err: unknown) => err as Error)
      .finally(() => (this.ms.lookupDone = this.since()));
    this.profiled = this.ctx.offers.forDial(this.localPort).then(
      (o) => ((this.ms.profile = this.since()), o.offer),
      (err: unknown) => err as Error,
    );
    let signaled = await this.timed('signal', () => this.firstAnswer());
    // Punch, up to PUNCH_ATTEMPTS times: a SYN lost before a sequential NAT
    // shifts every later port, so a failed punch is retried from a fresh port
    // with fresh predictions on both sides (a new request, and so a new Noise
    // handshake). The listener's relay is raced in or taken at once (choosePath).
    for (let attempt = 1; ; attempt++) {
      // Straight to the relay needs no profile; anything else does, to confirm or correct the guess.
      if (this.offer.provisional && this.mode !== 'only') signaled = await this.confirmGuess(signaled);
      const path = choosePath(this.mode, sideOf(this.offer), sideOf(signaled.answer.offer), signaled.answer.offer.relays);
      const connected = await this.timed('punch', () => this.connect(signaled, attempt, path));
      if (connected) return this.open(connected, signaled.keys);
      this.localPort = await freeTcpPort();
      this.offer = (await this.ctx.offers.forDial(this.localPort)).offer;
      signaled = await this.timed('signal', () => this.signal(this.introducers));
    }
  }

  private get mode(): RelayMode {
    return this.opts.relay ?? 'auto';
  }

  /** One signed request with our current offer, telling the listener how we use its relay. */
  private signal(introducers: HostPort[]): Promise<Signaled> {
    const relayUse = this.mode === 'auto' ? {} : { relayUse: this.mode };
    return signal(this.ctx, this.publicKey, introducers, { ...this.offer, ...relayUse });
  }

  private async timed<T>(phase: 'signal' | 'punch', fn: () => Promise<T>): Promise<T> {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      this.ms[phase] += performance.now() - t;
    }
  }

  /** The early flight through the introducers we know; the record's introducers if none of them holds the listener. */
  private async firstAnswer(): Promise<Signaled> {
    const { ctx, publicKey } = this;
    this.mapped = await this.mapping();
    this.offer = this.mapped?.offer ?? ctx.offers.recent(this.localPort)?.offer ?? ctx.offers.provisional(this.localPort);
    this.introducers = this.opts.firstIntroducers ?? ctx.earlyIntroducers;
    const early = this.introducers.length > 0 ? await this.signal(this.introducers).catch(unlessFinal) : undefined;
    if (early) return early;
    const record = await this.lookup;
    if (record instanceof Error) throw lookupFailure(record);
    this.ms.usedRecord = true;
    ctx.progress('signal', `record found (seq ${record.seq}); signaling through ${record.introducers.map(fmt).join(', ') || 'no introducer'}`);
    if (record.introducers.length === 0) throw new DialError('signal-failed', `the record of ${hex(publicKey)} names no introducer to signal through`);
    this.introducers = record.introducers;
    if (!this.mapped) this.offer = await realOffer(this.profiled);
    return this.signal(this.introducers);
  }

  /** A mapping asked for this dial (portMapping), beside our profile. */
  private async mapping(): Promise<DialMapping | undefined> {
    const { ctx } = this;
    if (!this.opts.portMapping || !ctx.mapForDial) return undefined;
    return DialMapping.forDial(ctx.mapForDial(this.stopMapping.signal), this.profiled, ctx.offers, ctx.progress);
  }

  /** The listener punched at our provisional guess; the profile says whether it was right, else we signal again. */
  private async confirmGuess(signaled: Signaled): Promise<Signaled> {
    // A listener we connect to (no NAT, or a mapped port) waits for us whatever our NAT does,
    // and a punch over IPv6 needs no prediction: neither waits for our profile.
    const theirs = sideOf(signaled.answer.offer);
    if (theirs.reachable || bothIpv6(sideOf(this.offer), theirs)) return signaled;
    const guess = this.offer;
    const atRelay = this.listenerAtRelay(guess, signaled);
    if (atRelay) {
      // The kind of NAT we are behind is all it takes to see that no punch can work: the background
      // profile tells it, without waiting for the profile of this dial's port.
      const known = await this.ctx.offers.latest();
      if (known && !canPunch(sideOf(known), sideOf(signaled.answer.offer))) return this.meetAtRelay(known, signaled);
    }
    const real = await realOffer(this.profiled);
    // The listener punches a provisional offer only with a direct plan (see PunchOffer.provisional).
    const confirmed = guessHolds(real, guess.localPort) && canPunch(sideOf(real), sideOf(signaled.answer.offer), true);
    this.offer = real;
    if (confirmed) return signaled;
    if (atRelay && !canPunch(sideOf(real), sideOf(signaled.answer.offer))) return this.meetAtRelay(real, signaled);
    this.ctx.progress('signal', `our NAT is ${real.nat.mapping}, not the port-preserving guess: signaling again with the real prediction`);
    return this.timed('signal', () => this.signal(this.introducers));
  }

  /** No punch can work and the listener went to its relay at once: meet it there in this same exchange. */
  private meetAtRelay(ours: PunchOffer, signaled: Signaled): Signaled {
    this.offer = ours;
    this.ctx.progress('signal', `our NAT is ${ours.nat.mapping}: no punch can reach the peer; meeting it at the relay it went to`);
    return signaled;
  }

  /** The listener read our provisional guess and, unable to punch it directly, went to its relay at once (choosePath). */
  private listenerAtRelay(guess: PunchOffer, { answer }: Signaled): boolean {
    // The guess as the listener read it; the address only sets where SYNs would go, not whether a plan exists.
    const guessed = dialerSideOf(guess, { host: '0.0.0.0', port: 0 });
    if (!guessed) return false;
    const theirs = choosePath(this.mode, sideOf(answer.offer), guessed, answer.offer.relays, { provisional: true });
    return !theirs.punch && theirs.relays.length > 0 && theirs.relayAfterMs === 0;
  }

  /** One punch; undefined when it failed in a way a fresh port may fix. */
  private async punchOnce({ answer }: Signaled, attempt: number, abort: AbortSignal): Promise<ConnectResult | undefined> {
    this.ctx.progress('punch', `answer via ${fmt(answer.introducer)} in ${Math.round(answer.rttMs)} ms; peer NAT ${answer.offer.nat.mapping}, predicted ${answer.offer.publicEndpoints.map(fmt).join(', ')}`);
    try {
      // 'select': the keyed stream's OPEN messages confirm the socket, so no READY round trip.
      return await connectPeer({ localPort: this.localPort, local: sideOf(this.offer), remote: sideOf(answer.offer), rttMs: answer.rttMs, role: 'initiator', agreement: 'select', timeoutMs: PUNCH_TIMEOUT_MS, signal: abort });
    } catch (err) {
      const retry = err instanceof PunchError && (err.code === 'timeout' || err.code === 'refused') && attempt < PUNCH_ATTEMPTS;
      if (!retry) throw new DialError('punch-failed', `punch to ${hex(this.publicKey)} failed: ${(err as Error).message}`, { cause: err });
      this.ctx.progress('punch', `attempt ${attempt} failed (${(err as Error).message}); again from a fresh port`);
      return undefined;
    }
  }

  /**
   * A socket to the peer by the path choosePath gave: the punch alone, the
   * relay alone, or the punch with the relay raced in after its head start
   * (or at once when the punch fails first); the first socket wins and the
   * other attempt is called off. Undefined when the punch failed in a way a
   * fresh port may fix and no relay gave a circuit.
   */
  private connect(signaled: Signaled, attempt: number, path: PathChoice): Promise<Connected | undefined> {
    const hex64 = hex(this.publicKey);
    if (!path.punch && path.relays.length === 0) {
      const why = this.mode === 'never' ? 'relaying is off' : this.mode === 'only' ? 'the listener names no relay' : 'and the listener names no relay';
      const failure = this.mode === 'only' ? 'relay-failed' : 'punch-failed';
      const unpunchable = this.mode === 'only' ? '' : 'no punch can reach it (both NATs map ports unpredictably); ';
      return Promise.reject(new DialError(failure, `no path to ${hex64}: ${unpunchable}${why}`));
    }
    const stopPunch = new AbortController();
    const stopRelay = new AbortController();
    return new Promise((resolve, reject) => {
      let settled = false;
      let punchOutcome: 'running' | 'retry' | { error: unknown } = path.punch ? 'running' : { error: undefined };
      let relayOutcome: 'waiting' | 'running' | { error: unknown } = path.relays.length > 0 ? 'waiting' : { error: undefined };
      const win = (c: Connected) => {
        if (settled) return void c.socket.destroy();
        settled = true;
        clearTimeout(relayTimer);
        stopPunch.abort();
        stopRelay.abort();
        resolve(c);
      };
      const maybeLost = () => {
        if (settled || punchOutcome === 'running' || relayOutcome === 'waiting' || relayOutcome === 'running') return;
        settled = true;
        const relayErr = relayOutcome.error;
        if (relayErr instanceof RelayError) {
          const first = punchOutcome === 'retry' || punchOutcome.error === undefined ? '' : 'the punch failed and ';
          reject(relayDialError(relayErr, hex64, first));
        } else if (punchOutcome === 'retry') resolve(undefined);
        else reject(punchOutcome.error);
      };
      const startRelay = () => {
        if (settled || relayOutcome !== 'waiting' || path.relays.length === 0) return;
        clearTimeout(relayTimer);
        relayOutcome = 'running';
        const { relays } = path;
        const others = relays.length > 1 ? ` (then ${relays.slice(1).map(fmt).join(', ')})` : '';
        this.ctx.progress('relay', `${path.punch ? 'no punched socket yet: ' : ''}meeting the peer at relay ${fmt(relays[0]!)}${others}`);
        const token = circuitToken(signaled.keys.hash);
        const opts = { timeoutMs: CIRCUIT_TIMEOUT_MS, signal: stopRelay.signal };
        // The relay as the only path: our first flight rides behind the hello (see openCircuitEarly). Raced
        // against a punch, a circuit wins only once the relay says it is spliced.
        const opening = path.punch
          ? openCircuitAt(relays, token, { ...opts, onNext: (left, why) => this.ctx.progress('relay', `${why.message}; trying the next relay`) })
          : openCircuitEarly(relays, token, opts).then(({ stream, relay }) => ({ socket: stream, relay }));
        opening.then(
          ({ socket, relay }) => win({ socket, how: describeRelayed(relay), where: `relay ${fmt(relay)}` }),
          (err: unknown) => {
            relayOutcome = { error: err };
            maybeLost();
          },
        );
      };
      const relayTimer = setTimeout(startRelay, path.relayAfterMs);
      if (!path.punch) return;
      const theirs = sideOf(signaled.answer.offer);
      const punching: Promise<Connected | undefined> =
        this.mapped && !theirs.reachable
          ? this.awaitPeerAtMapping(signaled, stopPunch.signal, this.mapped)
          : this.punchOnce(signaled, attempt, stopPunch.signal).then((r) => r && { socket: r.socket, how: describe(r), where: `${r.winner.host}:${r.winner.port}` });
      punching.then(
        (c) => {
          if (c) return win(c);
          punchOutcome = 'retry';
          startRelay();
          maybeLost();
        },
        (err: unknown) => {
          punchOutcome = { error: err };
          startRelay();
          maybeLost();
        },
      );
    });
  }

  private awaitPeerAtMapping(signaled: Signaled, abort: AbortSignal, mapped: DialMapping): Promise<Connected> {
    this.ctx.progress('punch', `answer via ${fmt(signaled.answer.introducer)} in ${Math.round(signaled.answer.rttMs)} ms; waiting for the peer at our mapped port ${fmt(mapped.server.mapping.external)}`);
    return mapped.awaitPeer(signaled, this.publicKey, abort).then(({ stream, how, where }) => ({ socket: stream, keyed: stream, how, where }));
  }

  private async open(connected: Connected, keys: SessionKeys): Promise<PeerStream> {
    this.ctx.progress('open', `connected to ${connected.where} (${connected.how.method}); opening the secure stream`);
    const tOpen = performance.now();
    // Accepted at our mapped port: the server keyed it, and the peer proved itself already.
    const stream = connected.keyed ?? await keyedStream(connected.socket, true, keys, OPEN_TIMEOUT_MS, { zeroRtt: !this.opts.waitForPeer }).catch((err: Error) => {
      // A relay circuit that never formed (busy, the peer never came): what it is, not a wrong key.
      if (err instanceof RelayError) throw relayDialError(err, hex(this.publicKey));
      throw new DialError('wrong-key', `the peer at ${connected.where} did not prove it holds ${hex(this.publicKey)}: ${err.message}`, { cause: err });
    });
    const { ms } = this;
    return withInfo(stream, {
      remotePublicKey: keys.remotePublicKey,
      ...connected.how,
      // The lookup counts only when the dial waited for it.
      timings: { lookupMs: ms.usedRecord ? ms.lookupDone : 0, profileMs: ms.profile, signalMs: ms.signal, punchMs: ms.punch, openMs: performance.now() - tOpen, totalMs: this.since() },
    });
  }
}

async function realOffer(profiled: Promise<PunchOffer | Error>): Promise<PunchOffer> {
  const offer = await profiled;
  if (offer instanceof Error) throw new DialError('punch-failed', `could not profile our NAT: ${offer.message}`, { cause: offer });
  return offer;
}

/** The provisional guess was port preservation of `localPort`. */
function guessHolds(real: PunchOffer, localPort: number): boolean {
  if (real.nat.mapping === 'none') return true;
  return real.nat.mapping === 'port-preserving' && real.publicEndpoints.some((e) => e.port === localPort);
}
