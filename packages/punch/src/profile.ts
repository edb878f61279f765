import { classifyNat, type ClassifyOptions } from './classify.js';
import type { HostPort } from './host-port.js';
import type { NatProfile, Observation } from './profile-types.js';
import { queryReflector } from './reflector.js';

export interface ProfileOptions extends ClassifyOptions {
  /** At least two, on different IPs. */
  reflectors: HostPort[];
  /** The local port to profile (it should be the port the punch will use). */
  localPort: number;
  localAddress?: string;
  timeoutMs?: number;
  /**
   * Also probe once from a fresh kernel-chosen port after the others. For a
   * NAT that allocates a new port per connection this third point confirms
   * the step (two points always look like a "delta"). Default true.
   */
  extraProbe?: boolean;
}

export interface ProfileResult extends NatProfile {
  /** Median time of the reflector exchanges, a rough RTT to the public internet. */
  rttMs: number;
}

/**
 * Profiles this host's NAT: probes run one after the other (not in parallel)
 * so that the order of the observations is the order of the NAT's
 * allocations, which the sequential test depends on.
 */
export async function profileNat(opts: ProfileOptions): Promise<ProfileResult> {
  const ips = new Set(opts.reflectors.map((r) => r.host));
  if (ips.size < 2) throw new Error('profiling needs reflectors on at least two different IPs');
  const observations: Observation[] = [];
  const rtts: number[] = [];
  const failures: string[] = [];
  // Each probe is tried up to three times: on a lossy link one lost SYN
  // costs a 1 s retransmission and two can outlast a timeout.
  const ask = async (reflector: HostPort, localPort: number | undefined, tries = 3): Promise<void> => {
    try {
      const a = await queryReflector({
        reflector,
        ...(localPort ? { localPort } : {}),
        ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
        timeoutMs: opts.timeoutMs ?? 2_500,
      });
      observations.push({ reflector, local: a.local, observed: a.observed });
      rtts.push(a.rttMs);
    } catch (err) {
      if (tries > 1) return ask(reflector, localPort, tries - 1);
      failures.push((err as Error).message);
    }
  };
  for (const r of opts.reflectors) await ask(r, opts.localPort);
  if (opts.extraProbe !== false) await ask(opts.reflectors[0]!, undefined);
  const profile = classifyNat(opts.localPort, observations, opts);
  if (failures.length) profile.reason += `; failed probes: ${failures.join('; ')}`;
  rtts.sort((a, b) => a - b);
  return { ...profile, rttMs: rtts[Math.floor(rtts.length / 2)] ?? 0 };
}
