/**
 * How much of this node's storage one source IP may hold. bittorrent-dht
 * keeps 1,000 BEP 44 values and its announced peers in LRU caches shared by
 * everyone: one address putting 1,000 items (or announcing thousands of
 * ports) pushed every other peer's record out. Each source IP may hold at
 * most `perIp` distinct items and `perIp` distinct announcements at a time;
 * storing one it already holds (a republish) is always allowed. What an IP
 * holds is remembered for `holdMs` (records live for minutes; older puts
 * have been republished or have expired), for at most `maxIps` addresses.
 */
export class StoreQuota {
  /** ip -> item key -> when stored (ms), least recently active IP first. */
  private readonly held = new Map<string, Map<string, number>>();

  constructor(
    private readonly perIp = 64,
    private readonly holdMs = 30 * 60_000,
    private readonly maxIps = 4096,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Whether `ip` may store `item` now (and if so, it is counted as held). */
  admit(ip: string, item: string): boolean {
    const now = this.now();
    let items = this.held.get(ip);
    if (items) this.held.delete(ip);
    else {
      if (this.held.size >= this.maxIps) this.held.delete(this.held.keys().next().value!);
      items = new Map();
    }
    // Re-inserted: Map order is least recently active first.
    this.held.set(ip, items);
    for (const [key, at] of items) {
      if (now - at < this.holdMs) break;
      items.delete(key);
    }
    if (!items.has(item) && items.size >= this.perIp) return false;
    items.delete(item);
    items.set(item, now);
    return true;
  }
}
