/** One remote endpoint to aim SYNs at, and how it was guessed (reported when it wins). */
export interface Candidate {
  host: string;
  port: number;
  /** e.g. 'lan', 'port-preservation', 'endpoint-independent', 'sequential+2', 'birthday'. */
  method: string;
}

/**
 * Birthday attack, random side: `count` sockets from kernel-chosen local
 * ports, each to one of `targets` (the peer's single public endpoint).
 * Every socket gets its own random public port from our NAT; one of them
 * lands on a port the peer guessed.
 */
export interface SprayPlan {
  targets: Candidate[];
  count: number;
}

/**
 * Birthday attack, predictable side: `count` sockets from our one local port
 * (which keeps one public port, so all of them share it) to random ports of
 * the random peer's public IP.
 */
export interface GuessPlan {
  host: string;
  count: number;
  /** Inclusive range the peer's NAT draws from (Linux --random-fully: 1024-65535). */
  minPort?: number;
  maxPort?: number;
}

/** Rounds of a birthday attack: both sides start round k at startAt + k * roundMs. */
export interface BirthdayTiming {
  roundMs: number;
  /** The random side sprays this long after the round starts, so the guesses' mappings exist first. */
  sprayLagMs: number;
}
