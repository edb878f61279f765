import type { HostPort } from '@p2p-node/protos';
import { queryReflector } from './reflector.js';

export interface MappingKeeperOptions {
  /** Reflectors to ask in turn (any number, one is enough). */
  reflectors: HostPort[];
  /** The published local port whose mapping must stay open. */
  localPort: number;
  localAddress?: string;
  /**
   * How often to refresh. Linux keeps an unreplied TCP mapping 120 s and a
   * closed one (TIME_WAIT) 120 s; home routers often less. Default 25 s.
   */
  intervalMs?: number;
  /** Called when the public endpoint seen by a reflector differs from the previous one. */
  onChange?: (observed: HostPort, previous: HostPort | null) => void;
  onError?: (err: Error) => void;
}

/**
 * Keeps an endpoint-independent mapping alive while it is published: the
 * seed's second method relies on the NAT reusing the mapping of one local
 * port, and a NAT forgets a mapping once no connection from that port has
 * been seen for a while. Each refresh is one short reflector exchange from
 * the same local port, which also tells us if the mapping moved.
 */
export class MappingKeeper {
  private timer: NodeJS.Timeout | undefined;
  private turn = 0;
  private last: HostPort | null = null;
  private stopped = false;
  refreshes = 0;

  constructor(private readonly opts: MappingKeeperOptions) {
    if (opts.reflectors.length === 0) throw new Error('MappingKeeper needs at least one reflector');
  }

  /** The public endpoint seen at the last refresh. */
  get observed(): HostPort | null {
    return this.last;
  }

  start(): this {
    this.schedule(0);
    return this;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.refresh(), ms);
    this.timer.unref();
  }

  private async refresh(): Promise<void> {
    const reflector = this.opts.reflectors[this.turn++ % this.opts.reflectors.length]!;
    try {
      const a = await queryReflector({
        reflector,
        localPort: this.opts.localPort,
        ...(this.opts.localAddress ? { localAddress: this.opts.localAddress } : {}),
      });
      this.refreshes++;
      const prev = this.last;
      this.last = a.observed;
      if (!this.stopped && prev && (prev.host !== a.observed.host || prev.port !== a.observed.port)) this.opts.onChange?.(a.observed, prev);
    } catch (err) {
      if (!this.stopped) this.opts.onError?.(err as Error);
    }
    this.schedule(this.opts.intervalMs ?? 25_000);
  }
}
