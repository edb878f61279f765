import { describe, expect, test } from 'vitest';
import { classifyNat } from '../src/classify.js';
import { predict, sharesOnePublicPort } from '../src/predict.js';
import { ENDPOINT_INDEPENDENT, PORT_PRESERVING, RANDOM, SEQUENTIAL, SEQUENTIAL_FRESH_FIRST, SEQUENTIAL_R1_RETRANSMITTED } from './fixtures.js';

describe('predict (the seed three methods) from recorded profiles', () => {
  test('port preservation publishes the local port', () => {
    const p = predict(classifyNat(12345, PORT_PRESERVING));
    expect(p).toEqual({ method: 'port-preservation', publicIp: '203.0.113.100', ports: [12345], localPort: 12345 });
    expect(sharesOnePublicPort(p)).toBe(true);
  });

  test('endpoint-independent mapping publishes the observed port, then the local port', () => {
    const p = predict(classifyNat(12345, ENDPOINT_INDEPENDENT));
    expect(p.method).toBe('endpoint-independent');
    expect(p.ports).toEqual([19709, 12345]);
  });

  test('sequential: last mapping plus delta, then a window of further steps', () => {
    const p = predict(classifyNat(12345, SEQUENTIAL), { window: 4 });
    expect(p).toMatchObject({ method: 'sequential', ports: [20006, 20008, 20010, 20012] });
    expect(sharesOnePublicPort(p)).toBe(false);
  });

  test('sequential: the guesses start after the highest port, whatever order the NAT saw the probes in', () => {
    for (const obs of [SEQUENTIAL_FRESH_FIRST, SEQUENTIAL_R1_RETRANSMITTED]) {
      expect(predict(classifyNat(12345, obs), { window: 2 }).ports).toEqual([20006, 20008]);
    }
  });

  test('sequential guesses stay inside the port range', () => {
    const prof = { ...classifyNat(12345, SEQUENTIAL), lastMappedPort: 65530 };
    expect(predict(prof, { window: 8 }).ports).toEqual([65532, 65534]);
  });

  test('random mapping has no ports to publish', () => {
    expect(predict(classifyNat(12345, RANDOM))).toMatchObject({ method: 'unpredictable', ports: [], publicIp: '203.0.113.104' });
  });
});
