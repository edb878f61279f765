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
    const dht = await DhtNode.start({ host, port: 0, bootstrap: parts.map((p) => p.dht.address()), queryTimeoutMs: 300 });
    const reflector = await startReflector({ host, port: dht.address().port });
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

