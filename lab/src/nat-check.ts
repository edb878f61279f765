import { CLI } from './cli-path.js';
import { nsExec } from './sh.js';
import type { NatKind } from './nat-rules.js';
import { REFLECTOR_PORT, type Topology } from './topology.js';

/** What `p2p-node nat` must say behind each NAT kind (from the first host, first time it talks). */
const EXPECTED: Record<NatKind, { mapping: string; portPreserving: boolean; delta: number }> = {
  pp: { mapping: 'port-preserving', portPreserving: true, delta: 0 },
  rst: { mapping: 'port-preserving', portPreserving: true, delta: 0 },
  hairpin: { mapping: 'port-preserving', portPreserving: true, delta: 0 },
  rand: { mapping: 'random', portPreserving: false, delta: 0 },
  seq: { mapping: 'sequential', portPreserving: false, delta: 2 },
  // Its own NAT is random; a port it maps on request is another matter (upnp.ts).
  upnp: { mapping: 'random', portPreserving: false, delta: 0 },
  igd: { mapping: 'random', portPreserving: false, delta: 0 },
};

export interface NatCheck {
  host: string;
  kind: NatKind;
  ok: boolean;
  got: string;
  /** The same verb's text output, for people reading the lab log. */
  text: string;
}

/** Runs `p2p-node nat --json` in the first host behind every NAT box and compares it with the box's kind. */
export function checkNatCli(topo: Topology): NatCheck[] {
  const bootstrap = topo.reflectors.map((r) => `${r.ip}:${REFLECTOR_PORT}`).join(',');
  const out: NatCheck[] = [];
  for (const box of topo.nats.values()) {
    const host = box.hosts[0]!;
    let got = '';
    let ok = false;
    try {
      got = nsExec(host.ns, process.execPath, [CLI, 'nat', '--bootstrap', bootstrap, '--json'], { timeoutMs: 20_000 }).trim();
      const r = JSON.parse(got) as { mapping: string; portPreserving: boolean; delta: number; publicIp: string };
      const want = EXPECTED[box.kind];
      ok = r.mapping === want.mapping && r.portPreserving === want.portPreserving && r.delta === want.delta && r.publicIp === box.wanIp;
    } catch (err) {
      got = (err as Error).message;
    }
    const text = nsExec(host.ns, process.execPath, [CLI, 'nat', '--bootstrap', bootstrap], { timeoutMs: 20_000, allowFail: true });
    out.push({ host: host.name, kind: box.kind, ok, got, text });
  }
  return out;
}
