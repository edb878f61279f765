import { connect, type Socket } from 'node:net';
import type { HostPort } from '@p2p-node/protos';

/**
 * A plain TCP connect to a peer that is reachable without punching (its
 * profile says it has no NAT and it listens). All candidates are tried at
 * once; the first to connect wins and the others are closed.
 */
export function connectFirst(endpoints: HostPort[], timeoutMs: number): Promise<{ socket: Socket; winner: HostPort }> {
  // A host without NAT lists one address as both LAN and public endpoint.
  const candidates = [...new Map(endpoints.map((e) => [`${e.host}:${e.port}`, e])).values()];
  return new Promise((resolve, reject) => {
    if (candidates.length === 0) return reject(new Error('no endpoint to connect to'));
    const sockets: Socket[] = [];
    const errors: string[] = [];
    let done = false;
    const timer = setTimeout(() => finish(new Error(`no endpoint answered within ${timeoutMs} ms`)), timeoutMs);
    const finish = (err: Error | null, winner?: { socket: Socket; winner: HostPort }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      for (const s of sockets) if (s !== winner?.socket) s.destroy();
      if (winner) resolve(winner);
      else reject(err);
    };
    for (const c of candidates) {
      const s = connect({ host: c.host, port: c.port, allowHalfOpen: true });
      sockets.push(s);
      s.once('connect', () => finish(null, { socket: s, winner: c }));
      s.once('error', (err) => {
        errors.push(`${c.host}:${c.port}: ${err.message}`);
        if (errors.length === candidates.length) finish(new Error(errors.join('; ')));
      });
    }
  });
}
