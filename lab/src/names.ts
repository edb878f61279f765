/*
 * Every namespace the lab makes is named p2plab-<run>-<role>. The run id lets
 * a later `pnpm lab --cleanup` (or the start of the next run) find and remove
 * what a crashed run left, without ever touching namespaces it did not make.
 */
export const NS_PREFIX = 'p2plab-';

export function newRunId(): string {
  return `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
}

/** The run id in a lab namespace's name. */
export function runOf(ns: string): string {
  return ns.slice(NS_PREFIX.length).split('-')[0] ?? '';
}

export function nsName(run: string, role: string): string {
  return `${NS_PREFIX}${run}-${role}`;
}
