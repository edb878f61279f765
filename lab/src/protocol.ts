import type { HostPort, Prediction, PunchErrorCode, PunchTimings, MappingKind, Observation } from './punch-lib.js';

/** Messages between the harness and the agents (one JSON object per line). */
export type AgentRequest =
  | { id: number; op: 'reflector'; port: number }
  | { id: number; op: 'prepare'; localPort: number; reflectors: HostPort[]; window: number }
  | {
      id: number;
      op: 'punch';
      name: string;
      expectPeer: string;
      localPort: number;
      local: Prediction;
      remote: Prediction;
      remoteLan: HostPort[];
      role: 'initiator' | 'responder';
      startAt: number;
      deadline: number;
      rttMs: number;
    };

export interface PrepareReply {
  mapping: MappingKind;
  reason: string;
  prediction: Prediction;
  lan: HostPort;
  rttMs: number;
  observations: Observation[];
}

export type PunchReply =
  | {
      ok: true;
      strategy: string;
      winner: string;
      winnerEndpoint: string;
      timings: PunchTimings;
      attempts: number;
      refused: number;
      rounds: number;
      peerName: string;
    }
  | { ok: false; code: PunchErrorCode | 'error'; message: string; elapsedMs: number; strategy: string };

export type AgentReply = { id: number; error?: string; result?: unknown };
