import type { Observation } from '../src/profile-types.js';

/*
 * Observations recorded in the NAT lab (`pnpm lab --profiles`, local port
 * 12345, reflectors 203.0.113.10 and .11 on port 3478): two probes from the
 * profiled port, then one from a kernel-chosen port, listed in the order the
 * probes were started. They were recorded when the probes ran one after the
 * other; the parallel profile records the same values on the lab's
 * undelayed links (its SYNs reach the NAT in start order).
 */
const R1 = { host: '203.0.113.10', port: 3478 };
const R2 = { host: '203.0.113.11', port: 3478 };
const obs = (lan: string, pub: string, rows: [number, number, 1 | 2][]): Observation[] =>
  rows.map(([local, observed, r]) => ({ reflector: r === 1 ? R1 : R2, local: { host: lan, port: local }, observed: { host: pub, port: observed } }));

/** pp1h1: MASQUERADE keeps the port. */
export const PORT_PRESERVING = obs('10.1.0.2', '203.0.113.100', [
  [12345, 12345, 1],
  [12345, 12345, 2],
  [54690, 54690, 1],
]);

/** cgnh2: a second host behind the same NAT with the same local port, moved to 19709 for both reflectors. */
export const ENDPOINT_INDEPENDENT = obs('10.9.0.3', '203.0.113.108', [
  [12345, 19709, 1],
  [12345, 19709, 2],
  [42512, 42512, 1],
]);

/** seq1h1: nft numgen map, step 2. */
export const SEQUENTIAL = obs('10.7.0.2', '203.0.113.106', [
  [12345, 20000, 1],
  [12345, 20002, 2],
  [58530, 20004, 1],
]);

/** rand1h1: masquerade fully-random. */
export const RANDOM = obs('10.5.0.2', '203.0.113.104', [
  [12345, 31510, 1],
  [12345, 37231, 2],
  [46606, 8314, 1],
]);

/*
 * Parallel probes reach a sequential NAT in an order we cannot see. These are
 * the seq1h1 recording with the NAT's allocations reordered, listed in start
 * order (R1 and R2 from 12345, then the fresh port) as profileNat lists them.
 */

/** The fresh-port probe's SYN reached the NAT first. */
export const SEQUENTIAL_FRESH_FIRST = obs('10.7.0.2', '203.0.113.106', [
  [12345, 20002, 1],
  [12345, 20004, 2],
  [58530, 20000, 1],
]);

/** The first SYN towards R1 was lost before the NAT; its retransmission came last. */
export const SEQUENTIAL_R1_RETRANSMITTED = obs('10.7.0.2', '203.0.113.106', [
  [12345, 20004, 1],
  [12345, 20000, 2],
  [58530, 20002, 1],
]);
