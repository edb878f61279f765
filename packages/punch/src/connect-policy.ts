import { connectFirst } from './direct-connect.js';
import { PunchError } from './errors.js';
import type { HostPort } from '@p2p-node/protos';
import { planPunch, type PunchPlan } from './plan.js';
import type { Prediction } from './predict.js';
import { punch, type PunchOptions, type PunchResult, type PunchRole } from './punch.js';

/** One side of a connection attempt, as signaling tells it: plain data, no wire types. */
export interface PeerSide {
  prediction: Prediction;
  lanEndpoints: HostPort[];
  /** No NAT, or a port mapping its NAT made on request, and listening: connect to it instead of punching. */
  reachable: boolean;
  /** Reachable through a port mapping (UPnP-IGD, NAT-PMP) rather than for want of a NAT: the winning method says so. */
  portMapped?: boolean;
  /** Global IPv6 addresses, each with the port punched from (no NAT: the port is its own). */
  ipv6Endpoints?: HostPort[];
}

export interface ConnectPeerOptions {
  /** The bound, non-listening port we punch from. */
  localPort: number;
  local: PeerSide;
  remote: PeerSide;
  /** Round trip between the peers as signaling measured it (paces birthday rounds). */
  rttMs: number;
  /** The dialer initiates, the listener responds, unless the plan says otherwise. */
  role: PunchRole;
  /** Date.now() of the first SYN (the listener starts later so the SYNs cross). */
  startAt?: number;
  timeoutMs: number;
  /**
   * 'select': the initiator keeps its first connected socket at once and no
   * READY byte is sent (PunchOptions.agreement), for callers whose own first
   * messages on the socket prove the peer's end (an encrypted stream keyed
   * beforehand): the agreement then rides in those messages instead of a
   * round trip of its own. Both sides must pass the same. Default: the plan's.
   */
  agreement?: 'ready' | 'select';
  /** Refuse (PunchError 'unpredictable-peer', nothing sent) unless the plan is a direct punch: for a peer whose address only a third party vouches for. */
  directOnly?: boolean;
  signal?: AbortSignal;
}

export type ConnectResult = Pick<PunchResult, 'socket' | 'winner' | 'attempts' | 'refused' | 'rounds'>;

/**
 * One attempt to get a TCP socket to a peer: a plain connect when it has no
 * NAT or a mapped port (it listens) and we are not reachable ourselves or
 * initiate, else the punch that both sides derive from the same two
 * predictions. Retries from fresh ports are the caller's: they need fresh
 * predictions, which only signaling carries.
 */
export async function connectPeer(opts: ConnectPeerOptions): Promise<ConnectResult> {
  // Whoever can be reached is connected to: the initiator's peer when both can, the
  // responder's when only the initiator can (a dialer with a mapped port).
  if (opts.remote.reachable && (opts.role === 'initiator' || !opts.local.reachable)) {
    const endpoints = [...opts.remote.lanEndpoints, ...opts.remote.prediction.ports.map((port) => ({ host: opts.remote.prediction.publicIp, port }))];
    const { socket, winner } = await connectFirst(endpoints, opts.timeoutMs);
    return { socket, winner: { ...winner, method: opts.remote.portMapped ? 'port-mapped' : 'reachable' }, attempts: 1, refused: 0, rounds: 1 };
  }
  const plan = bothIpv6(opts.local, opts.remote) ? ipv6Plan(opts.remote) : planPunch({ local: opts.local.prediction, remote: opts.remote.prediction, remoteLan: opts.remote.lanEndpoints, rttMs: opts.rttMs });
  if (opts.directOnly && plan.strategy !== 'direct') throw new PunchError('unpredictable-peer', `a ${plan.strategy} punch is not made towards an unconfirmed address`);
  return punch({
    localPort: opts.localPort,
    candidates: plan.candidates,
    deadline: Date.now() + opts.timeoutMs,
    role: plan.role ?? opts.role,
    ...(opts.startAt !== undefined ? { startAt: opts.startAt } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...planExtras(plan),
    ...(opts.agreement ? { agreement: opts.agreement } : {}),
  });
}

/** Both sides have a global IPv6 address: a punch between them needs no prediction. */
export function bothIpv6(local: PeerSide, remote: PeerSide): boolean {
  return (local.ipv6Endpoints?.length ?? 0) > 0 && (remote.ipv6Endpoints?.length ?? 0) > 0;
}

/**
 * When both sides have IPv6, the punch goes there (and to the LAN) only:
 * no NAT to predict, so no sequential window or birthday spray, just the
 * simultaneous open through both stateful firewalls. IPv4 is not raced
 * beside it, so the path is the same on every dial; where IPv6 is broken,
 * the relay raced in after the head start carries the dial.
 */
function ipv6Plan(remote: PeerSide): PunchPlan {
  const lan = remote.lanEndpoints.map((e) => ({ host: e.host, port: e.port, method: 'lan' }));
  const v6 = (remote.ipv6Endpoints ?? []).map((e) => ({ host: e.host, port: e.port, method: 'ipv6' }));
  return { strategy: 'direct', candidates: [...v6, ...lan] };
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
