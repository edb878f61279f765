import { describe, expect, test } from 'vitest';
import { PunchError } from '../src/errors.js';
import { planPunch } from '../src/plan.js';
import type { Prediction } from '../src/predict.js';

const pp: Prediction = { method: 'port-preservation', publicIp: '203.0.113.100', ports: [12345], localPort: 12345 };
const seq: Prediction = { method: 'sequential', publicIp: '203.0.113.106', ports: [20006, 20008], localPort: 12346 };
const rand: Prediction = { method: 'unpredictable', publicIp: '203.0.113.104', ports: [], localPort: 12347 };

describe('planPunch', () => {
  test('both predictable: aim at every predicted port, LAN first, in order', () => {
    const plan = planPunch({ local: pp, remote: seq, remoteLan: [{ host: '10.7.0.2', port: 12346 }] });
    expect(plan.strategy).toBe('direct');
    expect(plan.candidates).toEqual([
      { host: '10.7.0.2', port: 12346, method: 'lan' },
      { host: '203.0.113.106', port: 20006, method: 'sequential+1' },
      { host: '203.0.113.106', port: 20008, method: 'sequential+2' },
    ]);
  });

  test('predictable side facing a random NAT guesses, the random side sprays, and the sprayer decides', () => {
    const guess = planPunch({ local: pp, remote: rand, rttMs: 50 });
    const spray = planPunch({ local: rand, remote: pp, rttMs: 50 });
    expect(guess).toMatchObject({ strategy: 'birthday-guess', role: 'responder', agreement: 'select', guesses: { host: '203.0.113.104' } });
    expect(spray).toMatchObject({ strategy: 'birthday-spray', role: 'initiator', agreement: 'select', spray: { targets: [{ host: '203.0.113.100', port: 12345 }] } });
    // Both sides use the same round length, so their rounds line up.
    expect(guess.birthday!.roundMs).toBe(spray.birthday!.roundMs);
    // Enough guesses x sprays for a miss per round below 1%.
    const expected = (guess.guesses!.count * spray.spray!.count) / 64512;
    expect(Math.exp(-expected)).toBeLessThan(0.01);
  });

  test('both random fails at once with a typed error', () => {
    expect(() => planPunch({ local: rand, remote: rand })).toThrowError(PunchError);
    try {
      planPunch({ local: rand, remote: rand });
    } catch (err) {
      expect((err as PunchError).code).toBe('unpredictable-peer');
    }
  });

  test('random facing sequential fails at once on both sides', () => {
    for (const [local, remote] of [
      [rand, seq],
      [seq, rand],
    ] as const) {
      expect(() => planPunch({ local, remote })).toThrow(/birthday attack needs one side/);
    }
  });

  test('a LAN address equal to the public IP is not tried twice', () => {
    const plan = planPunch({ local: pp, remote: pp, remoteLan: [{ host: '203.0.113.100', port: 12345 }] });
    expect(plan.candidates).toHaveLength(1);
  });
});
