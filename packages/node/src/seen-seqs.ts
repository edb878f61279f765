import { homedir } from 'node:os';
import { join } from 'node:path';
import { readJsonStateFile, writeFileAtomic } from './state-file.js';

/**
 * The highest record seq this user has accepted per public key, kept in a
 * small file beside the key file so that a one-shot `lookup` remembers what
 * earlier ones saw: without it, a storer that serves an older, validly
 * signed record alone wins a fresh process's first lookup. Bounded to the
 * most recently seen keys.
 */
export const MAX_SEEN_KEYS = 10_000;
/** Larger than MAX_SEEN_KEYS entries can be: a bigger file is not ours. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;

export function defaultSeenPath(): string {
  return process.env.P2P_NODE_SEEN ?? join(homedir(), '.p2p-node', 'seen.json');
}

/**
 * Reads the file; a missing one is an empty memory. One that cannot be read
 * as ours is reported through `warn` and treated as empty (it is rewritten
 * on save): losing replay memory must not stop a lookup.
 */
export async function loadSeenSeqs(path: string, warn: (why: string) => void): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  const json = await readJsonStateFile(path, MAX_FILE_BYTES, 'starting with no memory of seen records', warn);
  if (json === undefined) return seen;
  const entries = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as { seqs?: unknown }).seqs : undefined;
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
    warn(`${path} holds no "seqs" object; starting with no memory of seen records`);
    return seen;
  }
  for (const [key, seq] of Object.entries(entries)) {
    if (/^[0-9a-f]{64}$/.test(key) && Number.isSafeInteger(seq) && (seq as number) >= 0) seen.set(key, seq as number);
  }
  return seen;
}

/** Writes the newest MAX_SEEN_KEYS entries (Map order: least recently seen first) atomically, mode 0600. */
export async function saveSeenSeqs(path: string, seen: Map<string, number>): Promise<void> {
  const entries = [...seen].slice(-MAX_SEEN_KEYS);
  await writeFileAtomic(path, `${JSON.stringify({ kind: 'p2p-node-seen-seqs', seqs: Object.fromEntries(entries) })}\n`);
}
