// noise-handshake and noise-curve-ed ship no types; this covers what we use.
declare module 'noise-handshake' {
  interface NoiseKeyPair {
    publicKey: Uint8Array;
    secretKey: Uint8Array;
  }
  export default class Noise {
    constructor(pattern: 'IK' | 'XX', initiator: boolean, staticKeyPair: NoiseKeyPair, opts?: { curve?: unknown });
    initialise(prologue: Uint8Array, remoteStatic?: Uint8Array): void;
    send(payload?: Uint8Array): Uint8Array;
    recv(message: Uint8Array): Uint8Array;
    readonly complete: boolean;
    readonly rs: Uint8Array | null;
    readonly tx: Uint8Array | null;
    readonly rx: Uint8Array | null;
    readonly hash: Uint8Array | null;
  }
}
declare module 'noise-curve-ed' {
  const curve: unknown;
  export default curve;
}
