/**
 * Bounds the connections a publicly reachable listener is still sizing up
 * (waiting for their first frame, then for the stream to open), per source
 * IP and in all. Anyone can open TCP connections to it; without a bound,
 * idle connections from one host would hold sockets (each up to the first-
 * frame timeout) until the process runs out of them, and a global bound
 * alone would let that one host lock everyone else out.
 */
export class HandshakeGate {
  private readonly perIp = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly maxPerIp = 8,
    private readonly maxTotal = 256,
  ) {}

  /** Takes a slot for `ip`, or returns undefined when the bound is reached. The returned function frees it (once). */
  enter(ip: string): (() => void) | undefined {
    const n = this.perIp.get(ip) ?? 0;
    if (n >= this.maxPerIp || this.total >= this.maxTotal) return undefined;
    this.perIp.set(ip, n + 1);
    this.total++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.total--;
      const m = (this.perIp.get(ip) ?? 1) - 1;
      if (m === 0) this.perIp.delete(ip);
      else this.perIp.set(ip, m);
    };
  }
}
