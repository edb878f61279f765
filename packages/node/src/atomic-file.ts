import { randomBytes } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { makeDirs } from './key-file.js';

/**
 * Writes a small state file (mode 0600, parent folders 0700) so that a crash
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
