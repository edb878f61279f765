import { pmpNat, upnpNat, type Gateway } from '@achingbrain/nat-port-mapper';
import { formatHostPort, P2pNodeError, type HostPort } from '@p2p-node/protos';

/*
 * A TCP port mapping asked of the NAT in front of us, so that a listening
 * socket behind it is reachable without a punch, whatever the NAT does with
 * other ports (a random NAT included). The protocols are
 * @achingbrain/nat-port-mapper's (the library libp2p uses): SSDP discovery,
 * SOAP for UPnP-IGD, and NAT-PMP's binary messages are not ours to get
 * right, and it renews leases before they end.
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
  /** The lease asked for; the library renews it a minute before it ends. Default one hour. */
  ttlMs?: number;
  description?: string;
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_TTL_MS = 3_600_000;
/** Releasing talks to the NAT once more: never let a stuck gateway hold a shutdown. */
const RELEASE_TIMEOUT_MS = 2_000;

type Attempt = { gateway: Gateway; external: HostPort; protocol: PortMappingProtocol };

/**
 * Asks for a TCP mapping to localHost:localPort by NAT-PMP (at the gateway)
 * and UPnP-IGD (discovery on the LAN) at once; the first that maps and
 * makes us reachable wins and the other is called off (and unmapped if it
 * mapped too). Rejects with PortMappingError when none does in time.
 */
export async function mapPort(opts: MapPortOptions): Promise<PortMapping> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const stop = new AbortController();
  const signal = AbortSignal.any([stop.signal, AbortSignal.timeout(timeoutMs), ...(opts.signal ? [opts.signal] : [])]);
  const settings = { ttl: opts.ttlMs ?? DEFAULT_TTL_MS, description: opts.description ?? 'p2p-node', autoRefresh: true };
  const failures: string[] = [];
  const losers: Gateway[] = [];
  let winner: Attempt | undefined;
  const keep = async (attempt: Promise<Attempt>, name: string) => {
    try {
      const a = await attempt;
      if (opts.publicIp && a.external.host !== opts.publicIp) {
        losers.push(a.gateway);
        failures.push(`${name} mapped ${formatHostPort(a.external)}, but our public address is ${opts.publicIp} (another NAT beyond that gateway)`);
      } else if (winner) {
        losers.push(a.gateway);
      } else {
        winner = a;
        stop.abort();
      }
    } catch (err) {
      if (!winner) failures.push(`${name}: ${(err as Error).message}`);
    }
  };
  const tries = [keep(mapUpnp(opts, settings, signal, losers), 'UPnP-IGD')];
  if (opts.gateway) tries.push(keep(mapPmp(opts.gateway, opts, settings, signal), `NAT-PMP at ${opts.gateway}`));
  await Promise.all(tries);
  await Promise.all(losers.map((g) => stopQuietly(g)));
  if (!winner) {
    const why = failures.length > 0 ? failures.join('; ') : `no gateway answered within ${timeoutMs} ms`;
    throw new PortMappingError(`no port mapping for tcp ${opts.localHost}:${opts.localPort}: ${why}`);
  }
  const { gateway, external, protocol } = winner;
  return { external, protocol, release: () => stopQuietly(gateway) };
}

type Settings = { ttl: number; description: string; autoRefresh: boolean };

async function mapPmp(gatewayIp: string, opts: MapPortOptions, settings: Settings, signal: AbortSignal): Promise<Attempt> {
  const gateway = pmpNat(gatewayIp, settings);
  try {
    const m = await gateway.map(opts.localPort, opts.localHost, { protocol: 'TCP', signal });
    return { gateway, external: { host: m.externalHost, port: m.externalPort }, protocol: 'nat-pmp' };
  } catch (err) {
    await stopQuietly(gateway);
    throw err;
  }
}

/** The first gateway discovery finds that maps; others found are stopped (`losers`). */
async function mapUpnp(opts: MapPortOptions, settings: Settings, signal: AbortSignal, losers: Gateway[]): Promise<Attempt> {
  const errors: string[] = [];
  try {
    for await (const gateway of upnpNat(settings).findGateways({ signal })) {
      try {
        const m = await gateway.map(opts.localPort, opts.localHost, { protocol: 'TCP', signal });
        return { gateway, external: { host: m.externalHost, port: m.externalPort }, protocol: 'upnp-igd' };
      } catch (err) {
        errors.push(`${gateway.host}: ${(err as Error).message}`);
        losers.push(gateway);
      }
    }
  } catch (err) {
    if (!signal.aborted) throw err;
  }
  throw new Error(errors.length > 0 ? errors.join('; ') : 'no gateway found');
}

async function stopQuietly(gateway: Gateway): Promise<void> {
  await gateway.stop({ signal: AbortSignal.timeout(RELEASE_TIMEOUT_MS) }).catch(() => undefined);
}
