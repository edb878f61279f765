import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { HostPort } from '@p2p-node/protos';

const TOKEN_BYTES = 16;

/**
 * Return-routability tokens, as BEP 5 hands out for announce_peer: a MAC of
 * the address a query came from under a secret that rotates, so only whoever
 * receives at that address can present it. One previous secret stays valid,
 * so a token lives between one and two rotation periods.
 */
export class AddressTokens {
  private current = randomBytes(32);
  private previous = randomBytes(32);
  private readonly timer: NodeJS.Timeout;

  constructor(rotateMs: number) {
    this.timer = setInterval(() => {
      this.previous = this.current;
      this.current = randomBytes(32);
    }, rotateMs);
    this.timer.unref();
  }

  issue(address: HostPort): Buffer {
    return mac(this.current, address);
  }

  valid(token: Uint8Array, address: HostPort): boolean {
    if (token.length !== TOKEN_BYTES) return false;
    return timingSafeEqual(token, mac(this.current, address)) || timingSafeEqual(token, mac(this.previous, address));
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

function mac(secret: Buffer, address: HostPort): Buffer {
  return createHmac('sha256', secret).update(`${address.host}|${address.port}`).digest().subarray(0, TOKEN_BYTES);
}
