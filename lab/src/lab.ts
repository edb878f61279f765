import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AgentClient } from './agent-client.js';
import { CONDITIONS, EARLY_BIRD_ROWS, NAT_SPECS, ROWS, type Condition, type PairRow } from './cells.js';
import { removeStaleNamespaces } from './cleanup.js';
import { DELAYQ_BIN, ImpairedBox } from './impair.js';
import { newRunId } from './names.js';
import { stopAll } from './procs.js';
import { sh } from './sh.js';
import { median, percentile } from './stats.js';
import { buildTopology, destroyNamespaces, flushConntrack, REFLECTOR_PORT, type Topology } from './topology.js';
import { runTrial, type TrialResult } from './trial.js';
import type { PrepareReply } from './protocol.js';
import { checkNatCli, type NatCheck } from './nat-check.js';

export interface LabOptions {
  trials: number;
  /** Punches per trial (see trial.ts). */
  attempts: number;
  earlyTrials: number;
  earlyMs: number;
  rows?: string[];
  conditions?: string[];
  earlyBird: boolean;
  log: (line: string) => void;
}

export interface CellReport {
  row: string;
  label: string;
  condition: string;
  expect: 'connect' | 'fail-fast';
  trials: number;
  successes: number;
  medianMs: number;
  p95Ms: number;
  winners: Record<string, number>;
  strategy: string;
  /** Trials that needed more than one punch. */
  retried: number;
  /**
   * For delayed connect rows: the physical minimum time to connect, one RTT
   * (the SYNs cross, the SYN-ACKs come back). Shown next to the median as
   * information only; time never decides `pass` (a busy machine is slow, not wrong).
   */
  minimumMs?: number;
  pass: boolean;
  failures: string[];
}

const DELAYQ_SRC = fileURLToPath(new URL('../delayq/delayq.c', import.meta.url));

/** Compiles the delay shim when missing or older than its source. */
export function buildDelayq(): void {
  if (existsSync(DELAYQ_BIN) && statSync(DELAYQ_BIN).mtimeMs >= statSync(DELAYQ_SRC).mtimeMs) return;
  sh('mkdir', ['-p', fileURLToPath(new URL('../bin', import.meta.url))]);
  sh('gcc', ['-O2', '-Wall', '-o', DELAYQ_BIN, DELAYQ_SRC, '-lnetfilter_queue', '-lnfnetlink'], { timeoutMs: 60_000 });
}

/** Why the lab cannot run here, or null when it can. */
export function labUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'the NAT lab needs root (network namespaces, nftables)';
  for (const tool of ['ip', 'nft', 'iptables', 'conntrack', 'gcc']) {
    try {
      sh('sh', ['-c', `command -v ${tool}`]);
    } catch {
      return `the NAT lab needs \`${tool}\` on PATH`;
    }
  }
  const probe = `p2plab-probe-${process.pid}`;
  try {
    sh('ip', ['netns', 'add', probe]);
    sh('ip', ['netns', 'delete', probe]);
  } catch (err) {
    sh('ip', ['netns', 'delete', probe], { allowFail: true });
    return `network namespaces are not available: ${(err as Error).message}`;
  }
  if (!existsSync('/usr/include/libnetfilter_queue/libnetfilter_queue.h') && !existsSync(DELAYQ_BIN)) {
    return 'the NAT lab needs libnetfilter-queue-dev to build its delay shim';
  }
  return null;
}

export class Lab {
  private topo: Topology;
  private agents = new Map<string, AgentClient>();
  private boxes = new Map<string, ImpairedBox>();
  private port = 10_000;

  constructor(private readonly opts: LabOptions) {
    this.topo = { run: newRunId(), inet: '', reflectors: [], nats: new Map(), namespaces: [] };
  }

