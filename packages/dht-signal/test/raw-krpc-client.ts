// A stranger on the wire: one raw UDP socket sending KRPC queries by hand,
// for tests that measure or provoke a node's answers byte for byte.
import { createSocket, type Socket } from 'node:dgram';
import bencode from 'bencode';
import type { HostPort } from '@p2p-node/protos';

export interface RawAnswer {
  /** Bytes of the query sent. */
  request: number;
  /** The answering datagram, as it came. */
  answer: Buffer;
  /** It decoded: `r` for a response, `e` for an error. */
  msg: { t: Buffer; y: Buffer; r?: Record<string, unknown>; e?: unknown[] } & Record<string, unknown>;
}

export class RawKrpcClient {
  private tid = 0;
  private constructor(readonly socket: Socket) {}

  static async open(host = '127.0.0.1'): Promise<RawKrpcClient> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, host, resolve));
    return new RawKrpcClient(socket);
  }

  /** Sends query `q` with arguments `a` (our fixed id added) to `to`; resolves with its answer, rejects after 2 s. */
  ask(to: HostPort, q: string, a: Record<string, unknown>): Promise<RawAnswer> {
    const t = Buffer.from([(this.tid >> 8) & 0xff, this.tid++ & 0xff]);
    const request = bencode.encode({ t, y: 'q', q, a: { id: Buffer.alloc(20, 7), ...a } });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.socket.off('message', onMessage);
        reject(new Error(`no answer to ${q}`));
      }, 2000);
      const onMessage = (answer: Buffer) => {
        const msg = bencode.decode(answer) as RawAnswer['msg'];
        if (!Buffer.isBuffer(msg.t) || !msg.t.equals(t)) return;
        clearTimeout(timer);
        this.socket.off('message', onMessage);
        resolve({ request: request.length, answer, msg });
      };
      this.socket.on('message', onMessage);
      this.socket.send(request, to.port, to.host);
    });
  }

  close(): void {
    this.socket.close();
  }
}
