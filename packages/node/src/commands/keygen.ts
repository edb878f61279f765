import type { Command } from 'commander';
import { defaultKeyPath, toHex, writeNewKeyFile } from '../key-file.js';

export function registerKeygen(program: Command): void {
  program
    .command('keygen')
    .description('create an ed25519 identity; prints its public key (the address others dial)')
    .option('-o, --out <file>', 'where to write the key file (mode 0600)', defaultKeyPath())
    .option('-f, --force', 'overwrite an existing key file (the old identity is lost)', false)
    .action(async (opts: { out: string; force: boolean }) => {
      const id = await writeNewKeyFile(opts.out, opts.force);
      process.stderr.write(`wrote ${opts.out}\n`);
      process.stdout.write(`${toHex(id.publicKey)}\n`);
    });
}
