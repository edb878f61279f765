#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerBootstrap } from './commands/bootstrap.js';
import { registerKeygen } from './commands/keygen.js';
import { registerLookup } from './commands/lookup.js';
import { registerPublish } from './commands/publish.js';
import { registerDemo } from './commands/demo.js';
import { registerNat } from './commands/nat.js';
import { registerListen } from './commands/listen.js';
import { registerDial } from './commands/dial.js';
import { exitCodeFor } from './error-exit.js';
import { ExitCode } from './exit-codes.js';

const program = new Command('p2p-node')
  .description('direct, encrypted TCP between two computers behind NATs, knowing only a public key')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();
for (const register of [registerKeygen, registerBootstrap, registerPublish, registerLookup, registerNat, registerListen, registerDial, registerDemo]) register(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version arrive here with exit code 0; usage errors were already printed.
    process.exitCode = err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  } else {
    process.stderr.write(`p2p-node: ${(err as Error).message}\n`);
    process.exitCode = exitCodeFor(err);
  }
}
