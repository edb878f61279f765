// sodium-native ships no types; this covers what we use (libsodium's secretstream and BLAKE2b).
declare module 'sodium-native' {
  export const crypto_secretstream_xchacha20poly1305_STATEBYTES: number;
  export const crypto_secretstream_xchacha20poly1305_HEADERBYTES: number;
  export const crypto_secretstream_xchacha20poly1305_KEYBYTES: number;
  export const crypto_secretstream_xchacha20poly1305_ABYTES: number;
  export const crypto_secretstream_xchacha20poly1305_TAG_MESSAGE: number;
  export function crypto_secretstream_xchacha20poly1305_init_push(state: Buffer, header: Buffer, key: Buffer): void;
  /** Encrypts `message` into `cipher` (message + ABYTES); `cipher` may start one byte before `message` (in place). */
  export function crypto_secretstream_xchacha20poly1305_push(state: Buffer, cipher: Buffer, message: Buffer, ad: Buffer | null, tag: number): number;
  export function crypto_secretstream_xchacha20poly1305_init_pull(state: Buffer, header: Buffer, key: Buffer): void;
  /** Decrypts and authenticates `cipher` into `message`; throws when it does not authenticate. */
  export function crypto_secretstream_xchacha20poly1305_pull(state: Buffer, message: Buffer, tag: Buffer, cipher: Buffer, ad: Buffer | null): number;
  export function crypto_generichash(out: Buffer, input: Buffer, key?: Buffer): void;
}
