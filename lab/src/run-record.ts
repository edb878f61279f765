import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Proof of ownership for lab namespaces. Before a run makes its first
 * namespace it writes a record (its run id, PID and the PID's start time)
 * here; the record goes once the run has removed its namespaces. A cleanup
 * removes only namespaces whose run has a record and whose owner is gone: a
 * namespace without a record may be another lab's (another container's PIDs
 * are invisible here, so "no such PID" proves nothing), and is left alone.
 */
export function runRecordDir(): string {
  return process.env.P2PLAB_RUN_DIR ?? '/run/p2plab';
}

export interface RunRecord {
  run: string;
  pid: number;
  /** The owner's start time in clock ticks since boot (/proc/PID/stat field 22): a reused PID has another. */
  startTicks: number;
}

/** Runs this process owns and has not torn down: their namespaces are never stale. */
const activeRuns = new Set<string>();

/** The start time of `pid` in clock ticks since boot, or undefined when it is not running. */
export function processStartTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

const recordPath = (run: string, dir: string) => join(dir, `${run}.json`);

/** Writes this process's record for `run`, before its first namespace exists. */
export function claimRun(run: string, dir = runRecordDir()): void {
  if (activeRuns.has(run)) return;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const record: RunRecord = { run, pid: process.pid, startTicks: processStartTicks(process.pid) ?? -1 };
  writeFileSync(recordPath(run, dir), `${JSON.stringify(record)}\n`, { mode: 0o600 });
  activeRuns.add(run);
}

/** This process is done with `run`: its namespaces may be cleaned up as stale from now on. */
export function releaseRun(run: string): void {
  activeRuns.delete(run);
}

/** Removes the record of `run` (once none of its namespaces is left). */
export function forgetRun(run: string, dir = runRecordDir()): void {
  rmSync(recordPath(run, dir), { force: true });
}

export function readRunRecord(run: string, dir = runRecordDir()): RunRecord | undefined {
  try {
    const r = JSON.parse(readFileSync(recordPath(run, dir), 'utf8')) as Partial<RunRecord>;
    if (r.run !== run || !Number.isInteger(r.pid) || !Number.isInteger(r.startTicks)) return undefined;
    return r as RunRecord;
  } catch {
    return undefined;
  }
}

/** Run ids that have a record. */
export function recordedRuns(dir = runRecordDir()): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length));
  } catch {
    return [];
  }
}

/** True while the record's owner runs: the same PID, started at the same time, and (in this process) the run not yet released. */
export function ownerAlive(record: RunRecord): boolean {
  if (record.pid === process.pid) return activeRuns.has(record.run);
  return processStartTicks(record.pid) === record.startTicks;
}
