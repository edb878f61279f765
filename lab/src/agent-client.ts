import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { spawnInNs, stopProcess, waitForLine } from './procs.js';
import type { AgentRequest, PrepareReply, PunchReply } from './protocol.js';

const AGENT_JS = fileURLToPath(new URL('./agent.js', import.meta.url));

type Req = AgentRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** The harness side of one agent process. Every call is bounded in time. */
export class AgentClient {
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private buf = '';

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (d: Buffer) => {
      this.buf += d.toString();
      let nl: number;
      while ((nl = this.buf.indexOf('\n')) >= 0) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        this.onLine(line);
      }
    });
    child.once('exit', () => {
      for (const [, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject(new Error(`agent ${name} exited`));
      }
      this.pending.clear();
    });
  }

  static async start(name: string, ns: string): Promise<AgentClient> {
    const child = spawnInNs(ns, process.execPath, [AGENT_JS]);
    child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[${name}] ${d}`));
    const client = new AgentClient(name, child);
    await waitForLine(child, /"ready":true/, 10_000);
    return client;
  }

  private onLine(line: string): void {
    let msg: { id?: number; result?: unknown; error?: string };
    try {
      msg = JSON.parse(line);
    } catch {
      return;
    }
    if (msg.id === undefined) return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.error) p.reject(new Error(`${this.name}: ${msg.error}`));
    else p.resolve(msg.result);
  }

  call<T>(req: Req, timeoutMs: number): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: no answer to ${req.op} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.child.stdin?.write(JSON.stringify({ ...req, id }) + '\n');
    });
  }

  prepare(req: Omit<Extract<AgentRequest, { op: 'prepare' }>, 'id' | 'op'>): Promise<PrepareReply> {
    return this.call<PrepareReply>({ op: 'prepare', ...req }, 15_000);
  }

  punch(req: Omit<Extract<AgentRequest, { op: 'punch' }>, 'id' | 'op'>): Promise<PunchReply> {
    return this.call<PunchReply>({ op: 'punch', ...req }, req.deadline - Date.now() + 10_000);
  }

  stop(): Promise<void> {
    return stopProcess(this.child);
  }
}
