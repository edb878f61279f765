import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnInNs, waitForLine, waitForStderr } from './procs.js';
import { nsExec, sh } from './sh.js';
import type { NatBox, PublicHost } from './topology.js';

/*
 * A home router that maps ports on request: miniupnpd (Debian's
 * miniupnpd-nftables, 2.3.1) in a NAT box of kind `upnp` (UPnP-IGD and
 * NAT-PMP on the box's LAN) or `igd` (UPnP-IGD alone). Its WAN address stays in the lab's
 * documentation range: miniupnpd refuses such an address when configured or
 * read from the interface, but not when it learns it by STUN, so a lab STUN
 * server runs on a public host (stun-server.ts). The nftables chains it
 * fills are in the box's ruleset (nat-rules.ts).
 */
export const STUN_PORT = 3478;
const STUN_SCRIPT = fileURLToPath(new URL('./stun-server.js', import.meta.url));

/** Why a lab with upnp boxes cannot run here, or undefined. */
export function upnpUnavailable(): string | undefined {
  try {
    sh('sh', ['-c', 'command -v miniupnpd']);
    return undefined;
  } catch {
    return 'miniupnpd is not installed (apt-get install miniupnpd-nftables)';
  }
}

/** The lab STUN server on `host`, once it answers. */
export async function startStun(host: PublicHost): Promise<ChildProcess> {
  const child = spawnInNs(host.ns, process.execPath, [STUN_SCRIPT, host.ip, String(STUN_PORT)]);
  await waitForLine(child, /^ready /, 10_000);
  child.stdout?.resume();
  return child;
}

/** miniupnpd in `box`, once it has learned its public address and forwards ports. */
export async function startMiniupnpd(box: NatBox, stun: PublicHost, dir: string): Promise<ChildProcess> {
  const conf = join(dir, `miniupnpd-${box.name}.conf`);
  writeFileSync(
    conf,
    [
      'ext_ifname=wan',
      'listening_ip=brl',
      'http_port=2189',
      'ipv6_disable=yes',
      `enable_natpmp=${box.kind === 'igd' ? 'no' : 'yes'}`,
      'enable_upnp=yes',
      // A client maps only to its own address.
      'secure_mode=yes',
      'system_uptime=yes',
      'uuid=3c5a2b1e-7d4f-4a8e-9b6c-0123456789ab',
      'ext_perform_stun=yes',
      `ext_stun_host=${stun.ip}`,
      `ext_stun_port=${STUN_PORT}`,
      'upnp_table_name=miniupnpd',
      'upnp_nat_table_name=miniupnpd',
      // A fresh lease file per run: miniupnpd restores every mapping listed in it when it starts.
      `lease_file=${join(dir, `miniupnpd-${box.name}.leases`)}`,
      `allow 1024-65535 ${box.lanCidr} 1024-65535`,
      'deny 0-65535 0.0.0.0/0 0-65535',
      '',
    ].join('\n'),
  );
  const child = spawnInNs(box.ns, 'miniupnpd', ['-d', '-f', conf, '-P', join(dir, `miniupnpd-${box.name}.pid`)]);
  await waitForStderr(child, /Port forwarding is now enabled/, 15_000).catch((err: Error) => {
    throw new Error(`miniupnpd: ${err.message}`);
  });
  // Its debug log goes on: drained, so a full pipe never blocks it.
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

/** The TCP ports miniupnpd forwards right now (its DNAT rules in `box`). */
export function mappedPorts(box: NatBox): number[] {
  const chain = nsExec(box.ns, 'nft', ['list', 'chain', 'inet', 'miniupnpd', 'prerouting_miniupnpd'], { allowFail: true });
  return [...chain.matchAll(/dport (\d+) dnat/g)].map((m) => Number(m[1]));
}
