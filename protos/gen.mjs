// The one script that turns protos/*.proto into protos/generated/.
// `--check` regenerates into a temporary folder and fails when the committed
// files differ, so CI catches a .proto edited without regenerating.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const check = process.argv.includes('--check');
const protoFiles = readdirSync(here).filter((f) => f.endsWith('.proto')).sort().map((f) => join(here, f));
const bin = (name) => join(here, 'node_modules', '.bin', name);

function generate(outDir) {
  mkdirSync(outDir, { recursive: true });
  const js = join(outDir, 'wire.js');
  execFileSync(bin('pbjs'), ['-t', 'static-module', '-w', 'es6', '--es6', '--no-beautify', '--force-number', '-o', js, ...protoFiles], { stdio: 'inherit' });
  // pbjs emits `import * as $protobuf from "protobufjs/minimal"`, which Node's ESM
  // resolver cannot load without the extension.
  const fixed = readFileSync(js, 'utf8').replace(/from "protobufjs\/minimal"/g, 'from "protobufjs/minimal.js"');
  writeFileSync(js, fixed);
  execFileSync(bin('pbts'), ['--no-comments', '-o', join(outDir, 'wire.d.ts'), js], { stdio: 'inherit' });
}

const target = join(here, 'generated');
if (!check) {
  generate(target);
  console.log(`generated ${target}`);
} else {
  const tmp = mkdtempSync(join(tmpdir(), 'p2p-protos-'));
  try {
    generate(tmp);
    const stale = ['wire.js', 'wire.d.ts'].filter((f) => {
      try { return readFileSync(join(tmp, f), 'utf8') !== readFileSync(join(target, f), 'utf8'); } catch { return true; }
    });
    if (stale.length) {
      console.error(`protos/generated is out of date with the .proto files (${stale.join(', ')}): run \`pnpm gen:protos\` and commit the result`);
      process.exit(1);
    }
    console.log('protos/generated is up to date');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
