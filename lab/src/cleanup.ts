import { sh } from './sh.js';
import { NS_PREFIX, runOf } from './names.js';
import { forgetRun, ownerAlive, readRunRecord, recordedRuns, runRecordDir } from './run-record.js';

export function labNamespaces(): string[] {
  return sh('ip', ['netns', 'list'], { allowFail: true })
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(NS_PREFIX));
}

export interface CleanupResult {
  /** Namespaces removed: their run's record says so, and its owner is gone. */
  removed: string[];
  /** Lab-named namespaces with no record of ours: maybe another lab's, so left alone. */
  unproven: string[];
}

/**
 * Removes namespaces left by lab runs whose owner is gone, as their records on
 * disk prove (see run-record.ts), and the records once their namespaces are
 * gone. A live run's namespaces, and any this host has no record of, are left
 * alone, so two labs (a test and a manual run, or two containers) do not break
 * each other.
 */
export function cleanUpStaleRuns(dir = runRecordDir()): CleanupResult {
  const result: CleanupResult = { removed: [], unproven: [] };
  const namespaces = labNamespaces();
  const attempted: string[] = [];
  for (const ns of namespaces) {
    const record = readRunRecord(runOf(ns), dir);
    if (!record) {
      result.unproven.push(ns);
      continue;
    }
    if (ownerAlive(record)) continue;
    // sh returns '' for a failed delete when allowed to fail; what is left tells.
    sh('ip', ['netns', 'delete', ns], { allowFail: true, timeoutMs: 10_000 });
    attempted.push(ns);
  }
  const left = new Set(labNamespaces());
  result.removed = attempted.filter((ns) => !left.has(ns));
  for (const run of recordedRuns(dir)) {
    const record = readRunRecord(run, dir);
    const stillThere = [...left].some((ns) => runOf(ns) === run);
    if (!stillThere && (!record || !ownerAlive(record))) forgetRun(run, dir);
  }
  return result;
}

/** What the lab's setUp and `pnpm lab --cleanup` call: the namespaces removed. */
export function removeStaleNamespaces(): string[] {
  return cleanUpStaleRuns().removed;
}
