// The seen-seq file: what `lookup` remembers between processes (see cli.test.ts for the CLI).
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSeenSeqs, MAX_SEEN_KEYS, saveSeenSeqs } from '../src/seen-seqs.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function folder(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'p2p-seen-'));
  dirs.push(d);
  return d;
}
const key = (i: number) => i.toString(16).padStart(64, '0');

describe('seen seqs', () => {
  it('round-trips, creating its folder, and keeps only the most recently seen keys', async () => {
    const path = join(await folder(), 'nested', 'seen.json');
    const seen = new Map<string, number>();
    for (let i = 0; i < MAX_SEEN_KEYS + 5; i++) seen.set(key(i), i + 1);
    await saveSeenSeqs(path, seen);
    const back = await loadSeenSeqs(path, () => expect.fail('no warning expected'));
    expect(back.size).toBe(MAX_SEEN_KEYS);
    // The five seen first were dropped; the newest kept their seq.
    expect(back.has(key(4))).toBe(false);
    expect(back.get(key(MAX_SEEN_KEYS + 4))).toBe(MAX_SEEN_KEYS + 5);
  });

  it('a missing file is an empty memory, silently', async () => {
    const warnings: string[] = [];
    expect((await loadSeenSeqs(join(await folder(), 'none.json'), (w) => warnings.push(w))).size).toBe(0);
    expect(warnings).toEqual([]);
  });

  it('a file that is not ours warns and starts empty; bad entries are skipped', async () => {
    const d = await folder();
    const warnings: string[] = [];
    await writeFile(join(d, 'a.json'), '[1,2]');
    expect((await loadSeenSeqs(join(d, 'a.json'), (w) => warnings.push(w))).size).toBe(0);
    expect(warnings[0]).toMatch(/holds no "seqs" object/);
    await writeFile(join(d, 'b.json'), JSON.stringify({ seqs: { [key(1)]: 7, short: 3, [key(2)]: -1, [key(3)]: 'x', [key(4)]: 1.5 } }));
    expect([...(await loadSeenSeqs(join(d, 'b.json'), (w) => warnings.push(w)))]).toEqual([[key(1), 7]]);
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(await readFile(join(d, 'b.json'), 'utf8')).seqs[key(1)]).toBe(7);
  });
});
