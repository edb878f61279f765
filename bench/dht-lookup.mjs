// Lookup cost in private DHTs of several sizes on 127.0.0.1, spread over a
// few worker processes. For every size it looks up the same published keys
// two ways, side by side in one run:
//   - RecordResolver.lookup (ours: stops as soon as it can trust the answer)
//   - bittorrent-dht's own get (walks the whole lookup before answering)
// and prints lookup time (median, p95), datagrams sent per lookup, memory per node.
//
// With --churn F, a fraction F of the nodes (never a publisher's) stops after
// publishing and the records are republished, as after real churn: the full
// walk then waits out every dead node's query timeout, ours need not.
//
// Usage: pnpm build && node bench/dht-lookup.mjs [--sizes 100,500,1000] [--procs 4] [--lookups 20] [--churn 0.3]
import { fork } from 'node:child_process';
import dgram from 'node:dgram';
import { DhtNode, RecordResolver, RECORD_SALT, mutableTarget } from '@p2p-node/dht-signal';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const sizes = arg('sizes', '100,500,1000').split(',').map(Number);
const procs = Number(arg('procs', '4'));
const lookups = Number(arg('lookups', '20'));
const queryTimeoutMs = Number(arg('query-timeout', '1000'));
const churn = Number(arg('churn', '0'));
if (!(churn >= 0 && churn < 1)) throw new Error(`--churn must be a fraction in [0, 1), got ${arg('churn')}`);
const HOST = '127.0.0.1';

// Every datagram this process sends belongs to the one lookup node it hosts.
let sent = 0;
const realSend = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function (...a) {
  sent++;
  return realSend.apply(this, a);
};

function worker() {
  const child = fork(new URL('./dht-worker.mjs', import.meta.url), [], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let next = 0;
  const pending = new Map();
  child.on('message', (m) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    m.ok ? p.resolve(m.result) : p.reject(new Error(m.error));
  });
  const call = (type, body = {}) =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      child.send({ id, type, ...body });
    });
  return { child, call };
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const median = (xs) => quantile(xs, 0.5);

async function measure(size) {
  const workers = Array.from({ length: Math.min(procs, size) }, worker);
  try {
    const share = Math.ceil(size / workers.length);
    const t0 = performance.now();
    const first = await workers[0].call('start', { count: share, bootstrap: [], queryTimeoutMs });
    const seeds = first.addrs.slice(0, 4);
    const rest = await Promise.all(workers.slice(1).map((w) => w.call('start', { count: share, bootstrap: seeds, queryTimeoutMs })));
    let all = [first, ...rest];
    const startMs = performance.now() - t0;
    const published = await workers[workers.length - 1].call('publish', { count: lookups });
    if (churn > 0) {
      const after = await Promise.all(workers.map((w) => w.call('churn', { fraction: churn })));
      // Lookups enter through nodes that are still up; their tables still name the dead ones.
      all = all.map((w, i) => ({ ...w, addrs: after[i].addrs }));
    }

    const pick = () => all[Math.floor(Math.random() * all.length)].addrs;
    const bootstrap = Array.from({ length: 4 }, () => {
      const a = pick();
      return a[Math.floor(Math.random() * a.length)];
    });
    const node = await DhtNode.start({ host: HOST, port: 0, bootstrap, queryTimeoutMs });
    const ours = { ms: [], msgs: [], storers: [], found: 0 };
    const walk = { ms: [], msgs: [], found: 0 };
    for (const { key } of published.keys) {
      const pk = Buffer.from(key, 'hex');
      let s0 = sent;
      let t = performance.now();
      try {
        const rec = await new RecordResolver(node, { timeoutMs: 10_000 }).lookup(pk);
        ours.found++;
        ours.storers.push(rec.storedOn ?? 0);
      } catch {}
      ours.ms.push(performance.now() - t);
      ours.msgs.push(sent - s0);

      s0 = sent;
      t = performance.now();
      const value = await new Promise((resolve) =>
        node['dht'].get(Buffer.from(mutableTarget(pk, RECORD_SALT)), { salt: Buffer.from(RECORD_SALT), cache: false }, (err, res) => resolve(err ? null : res)),
      );
      if (value) walk.found++;
      walk.ms.push(performance.now() - t);
      walk.msgs.push(sent - s0);
    }
    await node.stop();
    const heapKiB = all.reduce((a, w) => a + w.heapPerNode, 0) / all.length / 1024;
    const rssKiB = all.reduce((a, w) => a + w.rssPerNode, 0) / all.length / 1024;
    return { size, workers: workers.length, startMs, ours, walk, heapKiB, rssKiB, storedOn: median(published.keys.map((k) => k.storedOn)) };
  } finally {
    await Promise.all(
      workers.map(async (w) => {
        const timer = setTimeout(() => w.child.kill('SIGKILL'), 15_000);
        await w.call('stop').catch(() => {});
        clearTimeout(timer);
      }),
    );
  }
}

const fmt = (x) => (x < 10 ? x.toFixed(1) : Math.round(x).toString());
const rows = [];
for (const size of sizes) {
  process.stderr.write(`measuring ${size} nodes...\n`);
  rows.push(await measure(size));
}
console.log(`\nDHT lookup on 127.0.0.1, ${lookups} published keys per size, query timeout ${queryTimeoutMs} ms${churn > 0 ? `, after ${Math.round(churn * 100)}% of the nodes stopped (records republished)` : ''}, node ${process.version}`);
console.log('| nodes | procs | found (ours / full walk) | lookup median ms (ours / full walk) | p95 ms (ours / full walk) | datagrams sent per lookup, median (ours / full walk) | speed-up (walk median / ours median) | stored on (median nodes) | heap per node | RSS per node |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.size} | ${r.workers} | ${r.ours.found}/${lookups} / ${r.walk.found}/${lookups} | ${fmt(median(r.ours.ms))} / ${fmt(median(r.walk.ms))} | ${fmt(quantile(r.ours.ms, 0.95))} / ${fmt(quantile(r.walk.ms, 0.95))} | ${median(r.ours.msgs)} / ${median(r.walk.msgs)} | ${(median(r.walk.ms) / median(r.ours.ms)).toFixed(1)}x | ${r.storedOn} | ${fmt(r.heapKiB)} KiB | ${fmt(r.rssKiB)} KiB |`,
  );
}
