import { describe, expect, test } from 'vitest';
import { classifyNat } from '../src/classify.js';
import { ENDPOINT_INDEPENDENT, PORT_PRESERVING, RANDOM, SEQUENTIAL, SEQUENTIAL_FRESH_FIRST, SEQUENTIAL_R1_RETRANSMITTED } from './fixtures.js';

describe('classifyNat on observations recorded in the lab', () => {
  test('port-preserving NAT', () => {
    const p = classifyNat(12345, PORT_PRESERVING);
    expect(p).toMatchObject({ mapping: 'port-preserving', portPreserving: true, publicIp: '203.0.113.100', delta: 0, mappedPort: 12345 });
  });

  test('endpoint-independent mapping that moved the port', () => {
    const p = classifyNat(12345, ENDPOINT_INDEPENDENT);
    expect(p).toMatchObject({ mapping: 'endpoint-independent', portPreserving: false, mappedPort: 19709 });
  });

  test('sequential NAT with step 2', () => {
    const p = classifyNat(12345, SEQUENTIAL);
    expect(p).toMatchObject({ mapping: 'sequential', delta: 2, lastMappedPort: 20004, portPreserving: false });
  });

  test('random NAT', () => {
    expect(classifyNat(12345, RANDOM).mapping).toBe('random');
  });
});

describe('classifyNat on a sequential NAT that saw the parallel probes in another order', () => {
  test('fresh-port probe allocated first', () => {
    const p = classifyNat(12345, SEQUENTIAL_FRESH_FIRST);
    expect(p).toMatchObject({ mapping: 'sequential', delta: 2, lastMappedPort: 20004 });
  });

  test('a retransmitted SYN allocated last', () => {
    const p = classifyNat(12345, SEQUENTIAL_R1_RETRANSMITTED);
    expect(p).toMatchObject({ mapping: 'sequential', delta: 2, lastMappedPort: 20004 });
  });

  test('every arrival order but a full reversal reads as counting up from the highest port', () => {
    const [a, b, c] = SEQUENTIAL;
    const orders = [[a, b, c], [a, c, b], [b, a, c], [b, c, a], [c, a, b]];
    for (const order of orders) {
      expect(classifyNat(12345, order.map((o) => o!))).toMatchObject({ mapping: 'sequential', delta: 2, lastMappedPort: 20004 });
    }
  });
});

describe('classifyNat edge cases', () => {
  const R1 = { host: '198.51.100.1', port: 1 };
  const R2 = { host: '198.51.100.2', port: 1 };
  const o = (r: typeof R1, lport: number, pub: string, port: number, lan = '10.0.0.2') => ({
    reflector: r,
    local: { host: lan, port: lport },
    observed: { host: pub, port },
  });

  test('no answer at all is unknown, not a guess', () => {
    expect(classifyNat(5000, [])).toMatchObject({ mapping: 'unknown', publicIp: null });
  });

  test('one reflector IP cannot tell endpoint-independent from dependent', () => {
    const p = classifyNat(5000, [o(R1, 5000, '203.0.113.5', 5000), o(R1, 5000, '203.0.113.5', 5000)]);
    expect(p.mapping).toBe('unknown');
  });

  test('no NAT: the reflectors see our own address', () => {
    const p = classifyNat(5000, [o(R1, 5000, '203.0.113.5', 5000, '203.0.113.5'), o(R2, 5000, '203.0.113.5', 5000, '203.0.113.5')]);
    expect(p).toMatchObject({ mapping: 'none', portPreserving: true });
  });

  test('two public IPs (address pooling) are unpredictable', () => {
    const p = classifyNat(5000, [o(R1, 5000, '203.0.113.5', 5000), o(R2, 5000, '203.0.113.6', 5000)]);
    expect(p.mapping).toBe('random');
  });

  test('sequential with other traffic in between: the smallest step is the delta', () => {
    const p = classifyNat(5000, [o(R1, 5000, '203.0.113.5', 40000), o(R2, 5000, '203.0.113.5', 40003), o(R1, 6000, '203.0.113.5', 40004)]);
    expect(p).toMatchObject({ mapping: 'sequential', delta: 1, lastMappedPort: 40004 });
  });

  test('other traffic took a port between two of ours: delta is the common divisor of the steps', () => {
    const p = classifyNat(5000, [o(R1, 5000, '203.0.113.5', 40006), o(R2, 5000, '203.0.113.5', 40000), o(R1, 6000, '203.0.113.5', 40002)]);
    expect(p).toMatchObject({ mapping: 'sequential', delta: 2, lastMappedPort: 40006 });
  });

  test('two probes with one public port between them are not sequential', () => {
    const p = classifyNat(5000, [o(R1, 5000, '203.0.113.5', 40000), o(R2, 5000, '203.0.113.5', 40002), o(R1, 6000, '203.0.113.5', 40002)]);
    expect(p.mapping).toBe('random');
  });

  test('descending sequential allocation, seen in start order, keeps its sign', () => {
    const p = classifyNat(5000, [o(R1, 5000, '203.0.113.5', 40010), o(R2, 5000, '203.0.113.5', 40008), o(R1, 6000, '203.0.113.5', 40006)]);
    expect(p).toMatchObject({ mapping: 'sequential', delta: -2, lastMappedPort: 40006 });
  });

  test('steps beyond maxDelta are random', () => {
    const p = classifyNat(5000, [o(R1, 5000, '203.0.113.5', 40000), o(R2, 5000, '203.0.113.5', 40100), o(R1, 6000, '203.0.113.5', 40200)]);
    expect(p.mapping).toBe('random');
    expect(classifyNat(5000, p.observations, { maxDelta: 100 }).mapping).toBe('sequential');
  });
});
