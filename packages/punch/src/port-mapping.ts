import { pmpNat, upnpNat, type Gateway } from '@achingbrain/nat-port-mapper';
import { formatHostPort, P2pNodeError, type HostPort } from '@p2p-node/protos';

/*
 * A TCP port mapping asked of the NAT in front of us, so that a listening
 * socket behind it is reachable without a punch, whatever the NAT does with
 * other ports (a random NAT included). The protocols are
 * @achingbrain/nat-port-mapper's (the library libp2p uses): SSDP discovery,
 * SOAP for UPnP-IGD, and NAT-PMP's binary messages are not ours to get
 * right. Its own lease renewal is off (autoRefresh: false) and done here:
 * tried against miniupnpd in the lab, 4.0.5's renewal turned a NAT-PMP
 * unmap into a loop of some 200 deletes a second and made stop() throw with
 * the mapping left in place. The version is pinned: 4.0.5 sends a NAT-PMP
 * `ttl` as the protocol's seconds (its docs say ms) while UPnP-IGD takes ms
 * (at least an hour), and the leases below rely on exactly that.
 */

export type PortMappingProtocol = 'nat-pmp' | 'upnp-igd';

/** No usable mapping: no gateway answered, or the one that did cannot make us reachable. */
export class PortMappingError extends P2pNodeError {
  constructor(message: string) {
    super('port-mapping-failed', message);
  }
}

export interface PortMapping {
  /** Where the world connects to reach our port. */
  external: HostPort;
  protocol: PortMappingProtocol;
  /** Removes the mapping at the NAT and stops renewing it (best effort, bounded in time). */
  release(): Promise<void>;
}

export interface MapPortOptions {
  /** Our listening port and the LAN address the NAT forwards to. */
  localPort: number;
  localHost: string;
  /** The NAT box in front of us (gatewayTowards a public host): NAT-PMP asks it; unknown, UPnP-IGD discovery alone. */
  gateway?: string;
  /**
   * Our public IP as reflectors see it. A mapping on another address is
   * refused: it was made by a NAT behind another one (NAT444), and the
   * outer NAT still drops what the world sends to it.
   */
  publicIp?: string;
  /** How long to wait for a gateway that maps; default 5 s. */
  timeoutMs?: number;
  /** The lease asked for, in seconds, renewed at half of it; default one hour (UPnP-IGD gets at least that). */
  leaseSec?: number;
  /** How often the mapping is asked for again; default half the lease. */
  renewEveryMs?: number;
  /** A renewal failed (the mapping may lapse at the lease's end); renewals go on. */
  onRenewFailed?: (err: Error) => void;
  description?: string;
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_LEASE_SEC = 3_600;
/** Releasing talks to the NAT once more: never let a stuck gateway hold a shutdown. */
const RELEASE_TIMEOUT_MS = 2_100;
const RELEASE_ATTEMPTS = 3;
const RENEW_TIMEOUT_MS = 10_000;
const PMP_TIMEOUT_MS = 1_500;
/**
 * SSDP discovery is one multicast M-SEARCH and its unicast answers, UDP
 * both ways; the library sends it once unless told an interval. Under 5%
 * loss a lost search or answer left a listener unmapped (lab, rand-igd at
 * 25 ms + 5% loss: "UPnP-IGD: no gateway found"), so it is sent again at
 * this pace until a gateway answers or the deadline passes.
 */
const SSDP_SEARCH_EVERY_MS = 400;

type Attempt = { gateway: Gateway; external: HostPort; protocol: PortMappingProtocol; remap: (signal: AbortSignal) => Promise<unknown> };

/**
 * Asks for a TCP mapping to localHost:localPort: NAT-PMP at the gateway
 * first (one datagram each way), then UPnP-IGD discovery on the LAN. One
 * after the other, not raced: most boxes speak both, and a second mapping
 * of the same port made by the loser could only be removed by deleting the
 * winner's too. Rejects with PortMappingError when neither maps in time, or
 * when the mapping would not make us reachable.
 */
export async function mapPort(opts: MapPortOptions): Promise<PortMapping> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(opts.signal ? [opts.signal] : [])]);
  const settings: Settings = { description: opts.description ?? 'p2p-node', autoRefresh: false, leaseSec: opts.leaseSec ?? DEFAULT_LEASE_SEC };
  const failures: string[] = [];
  const tries: [string, () => Promise<Attempt>][] = [];
  // A box that does not speak NAT-PMP answers at once (ICMP) or never: the rest of the time is UPnP's.
  if (opts.gateway) tries.push([`NAT-PMP at ${opts.gateway}`, () => mapPmp(opts.gateway!, opts, settings, AbortSignal.any([deadline, AbortSignal.timeout(PMP_TIMEOUT_MS)]))]);
  tries.push(['UPnP-IGD', () => mapUpnp(opts, settings, deadline)]);
  for (const [name, attempt] of tries) {
    if (deadline.aborted) break;
    let a: Attempt;
    try {
      a = await attempt();
    } catch (err) {
      failures.push(`${name}: ${(err as Error).message}`);
      continue;
    }
    if (opts.publicIp && a.external.host !== opts.publicIp) {
      await release(a.gateway, opts.localPort);
      failures.push(`${name} mapped ${formatHostPort(a.external)}, but our public address is ${opts.publicIp} (another NAT beyond that gateway)`);
      continue;
    }
    return keepRenewed(a, settings, opts);
  }
  const why = failures.length > 0 ? failures.join('; ') : `nothing answered within ${timeoutMs} ms`;
  throw new PortMappingError(`no port mapping for tcp ${opts.localHost}:${opts.localPort}: ${why}`);
}

