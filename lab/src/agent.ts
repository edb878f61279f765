/*
 * A lab peer: runs inside one host namespace (`ip netns exec ... node
 * agent.js`), takes JSON requests on stdin and answers on stdout. It uses the
 * real punch package and real sockets; the harness only tells it when to
 * start and what the other side predicted (standing in for signaling).
 */
import { createInterface } from 'node:readline';
import type { Socket } from 'node:net';
import { startReflector, profileNat, predict, planPunch, punch, PunchError, type Reflector } from './punch-lib.js';
import type { AgentRequest, PrepareReply, PunchReply } from './protocol.js';

const reflectors: Reflector[] = [];

function send(obj: unknown): void {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

/** After the punch, each side says who it is: proves the socket reaches the right peer, not a stray one. */
function exchangeNames(socket: Socket, name: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => fail(new Error('no name from peer')), timeoutMs);
    const onData = (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        cleanup();
        resolve(buf.slice(0, nl));
      }
    };
    const fail = (e: Error) => {
      cleanup();
      reject(e);
    };
    const onClose = () => fail(new Error('peer closed before naming itself'));
    const cleanup = () => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', fail);
    };
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.on('error', fail);
    socket.write(name + '\n');
  });
}

async function handle(req: AgentRequest): Promise<unknown> {
  switch (req.op) {
    case 'reflector': {
      reflectors.push(await startReflector({ host: '0.0.0.0', port: req.port }));
      return { listening: req.port };
    }
    case 'prepare': {
      const profile = await profileNat({ reflectors: req.reflectors, localPort: req.localPort, timeoutMs: 2_500 });
      const prediction = predict(profile, { window: req.window });
      const lanHost = profile.observations.find((o) => o.local.port === req.localPort)?.local.host ?? '';
      const reply: PrepareReply = {
        mapping: profile.mapping,
        reason: profile.reason,
        prediction,
        lan: { host: lanHost, port: req.localPort },
        rttMs: profile.rttMs,
        observations: profile.observations,
      };
      return reply;
    }
    case 'punch': {
      const asked = Date.now();
      let strategy = 'none';
      try {
        const plan = planPunch({ local: req.local, remote: req.remote, remoteLan: req.remoteLan, rttMs: req.rttMs });
        strategy = plan.strategy;
        const res = await punch({
          localPort: req.localPort,
          candidates: plan.candidates,
          ...(plan.spray ? { spray: plan.spray } : {}),
          ...(plan.guesses ? { guesses: plan.guesses } : {}),
          ...(plan.birthday ? { birthday: plan.birthday } : {}),
          role: plan.role ?? req.role,
          ...(plan.agreement ? { agreement: plan.agreement } : {}),
          startAt: req.startAt,
          deadline: req.deadline,
        });
        try {
          const peerName = await exchangeNames(res.socket, req.name, 5_000);
          const reply: PunchReply = {
            ok: true,
            strategy,
            winner: res.winner.method,
            winnerEndpoint: `${res.socket.remoteAddress}:${res.socket.remotePort}`,
            timings: res.timings,
            attempts: res.attempts,
            refused: res.refused,
            rounds: res.rounds,
            peerName,
          };
          return reply;
        } finally {
          res.socket.destroy();
        }
      } catch (err) {
        const reply: PunchReply = {
          ok: false,
          code: err instanceof PunchError ? err.code : 'error',
          message: (err as Error).message,
          // From the request, not from startAt: a plan refused up front
          // must show how fast it gave up (it never waits for startAt).
          elapsedMs: Date.now() - Math.min(asked, req.startAt),
          strategy,
        };
        return reply;
      }
    }
  }
}

const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  let req: AgentRequest;
  try {
    req = JSON.parse(line) as AgentRequest;
  } catch {
    return;
  }
  handle(req).then(
    (result) => send({ id: req.id, result }),
    (err: Error) => send({ id: req.id, error: err.message }),
  );
});
// The harness closing our stdin means "stop": never outlive it.
rl.on('close', () => {
  for (const r of reflectors) void r.close();
  process.exit(0);
});
send({ ready: true });
