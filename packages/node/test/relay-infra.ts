// Loopback infrastructure for relayed dials: two DHT nodes that are
// reflectors and introducers, and one circuit relay their introducers name.
import { DhtNode, serveIntroducer, type HostPort, type Introducer } from '@p2p-node/dht-signal';
import { startReflector, type Reflector } from '@p2p-node/punch';
import { RelayServer, type RelayLimits } from '../src/relay-server.js';

export interface Infra {
  bootstrap: HostPort[];
  relay: RelayServer;
  stop(): Promise<void>;
}

/**
 * Two DHT nodes (two loopback IPs, as profiling needs), each a reflector and
 * an introducer that names `relayPort` (default: the relay's own port).
 */
export async function startInfra(limits: Partial<RelayLimits> = {}, relayPort?: (relay: RelayServer) => number): Promise<Infra> {
  const relay = await RelayServer.listen('127.0.0.1', 0, limits);
  const port = relayPort ? relayPort(relay) : relay.address().port;
  const parts: { dht: DhtNode; reflector: Reflector; introducer: Introducer }[] = [];
  for (const host of ['127.0.0.1', '127.0.0.2']) {
    const { dht, reflector } = await nodeWithReflector(host, parts.map((p) => p.dht.address()));
    parts.push({ dht, reflector, introducer: serveIntroducer(dht, { relayPort: port }) });
  }
  return {
    bootstrap: parts.map((p) => p.dht.address()),
    relay,
    async stop() {
      for (const p of parts) {
        p.introducer.stop();
        await p.reflector.close();
        await p.dht.stop();
      }
      await relay.close();
    },
  };
}

/**
 * As startInfra, but each introducer names a relay of its own, on its own
 * address: a listener then names two relays, the first on 127.0.0.1.
 */
export async function startTwoRelayInfra(): Promise<{ bootstrap: HostPort[]; relays: RelayServer[]; stop(): Promise<void> }> {
  const parts: { dht: DhtNode; reflector: Reflector; introducer: Introducer; relay: RelayServer }[] = [];
  for (const host of ['127.0.0.1', '127.0.0.2']) {
    const relay = await RelayServer.listen(host, 0);
    const { dht, reflector } = await nodeWithReflector(host, parts.map((p) => p.dht.address()));
    parts.push({ dht, reflector, relay, introducer: serveIntroducer(dht, { relayPort: relay.address().port }) });
  }
  return {
    bootstrap: parts.map((p) => p.dht.address()),
    relays: parts.map((p) => p.relay),
    async stop() {
      for (const p of parts) {
        p.introducer.stop();
        await p.reflector.close();
        await p.dht.stop();
        await p.relay.close();
      }
    },
  };
}

/** Tries for a UDP port the system picks whose TCP twin is free too, as `p2p-node bootstrap --port 0` does. */
const PORT_PAIR_ATTEMPTS = 8;

/**
 * A DHT node and a reflector on the same port number. The TCP twin of a
 * system-picked UDP port may be held by any outgoing connection on this host
 * (a suite run saw EADDRINUSE here once in ten): then another UDP port is tried.
 */
export async function nodeWithReflector(host: string, bootstrap: HostPort[]): Promise<{ dht: DhtNode; reflector: Reflector }> {
  for (let attempt = 1; ; attempt++) {
    const dht = await DhtNode.start({ host, port: 0, bootstrap, queryTimeoutMs: 300 });
    try {
      return { dht, reflector: await startReflector({ host, port: dht.address().port }) };
    } catch (err) {
      await dht.stop();
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= PORT_PAIR_ATTEMPTS) throw err;
    }
  }
}
