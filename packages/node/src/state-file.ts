import { randomBytes } from 'node:crypto';
import { readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { makeDirs } from './key-file.js';

/*
 * Small state files the CLI keeps between runs (seen record seqs, a DHT node
 * id). Losing one costs a little memory, never a refusal to run: a file that
 * cannot be read as JSON is reported and treated as absent, and it is
 * rewritten whole on the next save.
 */

/**
 * The parsed JSON of `path`, or undefined when it is missing or unreadable
 * (then `warn` says why, ending with `ifLost`, what the caller does instead).
 * A file over `maxBytes` or not a regular file is not ours.
 */
export async function readJsonStateFile(path: string, maxBytes: number, ifLost: string, warn: (why: string) => void): Promise<unknown> {
  let text: string;
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size > maxBytes) throw new Error(info.isFile() ? `${info.size} bytes, more than such a file holds` : 'not a regular file');
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') warn(`cannot read ${path} (${(err as Error).message}); ${ifLost}`);
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    warn(`${path} is not JSON; ${ifLost}`);
    return undefined;
  }
}

/**
 * Writes a state file (mode 0600, parent folders 0700) so that a crash
 * mid-write leaves the old file, never half of a new one: the body goes to a
 * temporary name beside it, then replaces it in one rename.
 */
export async function writeFileAtomic(path: string, body: string): Promise<void> {
  await makeDirs(dirname(path));
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, body, { mode: 0o600 });
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
