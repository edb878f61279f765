import type { Command } from 'commander';
import { DhtNode, RecordResolver } from '@p2p-node/dht-signal';
import { checkFilePathOption, parseTimerMs, resolveBootstrap } from '../cli-args.js';
import { parsePublicKey } from '../key-file.js';
import { recordToJson, recordToText } from '../format-record.js';
import { logErr } from '../cli-peer.js';
import { defaultSeenPath, loadSeenSeqs, saveSeenSeqs } from '../seen-seqs.js';

interface LookupOptions {
  bootstrap?: string;
  json: boolean;
  timeout: string;
  /** The seen-seq file, or false (--no-seen). */
  seen: string | false;
}

export function registerLookup(program: Command): void {
  program
    .command('lookup')
    .description("find a peer's record by public key and print it once verified")
    .argument('<pubkey>', 'the peer to look up: 64 hex characters')
    .option('--bootstrap <list>', 'DHT nodes to join, HOST:PORT,... (default: $P2P_NODE_BOOTSTRAP)')
    .option('--json', 'print one JSON object on stdout', false)
    .option('--timeout <ms>', 'give up after this long', '10000')
    .option('--seen <file>', 'remember the highest seq accepted per key here, so a later lookup refuses an older record as replayed', defaultSeenPath())
    .option('--no-seen', 'neither read nor write that memory (a first lookup then accepts any validly signed, unexpired record)')
    .addHelpText('after', '\nExit codes: 0 found, 3 not found (the nodes closest to the key answered without it), 4 invalid record (forged, malformed or replayed), 5 expired, 12 lookup incomplete (out of time, or no DHT node answered: the record may exist).')
    .action(async (pubkey: string, opts: LookupOptions) => {
      const key = parsePublicKey(pubkey);
      const bootstrap = resolveBootstrap(opts.bootstrap, { required: true });
      const timeoutMs = parseTimerMs(opts.timeout, '--timeout');
      if (opts.seen !== false) await checkFilePathOption(opts.seen, '--seen', 'or --no-seen');
      const seenSeqs = opts.seen === false ? undefined : await loadSeenSeqs(opts.seen, (why) => logErr(`warning: ${why}`));
      // A one-shot node: read-only (BEP 43), so no routing table keeps its port after it exits.
      const node = await DhtNode.start({ host: '0.0.0.0', port: 0, bootstrap, readOnly: true });
      try {
        const record = await new RecordResolver(node, { timeoutMs, ...(seenSeqs ? { seenSeqs } : {}) }).lookup(key);
        process.stdout.write(opts.json ? JSON.stringify(recordToJson(record)) + '\n' : recordToText(record));
      } finally {
        await node.stop();
        // Also after a refusal: a record seen expired still raised the floor.
        if (seenSeqs && opts.seen !== false) await saveSeenSeqs(opts.seen, seenSeqs).catch((err: Error) => logErr(`warning: could not save ${opts.seen}: ${err.message}`));
      }
    });
}
