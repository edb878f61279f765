import type { HostPort } from '@p2p-node/protos';
import { bothIpv6, planPunch, PunchError, type PeerSide } from '@p2p-node/punch';

/** How a dial may use a relay: 'auto' (when no punch works, or a punch is slow), 'never', or 'only' (for testing a relay). */
export type RelayMode = 'auto' | 'never' | 'only';

/**
 * How long a punch that can work runs alone before the relay is raced in
 * (happy eyeballs). Long enough that a SYN lost twice (the kernel resends it
 * 1 s, then 3 s after the first) still wins directly, so a lossy link does
 * not turn a direct path into a relayed one; short enough that a punch
 * blocked by a NAT we misjudged costs a few seconds, not the punch's full
 * retries (3 x 6 s). The dialer counts it from its punch's start, the
 * listener from its answer (earlier): the listener's half is at the relay
 * first and waits there for the dialer's, never the other way round for long.
 */
export const RELAY_HEAD_START_MS = 3_500;

/**
 * How many of the listener's relays one dial may use. The listener waits
 * at each of them; the dialer takes the first and moves on to the next when
 * it is down (or, raced against a punch, refuses): a relay that died makes
 * a redial a little slower, not a failure.
 */
export const RELAYS_PER_DIAL = 2;

export interface PathChoice {
  /** Run the punch (or the direct connect). */
  punch: boolean;
  /** The relays to meet the peer at, in order (at most RELAYS_PER_DIAL; none when relaying is off or the listener names none). */
  relays: HostPort[];
  /** When to go to the relay: 0 at once, or the punch's head start (see RELAY_HEAD_START_MS for from when). */
  relayAfterMs: number;
}

/**
 * True when some punch plan (or a plain connect) can reach `theirs` from
 * `mine`; with `directOnly`, only a direct punch counts (a provisional guess
 * is never birthday-punched: see PunchOffer.provisional).
 */
export function canPunch(mine: PeerSide, theirs: PeerSide, directOnly = false): boolean {
  // Global IPv6 on both sides: a direct simultaneous open, no prediction needed.
  if (mine.reachable || theirs.reachable || bothIpv6(mine, theirs)) return true;
  try {
    const plan = planPunch({ local: mine.prediction, remote: theirs.prediction });
    return !directOnly || plan.strategy === 'direct';
  } catch (err) {
    if (err instanceof PunchError && err.code === 'unpredictable-peer') return false;
    throw err;
  }
}

/**
 * The one rule both ends apply to the same two offers, so that they meet at
 * the same relay at about the same moment: the listener's first relays, at
 * once when no punch can work (or the dialer asked for the relay only), else
 * after the punch's head start; none when the dialer said never. For a
 * `provisional` dialer offer only a direct punch counts, so a listener whose
 * NAT a guess cannot reach directly goes to the relay at once: a dialer whose
 * profile then shows no punch can work meets it there without signaling
 * again, and one that can punch signals again (which calls that relay off).
 */
export function choosePath(mode: RelayMode, mine: PeerSide, theirs: PeerSide, relays: HostPort[] | undefined, opts: { provisional?: boolean } = {}): PathChoice {
  const chosen = mode === 'never' ? [] : (relays ?? []).slice(0, RELAYS_PER_DIAL);
  if (mode === 'only') return { punch: false, relays: chosen, relayAfterMs: 0 };
  if (!canPunch(mine, theirs, opts.provisional)) return { punch: false, relays: chosen, relayAfterMs: 0 };
  return { punch: true, relays: chosen, relayAfterMs: RELAY_HEAD_START_MS };
}
