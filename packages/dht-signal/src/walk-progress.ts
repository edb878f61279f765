import { compareDistance } from './get-walk.js';

interface Candidate {
  id: Buffer;
  learnedAt: number;
  responded: boolean;
}

/**
 * Decides when a lookup has heard from the closest part of the DHT, so a
 * "not found" can be trusted without waiting for every far or dead node
 * that k-rpc's walk is still waiting on (each dead one costs a full query
 * timeout, and the walk only ends when the last of them has).
 *
 * It keeps its own view of the candidates (every responder and every node
 * named in a reply's `nodes`) and calls the walk converged once the
 * `closest` nearest candidates have all answered (or every known node has
 * answered or gone silent, when fewer are known), skipping nodes silent for
 * longer than the others took to answer (4x the slowest answer so far,
 * between `minSilenceMs` and `maxSilenceMs`): a node that does not answer
 * cannot serve the record anyway.
 */
/**
 * Floor for "presumed dead": a busy event loop (ours or a peer's) can stall
 * one answer far beyond the round trips seen so far; on a loaded two-core
 * machine 50 ms was not enough and a lookup called "not found" too early.
 */
export const MIN_SILENCE_MS = 200;

export class WalkProgress {
  private readonly candidates = new Map<string, Candidate>();
  private slowestAnswerMs = 0;

  constructor(
    private readonly target: Buffer,
    private readonly selfId: Buffer,
    private readonly closest: number,
    private readonly minSilenceMs: number,
    private readonly maxSilenceMs: number,
  ) {}

  /** How long a candidate may stay silent before it no longer holds up convergence. */
  presumeDeadAfterMs(): number {
    return Math.min(this.maxSilenceMs, Math.max(this.minSilenceMs, 4 * this.slowestAnswerMs));
  }

  onReply(r: Record<string, unknown>, from: { host: string; port: number }, now: number): void {
    if (Buffer.isBuffer(r.id) && r.id.length === 20) {
      const key = `${from.host}:${from.port}`;
      const known = this.candidates.get(key);
      if (known) {
        // Time from learning of a node to its answer: queueing plus round trip.
        if (!known.responded) this.slowestAnswerMs = Math.max(this.slowestAnswerMs, now - known.learnedAt);
        known.responded = true;
      } else this.candidates.set(key, { id: r.id, learnedAt: now, responded: true });
    }
    if (Buffer.isBuffer(r.nodes)) {
      // Compact node info: 20-byte id, 4-byte IPv4, 2-byte port.
      for (let i = 0; i + 26 <= r.nodes.length; i += 26) {
        const id = r.nodes.subarray(i, i + 20);
        const port = r.nodes.readUInt16BE(i + 24);
        if (port === 0 || id.equals(this.selfId)) continue;
        const key = `${r.nodes[i + 20]}.${r.nodes[i + 21]}.${r.nodes[i + 22]}.${r.nodes[i + 23]}:${port}`;
        if (!this.candidates.has(key)) this.candidates.set(key, { id: Buffer.from(id), learnedAt: now, responded: false });
      }
    }
  }

  /** Candidates that answered. */
  counts(): { answered: number } {
    let answered = 0;
    for (const c of this.candidates.values()) if (c.responded) answered++;
    return { answered };
  }

  converged(now: number): boolean {
    const sorted = [...this.candidates.values()].sort((a, b) => compareDistance(this.target, a.id, b.id));
    const silenceLimit = this.presumeDeadAfterMs();
    let answered = 0;
    for (const c of sorted) {
      if (c.responded) {
        if (++answered >= this.closest) return true;
      } else if (now - c.learnedAt < silenceLimit) {
        // A closer node may still answer, possibly with the record.
        return false;
      }
    }
    // Fewer than `closest` live nodes are known and the rest are silent: nothing left to hear.
    return answered > 0;
  }
}
