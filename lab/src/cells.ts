import type { NatSpec } from './topology.js';

/** One peer: the n-th host behind a named NAT box. */
export interface PeerRef {
  nat: string;
  host: number;
}

/** A row of the matrix: one or more pairs that punch at the same time. */
export interface PairRow {
  id: string;
  label: string;
  pairs: [PeerRef, PeerRef][];
  /** Both peers of a pair bind the same local port number (the CGN case). */
  samePort: boolean;
  /** Offer LAN endpoints as candidates (off where the point is to cross a NAT). */
  lan: boolean;
  /** NAT passes on a peer-to-peer path: delay and loss are split over them. */
  passes: number;
  expect: 'connect' | 'fail-fast';
  why?: string;
}

export interface Condition {
  id: string;
  label: string;
  /** Peer-to-peer one-way delay. */
  oneWayMs: number;
  /** Peer-to-peer loss per direction. */
  loss: number;
}

export const CONDITIONS: Condition[] = [
  { id: 'none', label: 'no delay', oneWayMs: 0, loss: 0 },
  { id: 'd25', label: '25 ms one-way', oneWayMs: 25, loss: 0 },
  { id: 'd25l5', label: '25 ms + 5% loss', oneWayMs: 25, loss: 0.05 },
];

export const NAT_SPECS: NatSpec[] = [
  { name: 'pp1', kind: 'pp', hosts: 1 },
  { name: 'pp2', kind: 'pp', hosts: 1 },
  { name: 'rst1', kind: 'rst', hosts: 1 },
  { name: 'rst2', kind: 'rst', hosts: 1 },
  { name: 'rand1', kind: 'rand', hosts: 1 },
  { name: 'rand2', kind: 'rand', hosts: 1 },
  { name: 'seq1', kind: 'seq', hosts: 1 },
  { name: 'seq2', kind: 'seq', hosts: 1 },
  { name: 'cgn', kind: 'pp', hosts: 2 },
  { name: 'hp', kind: 'hairpin', hosts: 2 },
];

const p = (nat: string, host = 1): PeerRef => ({ nat, host });
const pair = (id: string, label: string, a: string, b: string, extra: Partial<PairRow> = {}): PairRow => ({
  id,
  label,
  pairs: [[p(a), p(b)]],
  samePort: false,
  lan: true,
  passes: 2,
  expect: 'connect',
  ...extra,
});

export const ROWS: PairRow[] = [
  pair('pp-pp', 'port-preserving × port-preserving', 'pp1', 'pp2'),
  pair('pp-rst', 'port-preserving × RST', 'pp1', 'rst1'),
  pair('rst-rst', 'RST × RST', 'rst1', 'rst2'),
  pair('pp-seq', 'port-preserving × sequential', 'pp1', 'seq1'),
  pair('rst-seq', 'RST × sequential', 'rst1', 'seq1'),
  pair('seq-seq', 'sequential × sequential', 'seq1', 'seq2'),
  pair('pp-rand', 'port-preserving × random', 'pp1', 'rand1'),
  pair('rst-rand', 'RST × random', 'rst1', 'rand1'),
  pair('seq-rand', 'sequential × random', 'seq1', 'rand1', {
    expect: 'fail-fast',
    why: 'a sequential NAT gives every connection a new port, so no set of SYNs shares one public endpoint for a birthday attack',
  }),
  pair('rand-rand', 'random × random', 'rand1', 'rand2', { expect: 'fail-fast', why: 'both unpredictable (the seed says NO)' }),
  {
    id: 'cgn',
    label: 'CGN: 2 hosts, 1 NAT, same local port × 2 peers',
    pairs: [
      [p('cgn', 1), p('pp1')],
      [p('cgn', 2), p('pp2')],
    ],
    samePort: true,
    lan: true,
    passes: 2,
    expect: 'connect',
  },
  { id: 'hairpin', label: 'hairpin: both behind one NAT, public path only', pairs: [[p('hp', 1), p('hp', 2)]], samePort: false, lan: false, passes: 1, expect: 'connect' },
  { id: 'same-lan', label: 'both behind one NAT, LAN candidates on', pairs: [[p('hp', 1), p('hp', 2)]], samePort: false, lan: true, passes: 1, expect: 'connect' },
];

/** Rows re-run with one side starting 2 s before the other. */
export const EARLY_BIRD_ROWS = ['pp-pp', 'pp-rst', 'rst-rst', 'pp-seq', 'rst-seq', 'seq-seq', 'pp-rand', 'rst-rand', 'cgn', 'hairpin'];
