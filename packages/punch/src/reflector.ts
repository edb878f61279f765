import { createServer, connect, type AddressInfo, type Server } from 'node:net';
import { p2pnode, decodeBounded, endpointFromWire, endpointToWire } from '@p2p-node/protos';
import { ReflectorError } from './errors.js';
import { formatHostPort, type HostPort } from '@p2p-node/protos';

/*
 * Wire format: the reflector writes one frame, a 2-byte big-endian length and
 * an encoded ReflectorReply, then closes. The reflector closes first on
 * purpose: the TIME_WAIT state stays on its side, so the client may reuse the
 * same local port right away (profiling probes several reflectors from one
 * port, and the punch reuses that port again).
 */
const MAX_REPLY_BYTES = 64;

export interface Reflector {
  /** Where it listens (the port is the real one when 0 was asked). */
  address: HostPort;
  close(): Promise<void>;
}

/** Strips the IPv4-mapped prefix that a dual-stack listener reports. */
function plainIp(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/**
 * Serves each TCP connection the address and port it came from, as seen here.
 * It reads nothing from the client, so a stranger can make it do no more work
 * than one small write per connection.
 */
export async function startReflector(opts: { host?: string; port: number; maxConnections?: number }): Promise<Reflector> {
  const server: Server = createServer((socket) => {
    socket.on('error', () => socket.destroy());
    socket.setTimeout(5_000, () => socket.destroy());
    const ip = socket.remoteAddress;
    const port = socket.remotePort;
    if (ip === undefined || port === undefined) {
      socket.destroy();
      return;
    }
    const body = p2pnode.ReflectorReply.encode({ observed: endpointToWire({ host: plainIp(ip), port }) }).finish();
    const frame = Buffer.alloc(2 + body.length);
    frame.writeUInt16BE(body.length, 0);
    frame.set(body, 2);
    socket.end(frame);
  });
  // Connections live for one write; the cap only matters under a flood,
  // where it keeps a public node's file descriptors for its real work.
  server.maxConnections = opts.maxConnections ?? 1024;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: opts.host, port: opts.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const info = server.address() as AddressInfo;
  return {
    address: { host: plainIp(info.address), port: info.port },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ReflectorAnswer {
  reflector: HostPort;
  /** Our endpoint as the reflector saw it. */
  observed: HostPort;
  /** Our endpoint as this host sees it. */
  local: HostPort;
  /** Time from connect() to the reply: about one round trip plus a handshake. */
  rttMs: number;
}

export interface QueryOptions {
  reflector: HostPort;
  /** Bind to this port (0 or absent: the kernel picks one). */
  localPort?: number;
  localAddress?: string;
  timeoutMs?: number;
  /** Gives up at once on abort, rejecting with the signal's reason. */
  signal?: AbortSignal;
}

/** Asks one reflector how our connection looks from outside. */
export function queryReflector(opts: QueryOptions): Promise<ReflectorAnswer> {
  const name = formatHostPort(opts.reflector);
  const timeoutMs = opts.timeoutMs ?? 3_000;
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(opts.signal.reason);
    const started = performance.now();
    const socket = connect({
      host: opts.reflector.host,
      port: opts.reflector.port,
      ...(opts.localPort ? { localPort: opts.localPort } : {}),
      ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let local: HostPort | undefined;
    let rttMs = 0;
    const settle = () => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    };
    const abandon = (err: unknown) => {
      settle();
      // Close with RST, not FIN: a FIN would leave this 4-tuple in TIME_WAIT
      // on our side for a minute, and the caller's retry from the same local
      // port to the same reflector would fail with EADDRNOTAVAIL.
      if (socket.readyState === 'open') socket.resetAndDestroy();
      else socket.destroy();
      reject(err);
    };
    const fail = (message: string) => abandon(new ReflectorError(name, message));
    const onAbort = () => abandon(opts.signal?.reason);
    const timer = setTimeout(() => fail(`no reply within ${timeoutMs} ms`), timeoutMs);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('connect', () => {
      local = { host: plainIp(socket.localAddress ?? ''), port: socket.localPort ?? 0 };
    });
    socket.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 2 + MAX_REPLY_BYTES) return fail(`reply longer than ${MAX_REPLY_BYTES} bytes`);
      chunks.push(chunk);
      if (rttMs === 0) rttMs = performance.now() - started;
    });
    socket.on('error', (err) => fail(err.message));
    socket.on('end', () => {
      settle();
      socket.destroy();
      const frame = Buffer.concat(chunks);
      try {
        if (frame.length < 2 || frame.readUInt16BE(0) !== frame.length - 2) throw new Error('truncated reply');
        const reply = decodeBounded(p2pnode.ReflectorReply, frame.subarray(2), { maxBytes: MAX_REPLY_BYTES });
        if (!reply.observed) throw new Error('reply without an observed endpoint');
        const observed = endpointFromWire(reply.observed, 'the observed endpoint');
        if (!local) throw new Error('closed before connecting');
        resolve({ reflector: opts.reflector, observed, local, rttMs });
      } catch (err) {
        reject(new ReflectorError(name, (err as Error).message));
      }
    });
  });
}
