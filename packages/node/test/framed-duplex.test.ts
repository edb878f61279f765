// The framing inside the secure channel (framed-duplex.ts) over real TCP on
// 127.0.0.1: writes of every size around the frame limit, echoed back the
// way `p2p-node listen --echo` does, arrive intact and in order.
import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { MAX_FRAME } from '../src/framed-duplex.js';
import { keyedPair } from './keyed-pair.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('framed duplex', () => {
  it('carries writes of 0, 1, MAX_FRAME-1, MAX_FRAME, MAX_FRAME+1 and several frames through an echo, in order', async () => {
    const { dial, listen } = await keyedPair();
    listen.pipe(listen);
    const sizes = [0, 1, MAX_FRAME - 1, MAX_FRAME, MAX_FRAME + 1, 5 * MAX_FRAME + 7, 3, 2 * MAX_FRAME];
    const parts = Array.from({ length: 6 }, () => sizes.map((n) => randomBytes(n))).flat();
    const sent = Buffer.concat(parts);
    const back: Buffer[] = [];
    dial.on('data', (c: Buffer) => back.push(c));
    const ended = once(dial, 'end');
    for (const p of parts) dial.write(p);
    dial.end();
    await ended;
    const got = Buffer.concat(back);
    expect(got.length).toBe(sent.length);
    expect(sha(got)).toBe(sha(sent));
    // No chunk handed to the reader is larger than one frame's payload.
    expect(Math.max(...back.map((c) => c.length))).toBeLessThanOrEqual(MAX_FRAME);
  });
});
