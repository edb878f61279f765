#!/usr/bin/env node
import './sigusr1.js';
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { registerBootstrap } from './commands/bootstrap.js';
import { registerKeygen } from './commands/keygen.js';
import { registerLookup } from './commands/lookup.js';
import { registerPublish } from './commands/publish.js';
import { registerDemo } from './commands/demo.js';
import { registerNat } from './commands/nat.js';
import { registerListen } from './commands/listen.js';
import { registerDial } from './commands/dial.js';
import { exitCodeFor, messageFor } from './error-exit.js';
import { ExitCode } from './exit-codes.js';

/** This package's own version: package.json sits one folder above dist/, in the checkout and when installed alike. */
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** After a failure, how long cleanup may take before the process exits anyway (a socket left open must not hold it). */
const EXIT_GRACE_MS = 500;

const program = new Command('p2p-node')
  .description('direct, encrypted TCP between two computers behind NATs, knowing only a public key')
  .version(version)
  .exitOverride()
  // Commander's errors on one line in our own format; the whole help after each would bury the one line that matters.
  .configureOutput({ outputError: (text, write) => write(`p2p-node: ${text.replace(/^error: /, '').trim()}\n`) });
for (const register of [registerKeygen, registerBootstrap, registerPublish, registerLookup, registerNat, registerListen, registerDial, registerDemo]) register(program);
program.showHelpAfterError('(run `p2p-node --help` for usage)');
for (const command of program.commands) command.showHelpAfterError(`(run \`p2p-node ${command.name()} --help\` for usage)`);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version arrive here with exit code 0; usage errors were already printed.
    process.exitCode = err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  } else {
    process.stderr.write(`p2p-node: ${messageFor(err)}\n`);
    process.exitCode = exitCodeFor(err);
    setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
  }
}
