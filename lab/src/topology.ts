import { ipIn, nsExec, sh } from './sh.js';
import { natRuleset, type NatKind } from './nat-rules.js';
import { nsName, runOf } from './names.js';
import { claimRun, forgetRun, releaseRun } from './run-record.js';

/*
 * The lab's network, all inside namespaces that have no link to the host's
 * own namespace (so nothing can leak out to a real network):
 *
 *   refl1 203.0.113.10   refl2 203.0.113.11        (public hosts: reflectors)
 *            \             /
 *        [inet: bridge "br0", 203.0.113.0/24]      (the "internet")
 *            /             \
 *   nat <name> wan 203.0.113.(100+i)   ...          (one namespace per NAT box)
 *      brl 10.(i+1).0.1/24
 *        |
 *   host(s) 10.(i+1).0.2, .3                        (peers; route only 203.0.113.0/24 via the NAT, no default route)
 *
 * NAT444: a box whose spec says `behind: CARRIER` has its `wan` on the
 * carrier box's LAN (10.(c+1).0.(10+k)) instead of the internet, and routes
 * 203.0.113.0/24 via the carrier: a home NAT behind a carrier-grade NAT.
 */
export const INTERNET_CIDR = '203.0.113.0/24';
/** The lab's IPv6 internet: boxes' WANs on 2001:db8:ffff::/64, their LANs 2001:db8:N::/64 (documentation prefix). */
export const INTERNET6_PREFIX = '2001:db8::/32';
const WAN6 = (n: number) => `2001:db8:ffff::${n}`;
const LAN6 = (n: number) => `2001:db8:${n}::`;
export const REFLECTOR_PORT = 3478;

export interface PublicHost {
  name: string;
  ns: string;
  ip: string;
}

export interface LanHost {
  name: string;
  ns: string;
  ip: string;
  /** Its global IPv6 address, behind a box with IPv6 (NatSpec.ipv6). */
  ipv6?: string;
  nat: NatBox;
}

export interface NatBox {
  name: string;
  kind: NatKind;
  ns: string;
  wanIp: string;
  lanCidr: string;
  hosts: LanHost[];
}

export interface NatSpec {
  name: string;
  kind: NatKind;
  hosts: number;
  /** The carrier box (another spec, listed before this one) whose LAN this box's WAN sits on. */
  behind?: string;
  /**
   * IPv6 too: the box routes a global /64 (2001:db8:N::/64) to its LAN hosts,
   * with no NAT and a stateful firewall that drops unsolicited inbound, as a
   * home router does; the internet bridge carries 2001:db8:ffff::/64.
   */
  ipv6?: boolean;
}

export interface Topology {
  run: string;
  inet: string;
  reflectors: PublicHost[];
  nats: Map<string, NatBox>;
  /** Every namespace created, in creation order (removed in reverse). */
  namespaces: string[];
}

function addNs(topo: Topology, role: string): string {
  const ns = nsName(topo.run, role);
  // The record comes first: a crash right after `netns add` must leave a namespace a later cleanup can prove ours.
  claimRun(topo.run);
  sh('ip', ['netns', 'add', ns]);
  topo.namespaces.push(ns);
  ipIn(ns, 'link', 'set', 'lo', 'up');
  return ns;
}

