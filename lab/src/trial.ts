import type { AgentClient } from './agent-client.js';
import type { HostPort } from './punch-lib.js';
import type { PunchReply } from './protocol.js';

export interface Side {
  name: string;
  agent: AgentClient;
  localPort: number;
  /** ms this side starts before the common start (early bird). */
  earlyMs: number;
}

export interface TrialResult {
  ok: boolean;
  /** From the later side's start until both sides hold the agreed socket. */
  ms: number;
  winner: string;
  strategy: string;
  detail: string;
  /** For fail-fast rows: the error code both sides gave. */
  codes: string[];
  /** Punch attempts this trial took (1 = the first punch connected). */
  attempts: number;
}

export interface TrialOptions {
  window: number;
  leadMs: number;
  /** Deadline of the first punch, from the common start. */
  timeoutMs: number;
  lan: boolean;
  /** Punches per trial, each with fresh ports and fresh predictions (what a dial's signaling would redo). */
  attempts: number;
  /** Deadline of each further punch. */
  retryTimeoutMs: number;
  /** Fresh local ports for a further punch. */
  freshPorts: () => [number, number];
}

/**
 * One trial = up to `attempts` punches, like a dial that asks its peer to
 * punch again (go-libp2p makes 3 attempts). A further punch re-profiles
 * from new ports, so a NAT whose allocation moved (a SYN lost before a
 * sequential NAT shifts all its later ports) is predicted afresh. A punch
 * refused as unpredictable is final. The time counts from the first start.
 */
export async function runTrial(a: Side, b: Side, reflectors: HostPort[], opts: TrialOptions): Promise<TrialResult> {
  let firstStart = 0;
  let last: TrialResult | undefined;
  for (let n = 1; n <= opts.attempts; n++) {
    let sa = a;
    let sb = b;
    if (n > 1) {
      const [pa, pb] = opts.freshPorts();
      sa = { ...a, localPort: pa, earlyMs: 0 };
      sb = { ...b, localPort: pb, earlyMs: 0 };
    }
    const timeoutMs = n === 1 ? opts.timeoutMs : opts.retryTimeoutMs;
    const { result, start } = await runAttempt(sa, sb, reflectors, { ...opts, timeoutMs });
    // Time runs from the first punch's start; a further attempt's profiling
    // and signaling stand-in count in it, the first attempt's do not.
    if (n === 1) firstStart = start;
    last = { ...result, ms: start + result.ms - firstStart, attempts: n };
    if (result.ok || result.codes.includes('unpredictable-peer')) return last;
  }
  return last!;
}

/**
 * One punch between two agents: both profile their NAT from the port they
 * will punch from (so a sequential NAT's counter is fresh), the harness
 * swaps predictions (standing in for signaling), and both start at the same
 * wall-clock instant (minus the early bird's head start).
 */
async function runAttempt(
  a: Side,
  b: Side,
  reflectors: HostPort[],
  opts: { window: number; leadMs: number; timeoutMs: number; lan: boolean },
): Promise<{ result: TrialResult; start: number }> {
  const [pa, pb] = await Promise.all([
    a.agent.prepare({ localPort: a.localPort, reflectors, window: opts.window }),
    b.agent.prepare({ localPort: b.localPort, reflectors, window: opts.window }),
  ]);
  const start = Date.now() + opts.leadMs;
  const deadline = start + opts.timeoutMs;
  const rttMs = Math.max(pa.rttMs, pb.rttMs);
  const call = (me: Side, mine: typeof pa, peer: Side, theirs: typeof pb, role: 'initiator' | 'responder') =>
    me.agent.punch({
      name: me.name,
      expectPeer: peer.name,
      localPort: me.localPort,
      local: mine.prediction,
      remote: theirs.prediction,
      remoteLan: opts.lan ? [theirs.lan] : [],
      role,
      startAt: start - me.earlyMs,
      deadline,
      rttMs,
    });
  const [ra, rb] = await Promise.all([call(a, pa, b, pb, 'initiator'), call(b, pb, a, pa, 'responder')]);
  const profile = (n: string, p: typeof pa) => `${n}:${p.mapping}${p.mapping === 'unknown' ? ` (${p.reason})` : ''}`;
  return { result: judge(a, ra, b, rb, start, `${profile(a.name, pa)} ${profile(b.name, pb)}`), start };
}

function judge(a: Side, ra: PunchReply, b: Side, rb: PunchReply, start: number, profiles: string): TrialResult {
  if (ra.ok && rb.ok) {
    const endA = start - a.earlyMs + ra.timings.selectedMs;
    const endB = start - b.earlyMs + rb.timings.selectedMs;
    const rightPeers = ra.peerName === b.name && rb.peerName === a.name;
    return {
      ok: rightPeers,
      ms: Math.max(endA, endB) - start,
      // Each side's winning guess of the other: they differ when, say, a
      // sequential side aimed at a port-preserving one.
      winner: ra.winner === rb.winner ? ra.winner : `${ra.winner} / ${rb.winner}`,
      strategy: ra.strategy === rb.strategy ? ra.strategy : `${ra.strategy} / ${rb.strategy}`,
      detail: rightPeers ? `${profiles} via ${ra.winnerEndpoint}` : `WRONG PEER: ${a.name} met ${ra.peerName}, ${b.name} met ${rb.peerName}`,
      codes: [],
      attempts: 1,
    };
  }
  const why = (r: PunchReply) => (r.ok ? 'ok' : `${r.code}: ${r.message}`);
  return {
    ok: false,
    ms: Math.max(ra.ok ? 0 : ra.elapsedMs, rb.ok ? 0 : rb.elapsedMs),
    winner: '-',
    strategy: ra.ok ? ra.strategy : ra.strategy,
    detail: `${profiles}; ${a.name} ${why(ra)}; ${b.name} ${why(rb)}`,
    codes: [ra.ok ? 'ok' : ra.code, rb.ok ? 'ok' : rb.code],
    attempts: 1,
  };
}
