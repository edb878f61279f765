import type { CellReport } from './lab.js';

const fmt = (ms: number) => (Number.isFinite(ms) ? `${Math.round(ms)}` : '-');

function winnerText(c: CellReport): string {
  const w = Object.entries(c.winners).sort((a, b) => b[1] - a[1]);
  if (!w.length) return c.expect === 'fail-fast' ? 'refused: unpredictable-peer' : '-';
  return w.map(([m, n]) => (w.length > 1 ? `${m} ${n}` : m)).join(', ');
}

/**
 * One line per cell, aligned; the verdict says whether the cell met what is
 * expected of it (connections only). The times, and the physical minimum
 * beside them, are figures to read, never part of the verdict.
 */
export function formatCell(c: CellReport): string {
  const got =
    c.expect === 'connect'
      ? `${c.successes}/${c.trials}${c.retried ? ` (${c.retried} on 2nd+)` : ''}`
      : `${c.trials - c.successes}/${c.trials} failed fast`;
  const cols = [
    c.row.padEnd(10),
    c.condition.padEnd(32),
    got.padEnd(20),
    `${fmt(c.medianMs)}`.padStart(6),
    `${fmt(c.p95Ms)}`.padStart(6),
    `${c.minimumMs !== undefined ? fmt(c.minimumMs) : '-'}`.padStart(6),
    `${(c.strategy || '-').padEnd(31)}`,
    winnerText(c).padEnd(40),
    c.pass ? 'ok' : 'FAIL',
  ];
  return cols.join(' ');
}

export function header(): string {
  return [
    'row'.padEnd(10),
    'condition'.padEnd(32),
    'result'.padEnd(20),
    'med ms'.padStart(6),
    'p95 ms'.padStart(6),
    'min ms'.padStart(6),
    'strategy'.padEnd(31),
    'winning method'.padEnd(40),
    'verdict',
  ].join(' ');
}
