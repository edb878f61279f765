/** A sequential NAT's step and the newest mapping it handed out, or why the ports are not sequential. */
export type SequentialStep = { ok: true; delta: number; lastMappedPort: number; reason: string } | { ok: false; reason: string };

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * Tests whether public ports (one per connection, in the order the probes
 * were started) come from a NAT that hands out ports in steps.
 *
 * The probes run in parallel, so the NAT allocated in the order their SYNs
 * reached it, which we do not know: the ports are compared sorted. Sorted,
 * they must all differ by small steps; other hosts behind the same NAT may
 * take ports in between ours, so the NAT's own increment is the greatest
 * common divisor of the steps (steps 2 and 4 mean delta 2, not 4).
 *
 * Sorting loses the direction. Allocators count upwards (Linux nft numgen,
 * the common CPE allocators), so upwards is assumed unless three or more
 * ports, in the order the probes were started, strictly step downwards: SYNs
 * sent back to back rarely overtake each other on the way to the NAT, so a
 * full reversal is strong evidence of a NAT counting down.
 */
export function sequentialStep(ports: readonly number[], maxDelta: number): SequentialStep {
  const sorted = [...ports].sort((a, b) => a - b);
  const steps: number[] = [];
  for (let i = 1; i < sorted.length; i++) steps.push(sorted[i]! - sorted[i - 1]!);
  const seen = `ports ${sorted.join(', ')} (sorted) stepped by ${steps.join(', ')}`;
  if (steps.length === 0) return { ok: false, reason: `${seen}: too few mappings to see a step` };
  if (steps.some((s) => s === 0 || s > maxDelta)) return { ok: false, reason: `${seen}: no pattern` };
  const step = steps.reduce(gcd);
  const descending = ports.length >= 3 && ports.every((p, i) => i === 0 || p < ports[i - 1]!);
  if (descending) return { ok: true, delta: -step, lastMappedPort: sorted[0]!, reason: `${seen}, allocated downwards` };
  return { ok: true, delta: step, lastMappedPort: sorted.at(-1)!, reason: seen };
}
