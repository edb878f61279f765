import { formatHostPort as fmt, type HostPort } from '@p2p-node/protos';
import { gatewayTowards, mapPort, PortMappingError, type PortMapping } from '@p2p-node/punch';
import { DirectServer } from './direct-server.js';
import { freeTcpPort } from './free-port.js';

/** A server of ours that the NAT in front of us forwards a public port to (UPnP-IGD or NAT-PMP). */
export interface MappedServer {
  server: DirectServer;
  mapping: PortMapping;
  /** The local port the server listens on, which the mapping forwards to. */
  localPort: number;
  /** Where the mapping forwards to. */
  localHost: string;
  /** Removes the mapping and closes the server (best effort, bounded in time). */
  close(): Promise<void>;
}

export interface MappedServerOptions {
  /** Our DHT nodes: the route towards the first tells which gateway is the NAT to ask. */
  reflectors: HostPort[];
  /** The gateway to ask, where it is known already (tests: a NAT-PMP responder on loopback); else found by that route. */
  gateway?: string;
  lanHosts: string[];
  /** The address the server binds. */
  host: string;
  /** Our public IP as reflectors saw it: a mapping on another address (a NAT behind a NAT) is refused. */
  publicIp?: string;
  /** How long to wait for a gateway that maps (mapPort's default when absent). */
  timeoutMs?: number;
  signal: AbortSignal;
  /** Renewal failures and connections the server dropped. */
  progress: (phase: string, detail: string) => void;
}

/**
 * Opens a server on a fresh port and asks the NAT in front of us to map a
 * public port to it (see mapPort). Only when the route to our reflectors
 * goes through a gateway (that is the NAT to ask), so a node on the same
 * link as its DHT nodes never sends discovery at all. Undefined when there
 * is no such gateway or `signal` ended the attempt; a PortMappingError when
 * no gateway mapped, also when `signal` ended an attempt that may have mapped
 * (its cleanup settles once the unmap is done). Nothing is left open then.
 */
export async function openMappedServer(opts: MappedServerOptions): Promise<MappedServer | undefined> {
  const reflector = opts.reflectors[0];
  const gateway = opts.gateway ?? (reflector ? await gatewayTowards(reflector.host) : undefined);
  const localHost = gateway ? closestAddress(opts.lanHosts, gateway) : undefined;
  if (!gateway || !localHost) return undefined;
  const localPort = await freeTcpPort();
  const server = await DirectServer.listen(localPort, opts.host, (why) => opts.progress('accept-failed', why));
  let mapping: PortMapping;
  try {
    mapping = await mapPort({
      localPort,
      localHost,
      gateway,
      signal: opts.signal,
      onRenewFailed: (err) => opts.progress('port-mapping', `renewing ${fmt(mapping.external)} failed (${err.message}); trying again at the next renewal`),
      ...(opts.publicIp ? { publicIp: opts.publicIp } : {}),
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    });
  } catch (err) {
    await server.close();
    // Called off, nothing to report; except that a gateway which may have mapped the port without
    // our hearing of it is still being asked to unmap it, and the caller must be able to wait for that.
    if (opts.signal.aborted && !(err instanceof PortMappingError)) return undefined;
    throw err;
  }
  if (opts.signal.aborted) {
    await Promise.all([mapping.release(), server.close()]);
    return undefined;
  }
  let closing: Promise<void> | undefined;
  // Idempotent: a dial's mapping is closed by its stream and again by the node's close.
  const close = () => (closing ??= Promise.all([mapping.release(), server.close()]).then(() => undefined));
  return { server, mapping, localPort, localHost, close };
}

/** Of our addresses, the one sharing the longest prefix with `gateway`: the LAN address the NAT forwards to. */
function closestAddress(addresses: string[], gateway: string): string | undefined {
  const bits = (ip: string) => ip.split('.').map((o) => Number(o).toString(2).padStart(8, '0')).join('');
  const g = bits(gateway);
  const common = (ip: string) => {
    const b = bits(ip);
    let n = 0;
    while (n < 32 && b[n] === g[n]) n++;
    return n;
  };
  return addresses.filter((a) => a.split('.').length === 4).sort((a, b) => common(b) - common(a))[0];
}
