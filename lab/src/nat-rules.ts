/** The NAT behaviours the lab can build, each with real kernel NAT (nftables) in its own namespace. */
export type NatKind = 'pp' | 'rst' | 'rand' | 'seq' | 'hairpin';

export const NAT_KIND_TEXT: Record<NatKind, string> = {
  pp: 'port-preserving, drops unsolicited',
  rst: 'port-preserving, RST to unsolicited',
  rand: 'random per connection (fully-random)',
  seq: 'sequential per connection (step 2)',
  hairpin: 'port-preserving with hairpin',
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
`;
}
