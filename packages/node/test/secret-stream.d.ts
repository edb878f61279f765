// @hyperswarm/secret-stream ships no types; this covers what we use.
declare module '@hyperswarm/secret-stream' {
  import type { Duplex as NodeDuplex } from 'node:stream';
  import { EventEmitter } from 'node:events';
  interface SecretStreamOptions {
    /** Keys of a Noise handshake already done elsewhere (ours: in signaling); no handshake on the stream. */
    handshake?: { tx: Buffer; rx: Buffer; hash: Buffer; publicKey: Buffer; remotePublicKey: Buffer };
  }
  export default class SecretStream extends EventEmitter {
    constructor(isInitiator: boolean, rawStream: NodeDuplex, opts?: SecretStreamOptions);
    /** A buffer of `len` bytes that write() then encrypts in place (no copy); valid until the next alloc. */
    alloc(len: number): Buffer;
    write(data: Buffer): boolean;
    end(data?: Buffer): void;
    destroy(err?: Error): void;
    pause(): this;
    resume(): this;
    /** The 32-byte id each end sends in its header: a hash of the handshake hash and the role. */
    static id(handshakeHash: Buffer, isInitiator: boolean): Buffer;
  }
}
