import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { nsExec } from './sh.js';
import { spawnInNs, waitForLine } from './procs.js';

/*
 * Delay and loss on a NAT box, per pass of a packet through it (both
 * directions, LAN->WAN and WAN->LAN). Both act in the raw table's
 * PREROUTING, before conntrack and NAT see the packet, so a delayed packet
 * behaves as if it were still on the wire: the NAT's state only changes when
 * it "arrives". This kernel has no netem: delay is an NFQUEUE rule plus the
 * delayq program (lab/delayq/delayq.c); loss is `-m statistic`.
 *
 * A public host forwards nothing: its traffic is what it receives
 * (PREROUTING) and what it sends (OUTPUT), so both hooks carry the rules
 * there, and each packet to or from it gets the delay once.
 */
export const DELAYQ_BIN = fileURLToPath(new URL('../bin/delayq', import.meta.url));
const QUEUE = 0;
/** IPv4 and IPv6 alike (a box with IPv6 forwards both; delayq takes either from the one queue). */
const FAMILIES = ['iptables', 'ip6tables'] as const;

export interface Impairment {
  /** Added to each pass through this NAT box, in microseconds. */
  delayUs: number;
  /** Chance that a pass drops the packet (0..1). */
  loss: number;
}

/** What can be impaired: a NAT box, or a public host (`endpoint`: it sends and receives rather than forwards). */
export interface ImpairTarget {
  ns: string;
  endpoint?: boolean;
}

export class ImpairedBox<T extends ImpairTarget = ImpairTarget> {
  private current: Impairment = { delayUs: 0, loss: 0 };
  private constructor(
    readonly box: T,
    private readonly delayq: ChildProcess,
  ) {}

  static async start<T extends ImpairTarget>(box: T): Promise<ImpairedBox<T>> {
    const child = spawnInNs(box.ns, DELAYQ_BIN, [String(QUEUE)]);
    await waitForLine(child, /^ready$/, 5_000);
    return new ImpairedBox(box, child);
  }

  private get chains(): string[] {
    return this.box.endpoint ? ['PREROUTING', 'OUTPUT'] : ['PREROUTING'];
  }

  async set(imp: Impairment): Promise<void> {
    if (imp.delayUs === this.current.delayUs && imp.loss === this.current.loss) return;
    // Rules first out, then the new delay, then rules back in: no packet is
    // ever queued to a delay it was not meant to get.
    for (const chain of this.chains) for (const tool of FAMILIES) nsExec(this.box.ns, tool, ['-t', 'raw', '-F', chain]);
    const us = Math.round(imp.delayUs);
    this.delayq.stdin?.write(`delay ${us}\n`);
    await waitForLine(this.delayq, new RegExp(`^delay ${us}$`), 5_000);
    for (const chain of this.chains) {
      for (const tool of FAMILIES) {
        if (imp.loss > 0) {
          nsExec(this.box.ns, tool, ['-t', 'raw', '-A', chain, '-m', 'statistic', '--mode', 'random', '--probability', imp.loss.toFixed(5), '-j', 'DROP']);
        }
        if (us > 0) nsExec(this.box.ns, tool, ['-t', 'raw', '-A', chain, '-j', 'NFQUEUE', '--queue-num', String(QUEUE)]);
      }
    }
    this.current = { ...imp };
  }
}
