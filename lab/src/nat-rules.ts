/** The NAT behaviours the lab can build, each with real kernel NAT (nftables) in its own namespace. */
export type NatKind = 'pp' | 'rst' | 'rand' | 'seq' | 'hairpin' | 'upnp' | 'igd';

/** The kinds that run miniupnpd (upnp.ts): `igd` speaks UPnP-IGD only, so a mapping there cannot have come by NAT-PMP. */
export const MAPPING_KINDS: readonly NatKind[] = ['upnp', 'igd'];

export const NAT_KIND_TEXT: Record<NatKind, string> = {
  pp: 'port-preserving, drops unsolicited',
  rst: 'port-preserving, RST to unsolicited',
  rand: 'random per connection (fully-random)',
  seq: 'sequential per connection (step 2)',
  hairpin: 'port-preserving with hairpin',
  upnp: 'random per connection, maps ports on request (miniupnpd: UPnP-IGD, NAT-PMP)',
  igd: 'random per connection, maps ports on request (miniupnpd: UPnP-IGD only)',
};

/** Public ports of the sequential NAT: SEQ_BASE, SEQ_BASE + SEQ_STEP, ... (SEQ_SLOTS of them, then wrap). */
export const SEQ_BASE = 20000;
export const SEQ_STEP = 2;
const SEQ_SLOTS = 4096;

/**
 * The nftables ruleset of one NAT box. `wan` faces the internet bridge,
 * `brl` is the LAN bridge. Shared by all kinds:
 * - forward: only LAN->WAN and replies (ct established) pass; policy drop;
 * - input: the box itself drops unsolicited traffic from the WAN (else its
 *   kernel answers SYNs with RST, which is the `rst` kind on purpose).
 */
export function natRuleset(kind: NatKind, wanIp: string, lanCidr: string): string {
  const masq = (() => {
    switch (kind) {
      case 'pp':
      case 'rst':
        // Linux keeps the source port when it is free: port preservation.
        return 'oifname "wan" masquerade';
      case 'rand':
        // nft's spelling of iptables MASQUERADE --random-fully (same kernel flag).
        return 'oifname "wan" masquerade fully-random';
      case 'upnp':
      case 'igd':
        // As rand, except for the box's own traffic (miniupnpd's STUN check of
        // its WAN address would see random ports and give up forwarding).
        return `oifname "wan" ip saddr ${wanIp} accept\n    oifname "wan" masquerade fully-random`;
      case 'seq': {
        // DESIGN 5b: a numgen-indexed map gives SEQ_BASE, +STEP, ... per new
        // connection whatever the destination (numgen with `offset` comes out
        // byte-swapped in nft 1.0.6, hence the explicit map).
        const entries = Array.from({ length: SEQ_SLOTS }, (_, i) => `${i} : ${SEQ_BASE + i * SEQ_STEP}`).join(', ');
        return `oifname "wan" meta l4proto tcp snat to ${wanIp} : numgen inc mod ${SEQ_SLOTS} map { ${entries} }\n    oifname "wan" masquerade`;
      }
      case 'hairpin':
        // Remember which LAN host owns each public port (port-preserving, so
        // the port is the same on both sides of the NAT), for the hairpin DNAT.
        return [
          'oifname "wan" meta l4proto tcp update @owner { tcp sport : ip saddr }',
          'oifname "wan" masquerade',
          // LAN->LAN traffic that was hairpinned must come back through us:
          // make it come from our public address, port kept.
          `ip saddr ${lanCidr} ip daddr ${lanCidr} ct status dnat snat to ${wanIp}`,
        ].join('\n    ');
    }
  })();
  const hairpin =
    kind === 'hairpin'
      ? `
  map owner { type inet_service : ipv4_addr; flags dynamic, timeout; timeout 10m; }
  chain prerouting {
    type nat hook prerouting priority -100;
    iifname "brl" ip daddr ${wanIp} meta l4proto tcp dnat to tcp dport map @owner
  }`
      : '';
  const wanInput = kind === 'rst' ? 'iifname "wan" meta l4proto tcp reject with tcp reset' : 'iifname "wan" drop';
  return `
table ip labnat {${hairpin}
  chain forward {
    type filter hook forward priority 0; policy drop;
    ct state established,related accept
    iifname "brl" oifname "wan" accept
    ${kind === 'hairpin' ? 'iifname "brl" oifname "brl" ct status dnat accept' : ''}
    ${MAPPING_KINDS.includes(kind) ? '# a connection to a port miniupnpd mapped (its DNAT; its own forward chain vetted it)\n    iifname "wan" oifname "brl" ct status dnat accept' : ''}
  }
  chain input {
    type filter hook input priority 0; policy accept;
    iif "lo" accept
    ct state established,related accept
    ${wanInput}
  }
  chain postrouting {
    type nat hook postrouting priority 100;
    ${masq}
  }
}
${MAPPING_KINDS.includes(kind) ? MINIUPNPD_CHAINS : ''}`;
}

/**
 * The chains miniupnpd 2.3.1's nftables backend fills with a rule per
 * mapping (its default names) but never creates; hooked so that a new
 * inbound connection passes only if one of its rules accepts it.
 */
const MINIUPNPD_CHAINS = `
table inet miniupnpd {
  chain forward {
    type filter hook forward priority -10; policy accept;
    iifname "wan" oifname "brl" ct state new jump miniupnpd
    iifname "wan" oifname "brl" ct state new drop
  }
  chain miniupnpd {
  }
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    iifname "wan" jump prerouting_miniupnpd
  }
  chain prerouting_miniupnpd {
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "wan" jump postrouting_miniupnpd
  }
  chain postrouting_miniupnpd {
  }
}
`;
