import { classifyNat, type ClassifyOptions } from './classify.js';
import type { HostPort } from '@p2p-node/protos';
import type { NatProfile, Observation } from './profile-types.js';
import { queryReflector, type ReflectorAnswer } from './reflector.js';

export interface ProfileOptions extends ClassifyOptions {
  /** At least two, on different IPs. */
  reflectors: HostPort[];
  /** The local port to profile (it should be the port the punch will use). */
  localPort: number;
  localAddress?: string;
  /** Per try of one probe; a probe makes up to three tries. Default 2.5 s. */
  timeoutMs?: number;
  /**
   * Also probe once from a fresh kernel-chosen port, beside the others. For a
   * NAT that allocates a new port per connection this third point confirms
   * the step (two points always look like a "delta"). Default true.
   */
  extraProbe?: boolean;
  /** Stops every probe at once; profileNat then rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface ProfileResult extends NatProfile {
  /** Median time of the reflector exchanges, a rough RTT to the public internet. */
  rttMs: number;
}

/**
 * Profiles this host's NAT in one parallel flight: every probe (from
 * `localPort` to each reflector, and one from a fresh port) starts at once,
 * so profiling costs one exchange with the slowest reflector instead of one
 * per probe. The classifier does not rely on the order the NAT saw them.
 */
export async function profileNat(opts: ProfileOptions): Promise<ProfileResult> {
  const ips = new Set(opts.reflectors.map((r) => r.host));
  if (ips.size < 2) throw new Error('profiling needs reflectors on at least two different IPs');
  const probes: { reflector: HostPort; localPort: number | undefined }[] = opts.reflectors.map((reflector) => ({ reflector, localPort: opts.localPort }));
  if (opts.extraProbe !== false) probes.push({ reflector: opts.reflectors[0]!, localPort: undefined });
  const failures: string[] = [];
  // Each probe is tried up to three times: on a lossy link one lost SYN
  // costs a 1 s retransmission and two can outlast a timeout.
  const ask = async (reflector: HostPort, localPort: number | undefined, tries = 3): Promise<ReflectorAnswer | undefined> => {
    try {
      return await queryReflector({
        reflector,
        ...(localPort ? { localPort } : {}),
        ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
        timeoutMs: opts.timeoutMs ?? 2_500,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      if (tries > 1) return ask(reflector, localPort, tries - 1);
      failures.push((err as Error).message);
      return undefined;
    }
  };
  // Answers are kept in the order the probes were started, whatever order they came back in.
  const answers = (await Promise.all(probes.map((p) => ask(p.reflector, p.localPort)))).filter((a) => a !== undefined);
  const observations: Observation[] = answers.map((a) => ({ reflector: a.reflector, local: a.local, observed: a.observed }));
  const profile = classifyNat(opts.localPort, observations, opts);
  if (failures.length) profile.reason += `; failed probes: ${failures.join('; ')}`;
  const rtts = answers.map((a) => a.rttMs).sort((a, b) => a - b);
  return { ...profile, rttMs: rtts[Math.floor(rtts.length / 2)] ?? 0 };
}
