/*
 * @p2p-node/punch's mapPort against miniupnpd in a lab NAT box (kind
 * `upnp`), from a host behind it (lab/src/map-port-main.ts), while the test
 * reads the box's forwarding rules: a short NAT-PMP lease renewed at half
 * its length outlives several leases and is gone once released; the same
 * lease not renewed lapses, so the box really expires leases and the first
 * test could fail. (Listeners dialed at their mapped port: dial.test.ts.)
 */
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DialLab } from '../src/dial-lab.js';
import type { NatBox } from '../src/topology.js';
import { labAvailability, root } from './availability.js';

const { why, buildError } = labAvailability('PORT MAPPING LAB TESTS');
const LEASE_SEC = 4;

interface Lab {
  lab: DialLab;
  box: NatBox;
  mappedPorts: (box: NatBox) => number[];
  spawnInNs: (ns: string, cmd: string, args: string[]) => ChildProcess;
}

if (why && process.env.CI === 'true') {
  test('runs in CI', () => {
    throw new Error(`CI=true but the port mapping lab cannot run here: ${why}`);
  });
}

describe.skipIf(why !== null)('port mapping against miniupnpd in a lab NAT box', () => {
  let l: Lab | undefined;

  beforeAll(async () => {
    if (buildError) return;
    // From the compiled lab: it finds its helpers (the STUN server, delayq) next to itself.
    const { DialLab } = (await import(join(root, 'lab/dist/dial-lab.js'))) as typeof import('../src/dial-lab.js');
    const { mappedPorts } = (await import(join(root, 'lab/dist/upnp.js'))) as typeof import('../src/upnp.js');
    const { spawnInNs } = (await import(join(root, 'lab/dist/procs.js'))) as typeof import('../src/procs.js');
    const lab = new DialLab();
    try {
      await lab.setUp([{ name: 'upnp1', kind: 'upnp', hosts: 1 }]);
    } catch (err) {
      await lab.tearDown();
      throw err;
    }
    l = { lab, box: lab.topo.nats.get('upnp1')!, mappedPorts, spawnInNs };
  }, 120_000);

  afterAll(async () => {
    await l?.lab.tearDown();
  });

  /** Holds a mapping from the host behind the box for `holdMs`, renewed every `renewMs`; reads the box's mapped ports at `sampleAtMs`. */
  async function hold(renewMs: number, holdMs: number, sampleAtMs: number) {
    expect(buildError, 'the lab does not build').toBeNull();
    const { lab, box, mappedPorts, spawnInNs } = l!;
    const child = spawnInNs(lab.host('upnp1').ns, process.execPath, [
      join(root, 'lab/dist/map-port-main.js'),
      '--reflector',
      lab.topo.reflectors[0]!.ip,
      '--lease',
      String(LEASE_SEC),
      '--renew-ms',
      String(renewMs),
      '--hold-ms',
      String(holdMs),
    ]);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    // 'close', not 'exit': out is read to its end by then.
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    const t0 = Date.now();
    for (let i = 0; i < 100 && !out.includes('\n'); i++) await new Promise((r) => setTimeout(r, 50));
    const mapped = JSON.parse(out.split('\n')[0]!) as { external: { host: string; port: number }; protocol: string };
    const atFirst = mappedPorts(box);
    await new Promise((r) => setTimeout(r, sampleAtMs - (Date.now() - t0)));
    const atSample = mappedPorts(box);
    const code = await exited;
    return { mapped, atFirst, atSample, afterRelease: mappedPorts(box), code, out };
  }

  test(`a ${LEASE_SEC} s NAT-PMP lease renewed every ${LEASE_SEC / 2} s is still mapped after ${LEASE_SEC * 2.5} s, and gone once released`, async () => {
    const r = await hold((LEASE_SEC * 1000) / 2, LEASE_SEC * 3000, LEASE_SEC * 2500);
    expect(r.mapped.protocol).toBe('nat-pmp');
    expect(r.mapped.external.host).toBe(l!.box.wanIp);
    expect(r.atFirst).toContain(r.mapped.external.port);
    expect(r.atSample, 'the mapping lapsed although renewed').toContain(r.mapped.external.port);
    expect(r.out).not.toMatch(/renew failed/);
    expect(r.code, r.out).toBe(0);
    expect(r.afterRelease).not.toContain(r.mapped.external.port);
  }, 30_000);

  test(`the same lease not renewed lapses within ${LEASE_SEC * 1.5} s: the box expires leases`, async () => {
    const r = await hold(60_000, LEASE_SEC * 2000, LEASE_SEC * 1500);
    expect(r.atFirst).toContain(r.mapped.external.port);
    expect(r.atSample, 'the box kept an unrenewed mapping past its lease').not.toContain(r.mapped.external.port);
    expect(r.code, r.out).toBe(0);
  }, 30_000);
});
