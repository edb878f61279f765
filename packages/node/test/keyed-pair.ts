// Shared by the keyed-stream tests: a real TCP socket pair on 127.0.0.1 and
// session keys from a real Noise IK handshake (the one signaling carries).
import net from 'node:net';
import { once } from 'node:events';
import { generateIdentity, type Identity } from '@p2p-node/dht-signal';
import { answerNoise, NoiseDialer, type SessionKeys } from '../src/noise-session.js';
import { keyedStream } from '../src/keyed-stream.js';

export async function tcpPair(): Promise<{ client: net.Socket; server: net.Socket; close: () => void }> {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address() as net.AddressInfo;
  const accepted = once(srv, 'connection');
  const client = net.connect({ port, host: '127.0.0.1' });
  const [server] = (await accepted) as [net.Socket];
  // Raw sockets (relays, cut ones) are not always wrapped: a reset there is expected, not a test failure.
  for (const s of [client, server]) s.on('error', () => undefined);
  await once(client, 'connect').catch(() => undefined);
  return { client, server, close: () => srv.close() };
}

/** Both ends' keys from one handshake between `dialer` and `listener`, as a dial gets them through signaling. */
export function sessionKeys(dialer: Identity = generateIdentity(), listener: Identity = generateIdentity()): { dialer: SessionKeys; listener: SessionKeys } {
  const d = new NoiseDialer(dialer, listener.publicKey);
  const { reply, keys } = answerNoise(listener, d.message, dialer.publicKey);
  return { dialer: d.finish(reply), listener: keys };
}

/** Both ends of a loopback socket pair wrapped with the keys of one handshake; both wait for the peer's OPEN. */
export async function keyedPair(timeoutMs = 3000) {
  const { client, server, close } = await tcpPair();
  const keys = sessionKeys();
  const streams = await Promise.all([keyedStream(client, true, keys.dialer, timeoutMs), keyedStream(server, false, keys.listener, timeoutMs)]);
  close();
  return { dial: streams[0], listen: streams[1], client, server, keys };
}