/** Builds the whole network. On failure the caller still owns `topo.namespaces` and removes them. */
export function buildTopology(topo: Topology, specs: NatSpec[]): void {
  topo.inet = addNs(topo, 'inet');
  ipIn(topo.inet, 'link', 'add', 'br0', 'type', 'bridge');
  ipIn(topo.inet, 'link', 'set', 'br0', 'up');
  let port = 0;
  const plug = (ns: string, ifname: string, cidr: string) => {
    const side = `p${port++}`;
    // Created inside inet with its peer sent straight into `ns`: no interface
    // ever appears in the host's namespace.
    ipIn(topo.inet, 'link', 'add', side, 'type', 'veth', 'peer', 'name', ifname, 'netns', ns);
    ipIn(topo.inet, 'link', 'set', side, 'master', 'br0', 'up');
    ipIn(ns, 'addr', 'add', cidr, 'dev', ifname);
    ipIn(ns, 'link', 'set', ifname, 'up');
  };

  ['refl1', 'refl2'].forEach((name, i) => {
    const ns = addNs(topo, name);
    const ip = `203.0.113.${10 + i}`;
    plug(ns, 'eth0', `${ip}/24`);
    topo.reflectors.push({ name, ns, ip });
  });

  let homes = 0;
  const v6Boxes: number[] = [];
  const v6Namespaces = new Map<number, string>();
  specs.forEach((spec, i) => {
    const ns = addNs(topo, spec.name);
    const lanNet = `10.${i + 1}.0`;
    const lanCidr = `${lanNet}.0/24`;
    let wanIp = `203.0.113.${100 + i}`;
    const carrier = spec.behind === undefined ? undefined : topo.nats.get(spec.behind);
    if (spec.behind !== undefined && !carrier) throw new Error(`${spec.name} is behind ${spec.behind}, which is not built before it`);
    if (carrier) {
      const carrierNet = carrier.lanCidr.replace(/\.0\/24$/, '');
      wanIp = `${carrierNet}.${10 + homes}`;
      ipIn(carrier.ns, 'link', 'add', `c${homes}`, 'type', 'veth', 'peer', 'name', 'wan', 'netns', ns);
      ipIn(carrier.ns, 'link', 'set', `c${homes++}`, 'master', 'brl', 'up');
      ipIn(ns, 'addr', 'add', `${wanIp}/24`, 'dev', 'wan');
      ipIn(ns, 'link', 'set', 'wan', 'up');
      ipIn(ns, 'route', 'add', INTERNET_CIDR, 'via', `${carrierNet}.1`);
    } else {
      plug(ns, 'wan', `${wanIp}/24`);
    }
    ipIn(ns, 'link', 'add', 'brl', 'type', 'bridge');
    ipIn(ns, 'addr', 'add', `${lanNet}.1/24`, 'dev', 'brl');
    ipIn(ns, 'link', 'set', 'brl', 'up');
    // Written through /proc (per namespace) rather than sysctl(8), which a
    // minimal CI image may lack.
    nsExec(ns, 'sh', [
      '-c',
      'echo 1 > /proc/sys/net/ipv4/ip_forward && for f in all/send_redirects brl/send_redirects all/rp_filter; do echo 0 > /proc/sys/net/ipv4/conf/$f; done',
    ]);
    nsExec(ns, 'nft', ['-f', '-'], { input: natRuleset(spec.kind, wanIp, lanCidr) });
    const v6 = spec.ipv6 === true && !carrier ? i + 1 : undefined;
    if (v6 !== undefined) {
      // nodad: usable at once, no duplicate address detection to wait for on a lab link.
      ipIn(ns, '-6', 'addr', 'add', `${WAN6(v6)}/64`, 'dev', 'wan', 'nodad');
      ipIn(ns, '-6', 'addr', 'add', `${LAN6(v6)}1/64`, 'dev', 'brl', 'nodad');
      nsExec(ns, 'sh', ['-c', 'echo 1 > /proc/sys/net/ipv6/conf/all/forwarding']);
      nsExec(ns, 'nft', ['-f', '-'], { input: ipv6Firewall() });
      v6Boxes.push(v6);
      v6Namespaces.set(v6, ns);
    }
    const box: NatBox = { name: spec.name, kind: spec.kind, ns, wanIp, lanCidr, hosts: [] };
    for (let h = 0; h < spec.hosts; h++) {
      const hostName = `${spec.name}h${h + 1}`;
      const hns = addNs(topo, hostName);
      const ip = `${lanNet}.${h + 2}`;
      ipIn(ns, 'link', 'add', `l${h}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', hns);
      ipIn(ns, 'link', 'set', `l${h}`, 'master', 'brl', 'up');
      ipIn(hns, 'addr', 'add', `${ip}/24`, 'dev', 'eth0');
      ipIn(hns, 'link', 'set', 'eth0', 'up');
      // Only the lab's internet goes via the NAT: no default route anywhere.
      ipIn(hns, 'route', 'add', INTERNET_CIDR, 'via', `${lanNet}.1`);
      const host: LanHost = { name: hostName, ns: hns, ip, nat: box };
      if (v6 !== undefined) {
        host.ipv6 = `${LAN6(v6)}${h + 2}`;
        ipIn(hns, '-6', 'addr', 'add', `${host.ipv6}/64`, 'dev', 'eth0', 'nodad');
        ipIn(hns, '-6', 'route', 'add', INTERNET6_PREFIX, 'via', `${LAN6(v6)}1`);
      }
      box.hosts.push(host);
    }
    topo.nats.set(spec.name, box);
  });
  // Every IPv6 box routes the other boxes' LANs via their WAN addresses (the bridge is one link).
  for (const a of v6Boxes) for (const b of v6Boxes) if (a !== b) ipIn(v6Namespaces.get(a)!, '-6', 'route', 'add', `${LAN6(b)}/64`, 'via', WAN6(b));
}

/** A home router's IPv6 firewall: forwards what its LAN starts and the replies, drops the rest (no NAT). */
function ipv6Firewall(): string {
  return `
table ip6 labfw6 {
  chain forward {
    type filter hook forward priority 0; policy drop;
    ct state established,related accept
    iifname "brl" oifname "wan" accept
  }
}
`;
}

/**
 * Deletes namespaces, newest first, then ends their runs: a run's record goes
 * once none of its namespaces is left (else a later cleanup removes them).
 * Never throws: cleanup must run to the end.
 */
export function destroyNamespaces(namespaces: string[]): string[] {
  const failed: string[] = [];
  for (const ns of [...namespaces].reverse()) {
    try {
      sh('ip', ['netns', 'delete', ns], { timeoutMs: 10_000 });
    } catch {
      failed.push(ns);
    }
  }
  for (const run of new Set(namespaces.map(runOf))) {
    releaseRun(run);
    if (!failed.some((ns) => runOf(ns) === run)) forgetRun(run);
  }
  return failed;
}

/** Forgets NAT state between cells, so one cell's leftovers cannot help or hurt the next. */
export function flushConntrack(box: { ns: string }): void {
  nsExec(box.ns, 'conntrack', ['-F'], { allowFail: true });
}
