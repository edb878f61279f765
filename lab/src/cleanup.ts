import { sh } from './sh.js';
import { NS_PREFIX } from './names.js';

function labNamespaces(): string[] {
  return sh('ip', ['netns', 'list'], { allowFail: true })
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(NS_PREFIX));
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes namespaces left by lab runs whose harness process is gone (the run
 * id starts with the harness PID in base 36). A live run's namespaces are
 * left alone, so two labs (a test and a manual run) do not break each other.
 */
export function removeStaleNamespaces(): string[] {
  const removed: string[] = [];
  for (const ns of labNamespaces()) {
    const run = ns.slice(NS_PREFIX.length).split('-')[0] ?? '';
    const pid = parseInt(run.slice(0, -4), 36);
    if (Number.isFinite(pid) && pid > 0 && pidAlive(pid) && pid !== process.pid) continue;
    if (sh('ip', ['netns', 'delete', ns], { allowFail: true }) !== undefined) removed.push(ns);
  }
  return removed;
}
