import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { homedir } from 'node:os';
import { generateIdentity, identityFromSeed, type Identity } from '@p2p-node/dht-signal';
import { CliError, ExitCode } from './exit-codes.js';

const KIND = 'p2p-node-ed25519';
const MAX_KEY_FILE_BYTES = 4096;

export function defaultKeyPath(): string {
  return process.env.P2P_NODE_KEY ?? join(homedir(), '.p2p-node', 'key.json');
}

export const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Parses a public key given on the command line: exactly 64 hex characters. */
export function parsePublicKey(text: string): Uint8Array {
  if (!/^[0-9a-fA-F]{64}$/.test(text)) {
    throw new CliError(`not a public key: expected 64 hex characters, got ${JSON.stringify(text.slice(0, 80))}`, ExitCode.usage);
  }
  return Buffer.from(text, 'hex');
}

/**
 * Writes a new identity. The file is created with mode 0600 and O_EXCL unless
 * `force`, so an existing key is never overwritten by accident.
 */
export async function writeNewKeyFile(path: string, force: boolean): Promise<Identity> {
  const id = generateIdentity();
  try {
    await makeDirs(dirname(path));
  } catch (err) {
    throw new CliError(`cannot write ${path}: ${(err as Error).message}`);
  }
  const body = JSON.stringify({ kind: KIND, publicKey: toHex(id.publicKey), secretKey: toHex(id.secretKey) }, null, 2) + '\n';
  let handle;
  try {
    handle = await open(path, force ? 'w' : 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CliError(`${path} already exists; pass --force to overwrite it (the old key is lost)`, ExitCode.usage);
    }
    throw new CliError(`cannot write ${path}: ${(err as Error).message}`);
  }
  try {
    // open() applies the mode only on creation; --force on an existing file must still end at 0600.
    await handle.chmod(0o600);
    await handle.writeFile(body);
  } finally {
    await handle.close();
  }
  return id;
}

/**
 * mkdir -p with mode 0700. Not fs.mkdir's `recursive`: on Node 20 it loops
 * forever when the kernel answers ENOENT for a parent that exists (under
 * /proc, say). Here each level is created at most twice, then the error stands.
 */
export async function makeDirs(dir: string): Promise<void> {
  try {
    await mkdir(dir, { mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT' || dirname(dir) === dir) throw err;
    await makeDirs(dirname(dir));
    await mkdir(dir, { mode: 0o700 }).catch((again: NodeJS.ErrnoException) => {
      if (again.code !== 'EEXIST') throw again;
    });
  }
}

/** `warn`: where the one warning goes (a key file others can read); default stderr. */
export async function readKeyFile(path: string, warn: (message: string) => void = (m) => void process.stderr.write(`${m}\n`)): Promise<Identity> {
  let text: string;
  try {
    // A device or FIFO given as --key (/dev/zero, a pipe) would never end or never open.
    const info = await stat(path);
    if (!info.isFile()) throw new Error(info.isDirectory() ? 'it is a directory' : 'not a regular file');
    if (info.size > MAX_KEY_FILE_BYTES) throw new Error(`${info.size} bytes, a key file is under ${MAX_KEY_FILE_BYTES}`);
    text = await readFile(path, 'utf8');
  } catch (err) {
    const hint = (err as NodeJS.ErrnoException).code === 'ENOENT' ? ' (create one with `p2p-node keygen`)' : '';
    throw new CliError(`cannot read key file ${path}: ${(err as Error).message}${hint}`, ExitCode.usage);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(`${path} is not a p2p-node key file (not JSON)`, ExitCode.usage);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new CliError(`${path} is not a p2p-node key file (expected a JSON object, found ${json === null ? 'null' : Array.isArray(json) ? 'an array' : typeof json})`, ExitCode.usage);
  }
  const parsed = json as { kind?: unknown; publicKey?: unknown; secretKey?: unknown };
  if (parsed.kind !== KIND || typeof parsed.secretKey !== 'string' || !/^[0-9a-f]{64}$/.test(parsed.secretKey)) {
    throw new CliError(`${path} is not a p2p-node key file (expected kind ${KIND} and a 64-hex secretKey)`, ExitCode.usage);
  }
  const id = identityFromSeed(Buffer.from(parsed.secretKey, 'hex'));
  if (typeof parsed.publicKey === 'string' && parsed.publicKey !== toHex(id.publicKey)) {
    throw new CliError(`${path} is corrupt: its publicKey does not match its secretKey`, ExitCode.usage);
  }
  const mode = (await stat(path)).mode & 0o077;
  if (mode !== 0) warn(`warning: ${path} is readable by others (mode ${(mode | 0o600).toString(8)}); run chmod 600`);
  return id;
}