  async setUp(rows: PairRow[]): Promise<void> {
    const stale = removeStaleNamespaces();
    if (stale.length) this.opts.log(`removed ${stale.length} namespaces left by an earlier run`);
    buildDelayq();
    const needed = new Set(rows.flatMap((r) => r.pairs.flat().map((p) => p.nat)));
    const specs = NAT_SPECS.filter((s) => needed.has(s.name));
    buildTopology(this.topo, specs);
    for (const r of this.topo.reflectors) {
      const agent = await AgentClient.start(r.name, r.ns);
      this.agents.set(r.name, agent);
      await agent.call({ op: 'reflector', port: REFLECTOR_PORT }, 5_000);
    }
    for (const box of this.topo.nats.values()) {
      this.boxes.set(box.name, await ImpairedBox.start(box));
      for (const h of box.hosts) this.agents.set(h.name, await AgentClient.start(h.name, h.ns));
    }
    this.opts.log(`lab ${this.topo.run}: ${this.topo.namespaces.length} namespaces, ${this.agents.size} agents`);
  }

  private down: Promise<void> | undefined;

  /** Stops every process the lab started and removes every namespace. Safe to call twice, also concurrently (SIGINT during a run). */
  tearDown(): Promise<void> {
    this.down ??= this.doTearDown();
    return this.down;
  }

  private async doTearDown(): Promise<void> {
    await Promise.all([...this.agents.values()].map((a) => a.stop()));
    this.agents.clear();
    await stopAll();
    const failed = destroyNamespaces(this.topo.namespaces);
    this.topo.namespaces = failed;
    if (failed.length) this.opts.log(`could not remove: ${failed.join(', ')}`);
  }

  get namespaces(): string[] {
    return [...this.topo.namespaces];
  }

  private async impair(row: PairRow, cond: Condition): Promise<void> {
    const nats = new Set(row.pairs.flat().map((p) => p.nat));
    const delayUs = (cond.oneWayMs * 1000) / row.passes;
    const loss = cond.loss > 0 ? 1 - Math.pow(1 - cond.loss, 1 / row.passes) : 0;
    for (const [name, box] of this.boxes) {
      await box.set(nats.has(name) ? { delayUs, loss } : { delayUs: 0, loss: 0 });
      flushConntrack(box.box);
    }
  }

  private hostName(nat: string, host: number): string {
    return `${nat}h${host}`;
  }

  async runCell(row: PairRow, cond: Condition, trials: number, earlyMs = 0): Promise<CellReport> {
    await this.impair(row, cond);
    const reflectors = this.topo.reflectors.map((r) => ({ host: r.ip, port: REFLECTOR_PORT }));
    const results: TrialResult[] = [];
    for (let t = 0; t < trials; t++) {
      const shared = this.nextPort();
      const early = earlyMs > 0 ? (t % 2 === 0 ? 'a' : 'b') : '';
      const runs = row.pairs.map(([pa, pb]) => {
        const a = this.hostName(pa.nat, pa.host);
        const b = this.hostName(pb.nat, pb.host);
        return runTrial(
          { name: a, agent: this.agents.get(a)!, localPort: row.samePort ? shared : this.nextPort(), earlyMs: early === 'a' ? earlyMs : 0 },
          { name: b, agent: this.agents.get(b)!, localPort: this.nextPort(), earlyMs: early === 'b' ? earlyMs : 0 },
          reflectors,
          {
            window: 8,
            leadMs: 150,
            // The same 5 s after the later side starts; a punch that did not make
            // it (RST NATs polluted by the early side's SYNs, see README) is
            // better retried from fresh ports than waited for.
            timeoutMs: earlyMs + 5_000,
            lan: row.lan,
            attempts: this.opts.attempts,
            retryTimeoutMs: 5_000,
            freshPorts: () => [this.nextPort(), this.nextPort()],
          },
        );
      });
      // A pair-of-pairs row (CGN) counts as one success only when every pair connected.
      const rs = await Promise.all(runs);
      const bad = rs.find((r) => !r.ok);
      results.push(bad ?? { ...rs[0]!, ms: Math.max(...rs.map((r) => r.ms)) });
    }
    return this.report(row, cond, results, earlyMs);
  }

