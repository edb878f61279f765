import { afterEach, expect, test } from 'vitest';
import { MappingKeeper } from '../src/keepalive.js';
import { startReflector, type Reflector } from '../src/reflector.js';

const started: Reflector[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((r) => r.close()));
});

test('MappingKeeper refreshes from the published port, in turn over the reflectors, until stopped', async () => {
  const r1 = await startReflector({ host: '127.0.0.1', port: 0 });
  const r2 = await startReflector({ host: '127.0.0.2', port: 0 });
  started.push(r1, r2);
  const localPort = 40000 + Math.floor(Math.random() * 5000);
  const errors: Error[] = [];
  const keeper = new MappingKeeper({ reflectors: [r1.address, r2.address], localPort, intervalMs: 30, onError: (e) => errors.push(e) }).start();
  await new Promise((r) => setTimeout(r, 200));
  keeper.stop();
  const n = keeper.refreshes;
  expect(errors).toEqual([]);
  expect(n).toBeGreaterThanOrEqual(3);
  expect(keeper.observed).toEqual({ host: '127.0.0.1', port: localPort });
  await new Promise((r) => setTimeout(r, 100));
  expect(keeper.refreshes).toBeLessThanOrEqual(n + 1);
});
