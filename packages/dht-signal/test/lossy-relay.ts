// A UDP relay on 127.0.0.1 that drops a share of datagrams both ways: it
// stands in for a lossy link and a NAT (each inside client gets its own
// outside socket, which is the address the far side sees and answers to).
import { createSocket, type Socket } from 'node:dgram';
import type { HostPort } from '@p2p-node/protos';

export class LossyRelay {
  readonly dropped = { in: 0, out: 0 };
  private readonly outside = new Map<string, Socket>();
  private constructor(
    private readonly front: Socket,
    private readonly target: HostPort,
    private readonly lossRate: number,
    private readonly random: () => number,
  ) {
    front.on('message', (buf, rinfo) => void this.fromInside(buf, { host: rinfo.address, port: rinfo.port }));
  }

  static async start(target: HostPort, lossRate: number, random: () => number = Math.random): Promise<LossyRelay> {
    const front = createSocket('udp4');
    await new Promise<void>((r) => front.bind(0, '127.0.0.1', () => r()));
    return new LossyRelay(front, target, lossRate, random);
  }

  /** Where clients send instead of the target. */
  address(): HostPort {
    const a = this.front.address();
    return { host: a.address, port: a.port };
  }

  /** The outside ports of the current mappings (what the far side sees). */
  mappedPorts(): number[] {
    return [...this.outside.values()].map((s) => s.address().port);
  }

  /** Forgets every mapping, like a NAT whose UDP timeout passed. */
  dropMappings(): void {
    for (const s of this.outside.values()) s.close();
    this.outside.clear();
  }

  close(): void {
    this.dropMappings();
    this.front.close();
  }

  private async fromInside(buf: Buffer, client: HostPort): Promise<void> {
    if (this.random() < this.lossRate) {
      this.dropped.out++;
      return;
    }
    const key = `${client.host}:${client.port}`;
    let out = this.outside.get(key);
    if (!out) {
      const s = createSocket('udp4');
      out = s;
      this.outside.set(key, s);
      await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
      // Endpoint-independent filtering: whoever knows the mapping reaches the client.
      s.on('message', (reply) => {
        if (this.random() < this.lossRate) {
          this.dropped.in++;
          return;
        }
        this.front.send(reply, client.port, client.host);
      });
    }
    out.send(buf, this.target.port, this.target.host);
  }
}

/** A seeded generator, so a lossy test drops the same datagrams on every run. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
