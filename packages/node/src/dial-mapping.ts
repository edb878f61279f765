import { formatHostPort as fmt, type PunchOffer } from '@p2p-node/dht-signal';
import type { ConnectionPath } from './connection-info.js';
import type { Signaled } from './dial-signal.js';
import type { MappedServer } from './mapped-server.js';
import type { NatOffers } from './nat-offers.js';
import { DialError } from './peer-errors.js';
import type { SecureStream } from './secure-stream.js';

/** How long a dial waits for a gateway that maps a port (DialOptions.portMapping). */
export const MAP_FOR_DIAL_MS = 2_000;
/** From our answer to the listener's connection at our mapped port: as long as a punch attempt. */
const PEER_CONNECT_TIMEOUT_MS = 6_000;
const hex = (k: Uint8Array) => Buffer.from(k).toString('hex');

/**
 * A server of ours that our NAT forwards a public port to, made for one
 * dial and named in its offer: where no punch can work (our NAT random),
 * the listener connects to it instead of meeting us at a relay. The dial
 * releases it when its stream closes or the dial fails.
 */
export class DialMapping {
  private constructor(
    readonly server: MappedServer,
    readonly offer: PunchOffer,
  ) {}

  /**
   * A mapping made for one dial, beside our profile. A mapping on an
   * address other than the one the reflectors see was made by a NAT behind
   * another NAT: of no use, so it is released and the dial goes on without.
   */
  static async forDial(
    mapping: Promise<MappedServer | undefined>,
    profiled: Promise<PunchOffer | Error>,
    offers: NatOffers,
    progress: (phase: string, detail: string) => void,
  ): Promise<DialMapping | undefined> {
    const [mapped, profile] = await Promise.all([mapping, profiled]);
    if (!mapped) return undefined;
    const base = profile instanceof Error ? undefined : profile;
    if (!base || (base.nat.publicIp && base.nat.publicIp !== mapped.mapping.external.host)) {
      const why = base ? `our public address is ${base.nat.publicIp}: a NAT behind another one` : 'our NAT profile failed';
      progress('port-mapping', `mapped ${fmt(mapped.mapping.external)}, but ${why}; not offered`);
      await mapped.close();
      return undefined;
    }
    progress('port-mapping', `port mapped by ${mapped.mapping.protocol}: ${fmt(mapped.mapping.external)} -> ${mapped.localHost}:${mapped.localPort}; the peer connects to us`);
    return new DialMapping(mapped, offers.mapped(base, mapped.mapping.external, mapped.localPort));
  }

  /** The peer's connection at our mapped port, keyed and proven (DirectServer); a DialError when it does not come in time. */
  awaitPeer({ keys }: Signaled, publicKey: Uint8Array, abort: AbortSignal): Promise<{ stream: SecureStream; how: ConnectionPath; where: string }> {
    const { server } = this.server;
    const external = fmt(this.server.mapping.external);
    return new Promise((resolve, reject) => {
      const stop = (err: Error) => {
        clearTimeout(timer);
        server.forget(keys, { initiator: true });
        reject(err);
      };
      const timer = setTimeout(() => stop(new DialError('punch-failed', `${hex(publicKey)} did not connect to our mapped port ${external} within ${PEER_CONNECT_TIMEOUT_MS} ms`)), PEER_CONNECT_TIMEOUT_MS);
      abort.addEventListener('abort', () => stop(new Error('called off')), { once: true });
      server.expect(
        keys,
        (stream) => {
          clearTimeout(timer);
          if (abort.aborted) return void stream.destroy();
          const how: ConnectionPath = { path: 'direct', candidate: external, method: 'port-mapped', strategy: 'accept', punch: { attempts: 0, refused: 0, rounds: 0 } };
          resolve({ stream, how, where: `our mapped port ${external}` });
        },
        { initiator: true },
      );
    });
  }
}