/** The mapping as callers hold it: renewed at half its lease until released. */
function keepRenewed({ gateway, external, protocol, remap }: Attempt, settings: Settings, opts: MapPortOptions): PortMapping {
  const renewal = setInterval(() => {
    remap(AbortSignal.timeout(RENEW_TIMEOUT_MS)).catch((err: Error) => opts.onRenewFailed?.(err));
  }, opts.renewEveryMs ?? (settings.leaseSec * 1000) / 2);
  renewal.unref();
  return {
    external,
    protocol,
    release: () => {
      clearInterval(renewal);
      return release(gateway, opts.localPort);
    },
  };
}

type Settings = { description: string; autoRefresh: false; leaseSec: number };

async function mapPmp(gatewayIp: string, opts: MapPortOptions, settings: Settings, signal: AbortSignal): Promise<Attempt> {
  const gateway = pmpNat(gatewayIp, { description: settings.description, autoRefresh: false });
  // 4.0.5 writes `ttl` into the request as seconds.
  const remap = (s: AbortSignal) => gateway.map(opts.localPort, opts.localHost, { protocol: 'TCP', ttl: settings.leaseSec, autoRefresh: false, signal: s });
  try {
    const m = await remap(signal);
    return { gateway, external: { host: m.externalHost, port: m.externalPort }, protocol: 'nat-pmp', remap };
  } catch (err) {
    await stopQuietly(gateway);
    throw err;
  }
}

/** The first gateway discovery finds that maps; others found are let go. */
async function mapUpnp(opts: MapPortOptions, settings: Settings, signal: AbortSignal): Promise<Attempt> {
  const errors: string[] = [];
  try {
    for await (const gateway of upnpNat({ description: settings.description, autoRefresh: false }).findGateways({ signal, searchInterval: SSDP_SEARCH_EVERY_MS })) {
      // The external port is the local one (the library's default), which its unmap relies on.
      const remap = (s: AbortSignal) => gateway.map(opts.localPort, opts.localHost, { protocol: 'TCP', ttl: settings.leaseSec * 1000, autoRefresh: false, signal: s });
      try {
        const m = await remap(signal);
        return { gateway, external: { host: m.externalHost, port: m.externalPort }, protocol: 'upnp-igd', remap };
      } catch (err) {
        errors.push(`${gateway.host}: ${(err as Error).message}`);
        await stopQuietly(gateway);
      }
    }
  } catch (err) {
    if (!signal.aborted) throw err;
  }
  throw new Error(errors.length > 0 ? errors.join('; ') : 'no gateway found');
}

/**
 * Unmaps (stop() alone does not, with autoRefresh off) and lets go of the
 * gateway's sockets. A NAT-PMP unmap is one UDP datagram the library does
 * not resend: under 5% loss one was lost and the mapping outlived the
 * listener (CI, rand-upnp at 25 ms + 5% loss), so it is asked up to three
 * times, each within a third of the release time.
 */
async function release(gateway: Gateway, localPort: number): Promise<void> {
  for (let attempt = 0; attempt < RELEASE_ATTEMPTS; attempt++) {
    const done = await gateway.unmap(localPort, { signal: AbortSignal.timeout(RELEASE_TIMEOUT_MS / RELEASE_ATTEMPTS) }).then(
      () => true,
      () => false,
    );
    if (done) break;
  }
  await stopQuietly(gateway);
}

async function stopQuietly(gateway: Gateway): Promise<void> {
  await gateway.stop({ signal: AbortSignal.timeout(RELEASE_TIMEOUT_MS) }).catch(() => undefined);
}
