// One hyperdht process for bench/vs-hyperdht.mjs, run inside a lab namespace:
//   bootstrap --host IP --port N [--bootstrap IP:PORT,...]   a public DHT node; prints "ready"
//   server --bootstrap IP:PORT,... [--relay-through KEY]    echo server; prints {"publicKey":hex}
//   dial KEY --bootstrap IP:PORT,... [--bytes 1024] [--ready] [--relay-through KEY --relay-host IP]
//                                                            one fresh dial; prints one JSON result line
//   relay --bootstrap IP:PORT,...                            a blind relay (the blind-relay package on a
//                                                            hyperdht node, as hyperdht's relayThrough
//                                                            expects); prints {"publicKey":hex}
// With --relay-through, both ends pair at that relay as soon as their handshake is done, beside any
// punch (hyperdht's own way); the dial reports `relayed` when its stream runs through --relay-host.
// The bootstrap list is always explicit and must stay in the lab's internet:
// hyperdht's default list names public hosts, which the lab must never reach.
import { randomBytes } from 'node:crypto';
import DHT from 'hyperdht';
import { Server as BlindRelay } from 'blind-relay';

const LAB_INTERNET = /^203\.0\.113\.\d+$/;
const [mode, ...rest] = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? rest[i + 1] : dflt;
};
const print = (o) => process.stdout.write(`${typeof o === 'string' ? o : JSON.stringify(o)}\n`);

function bootstrapList(required) {
  const list = (arg('bootstrap', '') || '').split(',').filter(Boolean).map((hp) => {
    const [host, port] = hp.split(':');
    if (!LAB_INTERNET.test(host) || !(Number(port) > 0)) throw new Error(`bootstrap ${hp} is not a lab address`);
    return { host, port: Number(port) };
  });
  if (required && list.length === 0) throw new Error('--bootstrap is required');
  return list;
}

async function bootstrap() {
  const host = arg('host');
  if (!LAB_INTERNET.test(host ?? '')) throw new Error('--host must be a lab public address');
  const node = DHT.bootstrapper(Number(arg('port', '49737')), host, { bootstrap: bootstrapList(false), host });
  await node.fullyBootstrapped();
  print('ready');
  process.once('SIGTERM', () => void node.destroy().then(() => process.exit(0)));
}

const relayThrough = () => {
  const hex = arg('relay-through', '');
  return hex ? { relayThrough: Buffer.from(hex, 'hex') } : {};
};

async function relay() {
  const dht = new DHT({ bootstrap: bootstrapList(true) });
  await dht.fullyBootstrapped();
  const blind = new BlindRelay({ createStream: (opts) => dht.createRawStream({ ...opts, framed: true }) });
  const srv = dht.createServer((sock) => {
    sock.on('error', () => undefined);
    // A peer going away errors its session: that must not end the relay.
    blind.accept(sock, { id: sock.remotePublicKey }).on('error', () => undefined);
  });
  const keyPair = DHT.keyPair();
  await srv.listen(keyPair);
  print({ publicKey: keyPair.publicKey.toString('hex') });
  process.once('SIGTERM', () => void dht.destroy().then(() => process.exit(0)));
}

async function server() {
  const dht = new DHT({ bootstrap: bootstrapList(true) });
  await dht.fullyBootstrapped();
  const srv = dht.createServer(relayThrough(), (sock) => {
    sock.on('data', (d) => sock.write(d));
    sock.on('end', () => sock.end());
    sock.on('error', () => undefined);
  });
  const keyPair = DHT.keyPair();
  await srv.listen(keyPair);
  print({ publicKey: keyPair.publicKey.toString('hex'), firewalled: dht.firewalled });
  process.once('SIGTERM', () => void dht.destroy().then(() => process.exit(0)));
}

async function dial() {
  const key = Buffer.from(rest[0] ?? '', 'hex');
  if (key.length !== 32) throw new Error('dial needs a 64-hex-digit public key');
  const payload = randomBytes(Number(arg('bytes', '1024')));
  const timeoutMs = Number(arg('timeout', '30000'));
  // A fresh node, and connect() at once: the clock covers whatever connect()
  // has to wait for on a node that just started, as a fresh process must.
  // --ready starts the clock only once the node is bootstrapped instead.
  const dht = new DHT({ bootstrap: bootstrapList(true) });
  if (rest.includes('--ready')) await dht.fullyBootstrapped();
  const t0 = performance.now();
  const sock = dht.connect(key, relayThrough());
  const relayHost = arg('relay-host', '');
  const result = await new Promise((resolve) => {
    const r = { ok: false, openMs: null, firstByteMs: null, echoMs: null };
    const timer = setTimeout(() => resolve({ ...r, error: `timeout after ${timeoutMs} ms` }), timeoutMs);
    const got = [];
    let received = 0;
    sock.once('open', () => {
      r.openMs = performance.now() - t0;
      // hyperdht says nothing of the path: a stream through the relay has the relay as its far end.
      if (relayHost) r.relayed = sock.rawStream?.remoteHost === relayHost;
      sock.write(payload);
    });
    sock.on('data', (d) => {
      r.firstByteMs ??= performance.now() - t0;
      got.push(d);
      received += d.length;
      if (received < payload.length) return;
      r.echoMs = performance.now() - t0;
      clearTimeout(timer);
      resolve({ ...r, ok: Buffer.concat(got).equals(payload) });
    });
    sock.once('error', (err) => {
      clearTimeout(timer);
      resolve({ ...r, error: `${err.code ?? ''} ${err.message}`.trim() });
    });
  });
  print(result);
  sock.destroy();
  await Promise.race([dht.destroy(), new Promise((r) => setTimeout(r, 2_000))]);
  process.exit(result.ok ? 0 : 1);
}

const modes = { bootstrap, server, dial, relay };
if (!modes[mode]) {
  console.error('usage: hyperdht-peer.mjs bootstrap|server|dial|relay ...');
  process.exit(2);
}
modes[mode]().catch((err) => {
  console.error(`hyperdht-peer ${mode}: ${err.stack ?? err}`);
  process.exit(1);
});
