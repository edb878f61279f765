// What the stream's cipher alone costs, apart from every socket, stream and
// copy: libsodium's secretstream (XChaCha20-Poly1305, the cipher of the
// encrypted stream, through sodium-native as the stream uses it), sealing and
// opening 16 KiB messages (the size the stream sends).
//
// An echo of MIB MiB each way is sealed and opened twice each way: the dialer
// seals, the listener opens, seals again, the dialer opens. So the echo costs
// the cipher 4 x MIB MiB. Here two threads run at once, each sealing and
// opening MIB MiB, because in the echo both cores are busy too (on a machine
// whose two cores are siblings of one physical core, a lone thread would look
// twice as fast as the echo ever lets it be).
//
// throughput.mjs adds this figure to plain TCP's CPU to show the ratio the
// stream could reach if everything but the cipher were as cheap as plain TCP.
//
// --node-aead: also Node's own AEADs (OpenSSL: AES-256-GCM, ChaCha20-Poly1305),
// one cipher object per message as Node's API requires, at 16 and 64 KiB, on
// the same two threads: what a cipher negotiated instead would cost.
//
// Usage: node bench/cipher-cost.mjs [--mib 200] [--node-aead]
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const MESSAGE_BYTES = 16 * 1024;

// Runs in each worker: seals then opens `mib` MiB, message by message, with the stream's own call shapes.
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const sodium = require(workerData.sodium);
const S = 'crypto_secretstream_xchacha20poly1305_';
const key = Buffer.alloc(32, 7);
const push = Buffer.alloc(sodium[S + 'STATEBYTES']);
const pull = Buffer.alloc(sodium[S + 'STATEBYTES']);
const header = Buffer.alloc(sodium[S + 'HEADERBYTES']);
sodium[S + 'init_push'](push, header, key);
sodium[S + 'init_pull'](pull, header, key);
const plain = Buffer.alloc(workerData.messageBytes, 1);
const sealed = Buffer.alloc(workerData.messageBytes + sodium[S + 'ABYTES']);
const opened = Buffer.alloc(workerData.messageBytes);
const tag = Buffer.alloc(1);
for (let n = 0; n < workerData.bytes; n += plain.length) {
  sodium[S + 'push'](push, sealed, plain, null, sodium[S + 'TAG_MESSAGE']);
  sodium[S + 'pull'](pull, opened, tag, sealed, null);
}
parentPort.postMessage(null);
`;

// The same with Node's crypto: a fresh cipher and decipher per message, each output a fresh buffer.
const NODE_AEAD_WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
const { alg, bytes, messageBytes } = workerData;
const key = Buffer.alloc(32, 7);
const nonce = Buffer.alloc(12);
const plain = Buffer.alloc(messageBytes, 1);
for (let n = 0, i = 0; n < bytes; n += plain.length, i++) {
  nonce.writeUInt32LE(i);
  const c = crypto.createCipheriv(alg, key, nonce, { authTagLength: 16 });
  const sealed = c.update(plain);
  c.final();
  const d = crypto.createDecipheriv(alg, key, nonce, { authTagLength: 16 });
  d.setAuthTag(c.getAuthTag());
  d.update(sealed);
  d.final();
}
parentPort.postMessage(null);
`;

/**
 * Seals and opens `mib` MiB on each of two threads at once; resolves with
 * the CPU-seconds the four passes took and each thread's rate (GB/s of
 * plaintext sealed and opened). Without `alg`: libsodium's secretstream in
 * 16 KiB messages, as the stream runs it; with one: Node's AEAD of that name.
 */
export async function cipherCost(mib, alg, messageBytes = MESSAGE_BYTES) {
  const sodium = createRequire(import.meta.url).resolve('sodium-native');
  const bytes = mib * 1024 * 1024;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    [0, 1].map(
      () =>
        new Promise((resolve, reject) => {
          const w = new Worker(alg ? NODE_AEAD_WORKER : WORKER, { eval: true, execArgv: [], workerData: { sodium, alg, bytes, messageBytes } });
          w.once('message', () => void w.terminate().then(resolve));
          w.once('error', reject);
        }),
    ),
  );
  const seconds = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu0);
  const cpuSeconds = (used.user + used.system) / 1e6;
  return { cpuSeconds, perThreadGBps: (2 * bytes) / 1e9 / seconds };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--mib');
  const mib = i > 0 ? Number(process.argv[i + 1]) : 200;
  if (!Number.isInteger(mib) || mib < 1) {
    console.error(`cipher-cost: --mib takes a whole number of MiB (1 or more), got ${process.argv[i + 1]}`);
    process.exit(2);
  }
  const show = (name, kib, c) => console.log(`${name}, 4 x ${mib} MiB in ${kib} KiB messages on two threads at once: ${c.cpuSeconds.toFixed(2)} CPU-s, ${c.perThreadGBps.toFixed(2)} GB/s per thread`);
  show('libsodium secretstream (the stream\'s cipher)', MESSAGE_BYTES / 1024, await cipherCost(mib));
  if (process.argv.includes('--node-aead')) {
    for (const alg of ['aes-256-gcm', 'chacha20-poly1305']) {
      for (const kib of [16, 64]) show(`node ${alg}`, kib, await cipherCost(mib, alg, kib * 1024));
    }
  }
}
