// One process of the benchmark's DHT: starts a share of the nodes on
// 127.0.0.1 and publishes records on request. Driven over IPC by dht-lookup.mjs.
import { DhtNode, RecordPublisher, generateIdentity } from '@p2p-node/dht-signal';

const HOST = '127.0.0.1';
const nodes = [];
const publishers = [];
/** Nodes that host a publisher: churn spares them, as the records test does (the publisher itself stays). */
const homes = new Set();
/** The content each publisher last published, to republish it after churn. */
const contents = new Map();

const gc = () => globalThis.gc?.();
const heap = () => (gc(), process.memoryUsage().heapUsed);

async function startNodes({ count, bootstrap, queryTimeoutMs }) {
  const heap0 = heap();
  const rss0 = process.memoryUsage().rss;
  // A few at a time: each start runs a bootstrap walk, and a thousand at once
  // would only measure the event loop's queue.
  const batch = 8;
  let remaining = count;
  if (bootstrap.length === 0 && nodes.length === 0) {
    // The very first node of the DHT has no one to join.
    nodes.push(await DhtNode.start({ host: HOST, port: 0, bootstrap: [], queryTimeoutMs }));
    remaining--;
  }
  const boot = bootstrap.length > 0 ? bootstrap : nodes.slice(0, 3).map((x) => x.address());
  while (remaining > 0) {
    const n = Math.min(batch, remaining);
    remaining -= n;
    nodes.push(...(await Promise.all(Array.from({ length: n }, () => DhtNode.start({ host: HOST, port: 0, bootstrap: boot, queryTimeoutMs })))));
  }
  return {
    addrs: nodes.map((n) => n.address()),
    heapPerNode: (heap() - heap0) / count,
    rssPerNode: (process.memoryUsage().rss - rss0) / count,
  };
}

async function publish({ count }) {
  const keys = [];
  for (let i = 0; i < count; i++) {
    const node = nodes[Math.floor(Math.random() * nodes.length)];
    const id = generateIdentity();
    const pub = new RecordPublisher(node, id, { lifetimeSec: 3600, republishIntervalMs: 3_600_000 });
    publishers.push(pub);
    homes.add(node);
    const content = { publicEndpoints: [{ host: '203.0.113.9', port: 4000 + i }], lanEndpoints: [], introducers: [] };
    contents.set(pub, content);
    const res = await pub.publish(content);
    keys.push({ key: Buffer.from(id.publicKey).toString('hex'), storedOn: res.storedOn });
  }
  return { keys };
}

/** Stops `fraction` of this process's nodes (never a publisher's home), then every publisher republishes. */
async function churn({ fraction }) {
  const candidates = nodes.filter((n) => !homes.has(n)).sort(() => Math.random() - 0.5);
  const victims = candidates.slice(0, Math.ceil(nodes.length * fraction));
  await Promise.all(victims.map((n) => n.stop()));
  for (const v of victims) nodes.splice(nodes.indexOf(v), 1);
  for (const pub of publishers) await pub.publish(contents.get(pub));
  return { addrs: nodes.map((n) => n.address()), stopped: victims.length };
}

async function stop() {
  for (const p of publishers) p.stop();
  await Promise.all(nodes.map((n) => n.stop()));
  return {};
}

process.on('message', async (msg) => {
  try {
    const handler = { start: startNodes, publish, churn, stop }[msg.type];
    const result = await handler(msg);
    process.send({ id: msg.id, ok: true, result });
    if (msg.type === 'stop') process.disconnect();
  } catch (err) {
    process.send({ id: msg.id, ok: false, error: String(err?.stack ?? err) });
  }
});
