/*
 * Fixed local ports for tests that must bind one port twice (a punch, a
 * reflector query from the published port). A port taken from the OS with
 * `listen(0)` and released lies in the ephemeral range (Linux 32768-60999),
 * where any outgoing connect on the machine may take it before the test
 * binds it again. Ports below that range are handed out only to explicit
 * binds, so one that is free now stays free unless a test binds it.
 */
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';

const LOW = 20_000;
const HIGH = 29_999;

function ephemeralRange(): [number, number] {
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (lo && hi) return [lo, hi];
  } catch {
    /* not Linux: assume the Linux default */
  }
  return [32_768, 60_999];
}

// A random start spreads concurrent test processes over the range; the bind check below settles clashes.
let next = LOW + Math.floor(Math.random() * (HIGH - LOW + 1));

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host: '0.0.0.0', exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/** A TCP port outside the ephemeral range that nothing is bound to now. */
export async function fixedPort(): Promise<number> {
  const [lo, hi] = ephemeralRange();
  if (!(HIGH < lo || LOW > hi)) throw new Error(`test port range ${LOW}-${HIGH} overlaps the ephemeral range ${lo}-${hi}`);
  for (let tries = 0; tries < 200; tries++) {
    const port = next;
    next = next >= HIGH ? LOW : next + 1;
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port in ${LOW}-${HIGH} after 200 tries`);
}
