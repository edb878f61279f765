import type { HostPort, PunchOffer } from '@p2p-node/protos';
import { predict, profileNat, type NatProfile, type ProfileResult } from '@p2p-node/punch';
import { freeTcpPort } from './free-port.js';
import { offerFrom, provisionalOffer } from './offer.js';

/** How long a port-preserving (or no-NAT) profile is trusted for new ports without probing. */
const PROFILE_REUSE_MS = 60_000;
/** A long-lived node's background profile period: well inside PROFILE_REUSE_MS. */
export const PROFILE_REFRESH_MS = 40_000;

/**
 * Our side of every punch: the NAT profile of a local port turned into the
 * offer signaling carries. Shared by the dial and listen sides, so a dial
 * can reuse what listening (or an earlier dial) already learned.
 */
export class NatOffers {
  private last: { profile: ProfileResult; at: number } | undefined;
  private warming: Promise<void> | undefined;
  private refresher: NodeJS.Timeout | undefined;

  constructor(
    private readonly reflectors: () => HostPort[],
    private readonly lanHosts: () => string[],
    /** Our global IPv6 addresses: every offer lists them with its port (no NAT there, nothing to profile). */
    private readonly ipv6Hosts: () => string[] = () => [],
  ) {}

  private withIpv6(offer: PunchOffer): PunchOffer {
    const hosts = this.ipv6Hosts();
    return hosts.length > 0 ? { ...offer, ipv6Endpoints: hosts.map((host) => ({ host, port: offer.localPort })) } : offer;
  }

  /** Profiles our NAT from `localPort` and turns the prediction into an offer. */
  async make(localPort: number): Promise<{ offer: PunchOffer; profile: NatProfile }> {
    const profile = await profileNat({ reflectors: this.reflectors(), localPort });
    this.last = { profile, at: Date.now() };
    return { offer: this.withIpv6(offerFrom(profile, predict(profile), this.lanHosts(), profile.rttMs)), profile };
  }

  /**
   * The offer for a fresh port. Behind no NAT or a port-preserving one the
   * public port of any local port is the port itself, so a recent profile
   * answers without probing; other mappings are probed from the new port.
   */
  async forDial(localPort: number): Promise<{ offer: PunchOffer; profile: NatProfile }> {
    await this.warming;
    return this.recent(localPort) ?? this.make(localPort);
  }

  /**
   * The offer for a fresh port without waiting, if a recent profile answers
   * it: no NAT or port preservation, seen within PROFILE_REUSE_MS.
   */
  recent(localPort: number): { offer: PunchOffer; profile: NatProfile } | undefined {
    const last = this.last;
    if (!last || Date.now() - last.at > PROFILE_REUSE_MS || (last.profile.mapping !== 'port-preserving' && last.profile.mapping !== 'none')) return undefined;
    const profile: ProfileResult = {
      ...last.profile,
      localPort,
      mappedPort: localPort,
      lastMappedPort: localPort,
      observations: [],
      reason: `${last.profile.mapping}, as profiled ${Math.round((Date.now() - last.at) / 1000)} s ago`,
    };
    return { offer: this.withIpv6(offerFrom(profile, predict(profile), this.lanHosts(), profile.rttMs)), profile };
  }

  /**
   * The offer of the latest profile, whatever port it was made for, once a
   * background profile under way has finished: enough to tell what kind of
   * NAT we are behind (random and sequential mappings are so for every
   * port), not where a given port maps.
   */
  async latest(): Promise<PunchOffer | undefined> {
    await this.warming;
    const last = this.last;
    if (!last || Date.now() - last.at > PROFILE_REUSE_MS) return undefined;
    return this.withIpv6(offerFrom(last.profile, predict(last.profile), this.lanHosts(), last.profile.rttMs));
  }

  /**
   * The offer of a server our NAT forwards a public port to: the peer
   * connects there, whatever `base` (our profile) says of other ports. No
   * IPv6 endpoints: those are punched from the punch port, which a mapped
   * side no longer uses.
   */
  mapped(base: PunchOffer, external: HostPort, localPort: number): PunchOffer {
    return {
      publicEndpoints: [external],
      lanEndpoints: this.lanHosts().map((host) => ({ host, port: localPort })),
      nat: { ...base.nat, publicIp: external.host, portMapped: true },
      localPort,
      rttMs: base.rttMs,
    };
  }

  /** What a dial sends before any profile: a guess of port preservation, to be confirmed (see PunchOffer.provisional). */
  provisional(localPort: number): PunchOffer {
    return this.withIpv6(provisionalOffer(this.lanHosts(), localPort));
  }

  /** Profiles in the background so that the first dial finds a recent profile. */
  warmUp(onError: (err: Error) => void): void {
    this.warming = freeTcpPort()
      .then((port) => this.make(port))
      .then(() => undefined, onError);
  }

  /**
   * A long-lived node profiles again every `everyMs`, so that a dial finds
   * a recent profile (and sends its real prediction in its first request)
   * instead of waiting for one. Only no-NAT and port-preserving profiles are
   * reused for new ports, so only they are kept fresh. The timer never keeps
   * a process alive.
   */
  keepFresh(everyMs: number, onError: (err: Error) => void): void {
    if (this.refresher) return;
    this.refresher = setInterval(() => {
      const mapping = this.last?.profile.mapping;
      if (mapping !== 'port-preserving' && mapping !== 'none') return;
      this.warmUp(onError);
    }, everyMs);
    this.refresher.unref();
  }

  stop(): void {
    clearInterval(this.refresher);
  }

  /** Resolves once a background profile (if any) has finished. */
  settled(): Promise<void> {
    return this.warming ?? Promise.resolve();
  }
}
