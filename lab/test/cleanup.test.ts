/*
 * The lab's cleanup removes only namespaces it can prove are its own: a run
 * record on disk (run-record.ts) whose owner process is gone. Real namespaces
 * (root only; skipped loudly otherwise, failing under CI like every lab test).
 * Every namespace made here is deleted in `finally`, whatever the cleanup did.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cleanUpStaleRuns, labNamespaces } from '../src/cleanup.js';
import { nsName } from '../src/names.js';
import { processStartTicks } from '../src/run-record.js';
import { labAvailability } from './availability.js';

const { why, buildError } = labAvailability('LAB CLEANUP TESTS');

function addNs(name: string): void {
  execFileSync('ip', ['netns', 'add', name]);
}

function deleteIfThere(names: string[]): void {
  const present = new Set(labNamespaces());
  for (const n of names) if (present.has(n)) execFileSync('ip', ['netns', 'delete', n]);
}

function record(dir: string, run: string, pid: number, startTicks: number): void {
  writeFileSync(join(dir, `${run}.json`), JSON.stringify({ run, pid, startTicks }));
}

/** A run id no real run has (real ones are the PID in base 36 plus 4 time digits). */
const fakeRun = (tag: string) => `zz${tag}${Math.random().toString(36).slice(2, 6)}`;

describe.skipIf(why !== null)('lab cleanup', () => {
  test('the lab compiles', () => expect(buildError).toBeNull());

  test('removes a run whose owner is gone, keeps a live owner\'s and any run it has no record of', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'p2plab-records-'));
    const dead = fakeRun('d');
    const live = fakeRun('l');
    const foreign = fakeRun('f');
    const reused = fakeRun('r');
    const made = [nsName(dead, 'a'), nsName(dead, 'b'), nsName(live, 'a'), nsName(foreign, 'a'), nsName(reused, 'a')];
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      for (const ns of made) addNs(ns);
      // Gone: a process that has exited (its PID is free, or taken by another with another start time).
      const gone = spawn('true', { stdio: 'ignore' });
      await new Promise((r) => gone.once('exit', r));
      record(dir, dead, gone.pid!, 1);
      // Alive: a running process with its real start time.
      const ticks = processStartTicks(sleeper.pid!);
      expect(ticks).toBeDefined();
      record(dir, live, sleeper.pid!, ticks!);
      // A live PID with another start time is a reused PID: its run's owner is gone.
      record(dir, reused, sleeper.pid!, ticks! - 1);

      const first = cleanUpStaleRuns(dir);
      expect(first.removed.sort()).toEqual([nsName(dead, 'a'), nsName(dead, 'b'), nsName(reused, 'a')].sort());
      expect(first.unproven).toContain(nsName(foreign, 'a'));
      const left = labNamespaces();
      expect(left).toContain(nsName(live, 'a'));
      expect(left).toContain(nsName(foreign, 'a'));
      expect(existsSync(join(dir, `${dead}.json`))).toBe(false);
      expect(existsSync(join(dir, `${reused}.json`))).toBe(false);
      expect(existsSync(join(dir, `${live}.json`))).toBe(true);

      // Once its owner exits, the live run is stale too; the foreign one never is.
      sleeper.kill('SIGKILL');
      await new Promise((r) => sleeper.once('exit', r));
      const second = cleanUpStaleRuns(dir);
      expect(second.removed).toEqual([nsName(live, 'a')]);
      expect(labNamespaces()).toContain(nsName(foreign, 'a'));
      expect(existsSync(join(dir, `${live}.json`))).toBe(false);
    } finally {
      sleeper.kill('SIGKILL');
      deleteIfThere(made);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
