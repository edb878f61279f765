import { upnpNat, type Gateway } from '@achingbrain/nat-port-mapper';
import { formatHostPort, P2pNodeError, type HostPort } from '@p2p-node/protos';
import { pmpRequest } from './pmp-request.js';

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
  /**
   * @param cleanup Settles once a mapping the gateway may have made without our hearing of it
   *   is asked to go (see mapPort); a process about to exit waits for it.
   */
  constructor(
    message: string,
    readonly cleanup: Promise<void> = Promise.resolve(),
  ) {
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

/** A mapping made: where it is, how to ask for it again, and how to remove it. */
type Attempt = {
  external: HostPort;
  protocol: PortMappingProtocol;
  remap: (signal: AbortSignal) => Promise<unknown>;
  unmap: (signal: AbortSignal) => Promise<unknown>;
  /** Lets go of the client's sockets. */
  stop: () => Promise<void>;
};

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
  /** A NAT-PMP gateway that did not answer in time: it may have mapped the port and its answer been lost. */
  let unanswered: Unanswered | undefined;
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
      if (err instanceof Unanswered) unanswered = err;
      failures.push(`${name}: ${(err as Error).message}`);
      continue;
    }
    if (opts.publicIp && a.external.host !== opts.publicIp) {
      await release(a);
      failures.push(`${name} mapped ${formatHostPort(a.external)}, but our public address is ${opts.publicIp} (another NAT beyond that gateway)`);
      continue;
    }
    return keepRenewed(a, settings, opts);
  }
  const why = failures.length > 0 ? failures.join('; ') : `nothing answered within ${timeoutMs} ms`;
  // Under loss a NAT-PMP request can map the port while its answer is lost (lab, upnp-rand at
  // 25 ms + 5% loss: a dial gave up on the gateway, went relayed, and left a port mapped for the
  // lease's hour). Unmapping is keyed by our local port, so it is asked for whether or not a
  // mapping exists: once as soon as the answer is given up on (see mapPmp), and, with nothing
  // else mapped for the port, again until answered. In the background: a failure costs no time.
  const u = unanswered;
  const cleanup = u ? u.unmapped.then((done) => (done ? undefined : u.unmap(AbortSignal.timeout(RELEASE_TIMEOUT_MS)).then(() => undefined, () => undefined))) : Promise.resolve();
  throw new PortMappingError(`no port mapping for tcp ${opts.localHost}:${opts.localPort}: ${why}`, cleanup);
}

/** A NAT-PMP gateway that gave no answer in time. */
class Unanswered extends Error {
  constructor(
    readonly unmap: Attempt['unmap'],
    /** One unmap, sent as soon as the answer was given up on: true once the gateway confirmed it. */
    readonly unmapped: Promise<boolean>,
    cause: unknown,
  ) {
    super((cause as Error).message, { cause });
  }
}

/** The mapping as callers hold it: renewed at half its lease until released. */
function keepRenewed(a: Attempt, settings: Settings, opts: MapPortOptions): PortMapping {
  const renewal = setInterval(() => {
    a.remap(AbortSignal.timeout(RENEW_TIMEOUT_MS)).catch((err: Error) => opts.onRenewFailed?.(err));
  }, opts.renewEveryMs ?? (settings.leaseSec * 1000) / 2);
  renewal.unref();
  return {
    external: a.external,
    protocol: a.protocol,
    release: () => {
      clearInterval(renewal);
      return release(a);
    },
  };
}

type Settings = { description: string; autoRefresh: false; leaseSec: number };

async function mapPmp(gatewayIp: string, opts: MapPortOptions, settings: Settings, signal: AbortSignal): Promise<Attempt> {
  // 4.0.5 writes `ttl` into the request as seconds.
  const remap = (s: AbortSignal) => pmpRequest(gatewayIp, (c, t) => c.map(opts.localPort, opts.localHost, { protocol: 'TCP', ttl: settings.leaseSec, autoRefresh: false, signal: t }), s);
  const unmap = (s: AbortSignal, once?: boolean) => pmpRequest(gatewayIp, (c, t) => c.unmap(opts.localPort, { signal: t }), s, { once });
  try {
    const m = await remap(signal);
    return { external: { host: m.externalHost, port: m.externalPort }, protocol: 'nat-pmp', remap, unmap, stop: async () => undefined };
  } catch (err) {
    if (!signal.aborted) throw err;
    // Out of time: asked to unmap at once, one datagram, before any UPnP-IGD mapping of the same
    // port could exist for a late copy to remove (see mapPort for the rest).
    const unmapped = unmap(AbortSignal.timeout(RELEASE_TIMEOUT_MS / 3), true).then(() => true, () => false);
    throw new Unanswered(unmap, unmapped, err);
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
        const unmap = (s: AbortSignal) => gateway.unmap(opts.localPort, { signal: s });
        return { external: { host: m.externalHost, port: m.externalPort }, protocol: 'upnp-igd', remap, unmap, stop: () => stopQuietly(gateway) };
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
 * client's sockets, within RELEASE_TIMEOUT_MS. A NAT-PMP unmap is a UDP
 * datagram: under 5% loss one was lost and the mapping outlived the
 * listener (CI, rand-upnp at 25 ms + 5% loss); pmpRequest sends it again
 * until answered. UPnP-IGD's SOAP rides on TCP.
 */
async function release(a: Attempt): Promise<void> {
  await a.unmap(AbortSignal.timeout(RELEASE_TIMEOUT_MS)).catch(() => undefined);
  await a.stop();
}

async function stopQuietly(gateway: Gateway): Promise<void> {
  await gateway.stop({ signal: AbortSignal.timeout(RELEASE_TIMEOUT_MS) }).catch(() => undefined);
}
