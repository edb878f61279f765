/** A place in the gate: `settle` once the connection named a handshake we answered, `leave` when it is done (both idempotent). */
export interface GateSlot {
  settle(): void;
  leave(): void;
}

interface Waiting {
  ip: string;
  since: number;
  evict: () => void;
}

/**
 * Bounds the connections a publicly reachable listener is still sizing up.
 * Anyone can open TCP connections to it. Refusing newcomers once a bound is
 * full let about 26 idle connections a second keep every dialer out, and
 * a per-IP bound also shut out dialers behind the attacker's carrier NAT.
 * So a full gate makes room by evicting the oldest connection that has not
 * yet sent its first frame, from the source holding the most such places. A real dialer's first frame follows its TCP
 * handshake at once; it then holds a settled place that is never evicted.
 * An idle connection is always older than the dialer arriving behind it.
 * Settled places are bounded only by the handshakes we answered in
 * signaling, so they count towards the total but not towards a source's
 * share.
 *
 * A source's share only evicts connections that have waited `graceMs`: a
 * crowd of dialers behind one carrier NAT connects within a few
 * milliseconds, all before the first of their first frames is read, and
 * evicting the oldest of them at once dropped dialers that had signaled
 * (200 at once from one IP: 82 dropped). A loaded dialer can also take over
 * a second to send its first frame after the TCP handshake (seen with 200
 * dialers in one process on two cores; a 1 s grace still dropped 1-3 of
 * them), hence 3 s, under the 5 s first-frame limit. Within the grace a
 * source may hold more places, up to the total, where the heaviest source's
 * oldest is evicted whatever its age.
 */
export class HandshakeGate {
  /** In arrival order (a Map keeps insertion order), so the first one is the oldest. */
  private readonly waiting = new Map<symbol, Waiting>();
  private readonly waitingPerIp = new Map<string, number>();
  private settled = 0;

  constructor(
    private readonly maxWaitingPerIp = 8,
    private readonly maxTotal = 256,
    private readonly graceMs = 3_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes a place for a connection from `ip`, evicting older waiting ones if needed; undefined only when every place is settled. */
  enter(ip: string, evict: () => void): GateSlot | undefined {
    if (this.waiting.size + this.settled >= this.maxTotal && !this.evictOldest(this.heaviestSource())) return undefined;
    const now = this.now();
    if ((this.waitingPerIp.get(ip) ?? 0) >= this.maxWaitingPerIp) this.evictOldest(ip, now - this.graceMs);
    const id = Symbol(ip);
    this.waiting.set(id, { ip, since: now, evict });
    this.waitingPerIp.set(ip, (this.waitingPerIp.get(ip) ?? 0) + 1);
    let state: 'waiting' | 'settled' | 'gone' = 'waiting';
    return {
      settle: () => {
        if (state !== 'waiting') return;
        state = 'settled';
        this.forget(id);
        this.settled++;
      },
      leave: () => {
        if (state === 'settled') this.settled--;
        else if (state === 'waiting') this.forget(id);
        state = 'gone';
      },
    };
  }

  get counts(): { waiting: number; settled: number } {
    return { waiting: this.waiting.size, settled: this.settled };
  }

  /**
   * The source holding the most waiting places: a full gate makes room there.
   * Evicting the oldest connection of any source let one IP churning idle
   * connections (5,000 a second) evict dialers from everywhere else: 9 of
   * 10 failed while 1,000 were held open.
   */
  private heaviestSource(): string | undefined {
    let heaviest: string | undefined;
    let most = 0;
    for (const [ip, n] of this.waitingPerIp) {
      if (n > most) {
        most = n;
        heaviest = ip;
      }
    }
    return heaviest;
  }

  /** Evicts the oldest waiting connection (from `ip`, and arrived by `arrivedBy`, if given). */
  private evictOldest(ip: string | undefined, arrivedBy = Infinity): boolean {
    for (const [id, w] of this.waiting) {
      // Arrival order: once one is too young, all after it are too.
      if (w.since > arrivedBy) return false;
      if (ip !== undefined && w.ip !== ip) continue;
      this.forget(id);
      w.evict();
      return true;
    }
    return false;
  }

  private forget(id: symbol): void {
    const w = this.waiting.get(id);
    if (!w) return;
    this.waiting.delete(id);
    const n = (this.waitingPerIp.get(w.ip) ?? 1) - 1;
    if (n === 0) this.waitingPerIp.delete(w.ip);
    else this.waitingPerIp.set(w.ip, n);
  }
}
