import type { BirthdayTiming, Candidate, GuessPlan, SprayPlan } from './candidate.js';
import { PunchError } from './errors.js';
import type { HostPort } from '@p2p-node/protos';
import { sharesOnePublicPort, type Prediction } from './predict.js';
import type { PunchRole } from './punch-types.js';

export interface PlanInput {
  local: Prediction;
  remote: Prediction;
  /** The peer's LAN endpoints (tried directly: they win when both sit behind one NAT). */
  remoteLan?: HostPort[];
  /** Round-trip estimate between the peers, from signaling (used to pace birthday rounds). */
  rttMs?: number;
  /**
   * Birthday sizes: sockets sprayed by the random side (default 512), guesses
   * by the predictable side (default 768). Expected matches are
   * spray * guesses / 64512 = 6.1, so a round misses with e^-6.1 = 0.2%.
   */
  sprayCount?: number;
  guessCount?: number;
}

export interface PunchPlan {
  strategy: 'direct' | 'birthday-guess' | 'birthday-spray';
  /**
   * Who sends SELECT, when the plan knows better than the caller: in a
   * birthday attack the spraying side sees the connection one half round
   * trip before the guessing side, so it decides (both sides agree on this
   * from the same two predictions).
   */
  role?: PunchRole;
  /** See PunchOptions.agreement. */
  agreement?: 'ready' | 'select';
  candidates: Candidate[];
  spray?: SprayPlan;
  guesses?: GuessPlan;
  birthday?: BirthdayTiming;
}

function methodLabel(p: Prediction, index: number): string {
  return p.method === 'sequential' ? `sequential+${index + 1}` : p.method;
}

/**
 * Chooses how to reach the peer from both predictions. The cases follow the
 * seed's matrix:
 * - both predictable: aim at the peer's predicted ports (all of them: a
 *   sequential window is opened in order so both NATs allocate in step);
 * - one random, the other keeping one public port for all destinations
 *   (port-preserving or endpoint-independent): a birthday attack;
 * - one random, the other allocating a new port per connection (sequential),
 *   or both random: no guess can meet, so fail now rather than send SYNs.
 * Both sides run this on the same two predictions and get matching plans.
 */
export function planPunch(input: PlanInput): PunchPlan {
  const { local, remote } = input;
  const lan: Candidate[] = (input.remoteLan ?? [])
    .filter((e) => e.host !== remote.publicIp)
    .map((e) => ({ host: e.host, port: e.port, method: 'lan' }));
  const rtt = Math.max(1, input.rttMs ?? 100);
  // The guessing side needs ~50 ms to hand 768 connects to the kernel (Node
  // 20, measured); the spray must reach its NAT after those mappings exist,
  // or a NAT that answers with RST kills the spray's own mappings. The
  // one-way trip already covers part of that.
  const birthday: BirthdayTiming = { roundMs: 1200 + 3 * rtt, sprayLagMs: Math.max(0, Math.round(50 - rtt / 2)) };
  const localRandom = local.method === 'unpredictable';
  const remoteRandom = remote.method === 'unpredictable';

  if (localRandom && remoteRandom) {
    throw new PunchError('unpredictable-peer', 'both NATs map ports randomly: no port prediction can meet (both sides unpredictable)');
  }
  if (!localRandom && !remoteRandom) {
    const aimed = remote.ports.map((port, i) => ({ host: remote.publicIp, port, method: methodLabel(remote, i) }));
    return { strategy: 'direct', candidates: [...lan, ...aimed] };
  }
  if (remoteRandom) {
    if (!sharesOnePublicPort(local)) {
      throw new PunchError(
        'unpredictable-peer',
        `peer's NAT maps randomly and ours (${local.method}) opens a new public port per connection: a birthday attack needs one side whose SYNs share one public port`,
      );
    }
    return {
      strategy: 'birthday-guess',
      candidates: lan,
      guesses: { host: remote.publicIp, count: input.guessCount ?? 768 },
      birthday,
      role: 'responder',
      agreement: 'select',
    };
  }
  if (!sharesOnePublicPort(remote)) {
    throw new PunchError(
      'unpredictable-peer',
      `our NAT maps randomly and the peer's (${remote.method}) opens a new public port per connection: a birthday attack needs one side whose SYNs share one public port`,
    );
  }
  const targets = remote.ports.map((port, i) => ({ host: remote.publicIp, port, method: methodLabel(remote, i) }));
  return {
    strategy: 'birthday-spray',
    candidates: lan,
    spray: { targets, count: input.sprayCount ?? 512 },
    birthday,
    role: 'initiator',
    agreement: 'select',
  };
}
