import { afterEach, expect, test } from 'vitest';
import { MappingKeeper } from '../src/keepalive.js';
import { startReflector, type Reflector } from '../src/reflector.js';
import { fixedPort } from './ports.js';

const started: Reflector[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((r) => r.close()));
});

test('MappingKeeper refreshes from the published port, in turn over the reflectors, until stopped', async () => {
  const r1 = await startReflector({ host: '127.0.0.1', port: 0 });
  const r2 = await startReflector({ host: '127.0.0.2', port: 0 });
  started.push(r1, r2);
  const localPort = await fixedPort();
  const errors: Error[] = [];
  const keeper = new MappingKeeper({ reflectors: [r1.address, r2.address], localPort, intervalMs: 30, onError: (e) => errors.push(e) }).start();
  // Until three refreshes happened (the test's deadline catches a keeper that never refreshes).
  while (keeper.refreshes < 3 && errors.length === 0) await new Promise((r) => setTimeout(r, 10));
  keeper.stop();
  const n = keeper.refreshes;
  expect(errors).toEqual([]);
  expect(keeper.observed).toEqual({ host: '127.0.0.1', port: localPort });
  // Stopped: at most the refresh already in flight completes, over several intervals.
  await new Promise((r) => setTimeout(r, 100));
  expect(keeper.refreshes).toBeLessThanOrEqual(n + 1);
});
