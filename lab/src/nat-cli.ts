/*
 * Runs the `p2p-node nat` verb (packages/node/src/commands/nat.ts) on its
 * own, so the lab can check it inside a NAT'd namespace whether or not the
 * CLI entry point has wired it in yet. commander is resolved from
 * packages/node, where it is a dependency.
 */
import { createRequire } from 'node:module';
import { registerNat } from '../../packages/node/dist/commands/nat.js';

type Program = Parameters<typeof registerNat>[0];
const require = createRequire(new URL('../../packages/node/package.json', import.meta.url));
const { Command } = require('commander') as { Command: new (name?: string) => Program };

const program = new Command('p2p-node');
program.exitOverride();
registerNat(program);
program.parseAsync(process.argv).catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