  private nextPort(): number {
    // Fresh local ports every trial: old conntrack entries and TIME_WAIT
    // sockets of earlier trials can then neither help nor block a new one.
    this.port = this.port >= 19_990 ? 10_000 : this.port + 1;
    return this.port;
  }

  private report(row: PairRow, cond: Condition, results: TrialResult[], earlyMs: number): CellReport {
    const winners: Record<string, number> = {};
    const ok = results.filter((r) => r.ok);
    for (const r of ok) winners[r.winner] = (winners[r.winner] ?? 0) + 1;
    const times = (row.expect === 'connect' ? ok : results).map((r) => r.ms);
    const minimumMs = row.expect === 'connect' && cond.oneWayMs > 0 ? 2 * cond.oneWayMs : undefined;
    // The verdict is on connections only: every trial connected, or every
    // trial was refused with the typed "unpredictable" error on both sides
    // (a refusal before any punch, which is what makes it fast; the time is shown).
    const pass =
      row.expect === 'connect'
        ? ok.length === results.length
        : results.every((r) => !r.ok && r.codes.length > 0 && r.codes.every((c) => c === 'unpredictable-peer'));
    return {
      row: row.id,
      label: row.label,
      condition: earlyMs ? `${cond.label}, early bird ${earlyMs / 1000} s` : cond.label,
      expect: row.expect,
      trials: results.length,
      successes: ok.length,
      medianMs: median(times),
      p95Ms: percentile(times, 95),
      winners,
      strategy: results[0]?.strategy ?? '',
      retried: results.filter((r) => r.ok && r.attempts > 1).length,
      ...(minimumMs !== undefined ? { minimumMs } : {}),
      pass,
      failures: results.filter((r) => !r.ok).slice(0, 3).map((r) => r.detail),
    };
  }

  /** `p2p-node nat --json` behind every NAT box (see nat-check.ts). */
  natCli(): NatCheck[] {
    return checkNatCli(this.topo);
  }

  /** Profiles every lab host once, from `localPort` (what `p2p-node nat` would print there). */
  async profiles(localPort: number): Promise<{ host: string; kind: string; reply: PrepareReply }[]> {
    const reflectors = this.topo.reflectors.map((r) => ({ host: r.ip, port: REFLECTOR_PORT }));
    const out = [];
    for (const box of this.topo.nats.values()) {
      for (const h of box.hosts) {
        const reply = await this.agents.get(h.name)!.prepare({ localPort, reflectors, window: 8 });
        out.push({ host: h.name, kind: box.kind, reply });
      }
    }
    return out;
  }

  async runMatrix(onCell: (c: CellReport) => void): Promise<CellReport[]> {
    const rows = selectRows(this.opts.rows);
    const conds = CONDITIONS.filter((c) => !this.opts.conditions || this.opts.conditions.includes(c.id));
    const out: CellReport[] = [];
    for (const row of rows) {
      for (const cond of conds) {
        const c = await this.runCell(row, cond, this.opts.trials);
        out.push(c);
        onCell(c);
      }
    }
    if (this.opts.earlyBird) {
      const d25 = CONDITIONS.find((c) => c.id === 'd25')!;
      for (const row of rows.filter((r) => EARLY_BIRD_ROWS.includes(r.id))) {
        const c = await this.runCell(row, d25, this.opts.earlyTrials, this.opts.earlyMs);
        out.push(c);
        onCell(c);
      }
    }
    return out;
  }
}

export function selectRows(ids?: string[]): PairRow[] {
  if (!ids) return ROWS;
  const unknown = ids.filter((id) => !ROWS.some((r) => r.id === id));
  if (unknown.length) throw new Error(`unknown rows: ${unknown.join(', ')} (known: ${ROWS.map((r) => r.id).join(', ')})`);
  return ROWS.filter((r) => ids.includes(r.id));
}
