import { isIPv4 } from 'node:net';
import { readJsonStateFile, writeFileAtomic } from './state-file.js';

/**
 * What a long-lived node keeps across restarts, as mainline clients do: its
 * DHT node id (others' routing tables and stored records know it by that id)
 * and the external IP the id was derived from (BEP 42).
 */
export interface NodeState {
  nodeId: Uint8Array;
  /** The public IPv4 address the id is valid for, once known. */
  externalIp?: string;
}

const KIND = 'p2p-node-dht-state';
/** A state file is a few dozen bytes; anything much bigger is not ours. */
const MAX_FILE_BYTES = 4096;

/** `listen`'s state file: beside the key file, named after it (key.json -> key.node.json). */
export function nodeStatePathFor(keyPath: string): string {
  return keyPath.endsWith('.json') ? `${keyPath.slice(0, -'.json'.length)}.node.json` : `${keyPath}.node.json`;
}

/**
 * The saved state, or undefined when there is none. A file that cannot be
 * read as ours is reported through `warn` and ignored (it is rewritten on the
 * next save): a lost node id only costs a fresh one, never a refusal to start.
 */
export async function loadNodeState(path: string, warn: (why: string) => void): Promise<NodeState | undefined> {
  const json = await readJsonStateFile(path, MAX_FILE_BYTES, 'starting with a new DHT node id', warn);
  if (json === undefined) return undefined;
  const state = (typeof json === 'object' && json !== null ? json : {}) as { kind?: unknown; nodeId?: unknown; externalIp?: unknown };
  if (state.kind !== KIND || typeof state.nodeId !== 'string' || !/^[0-9a-f]{40}$/.test(state.nodeId)) {
    warn(`${path} holds no ${KIND} with a 40-hex nodeId; starting with a new DHT node id`);
    return undefined;
  }
  return {
    nodeId: Uint8Array.from(Buffer.from(state.nodeId, 'hex')),
    ...(typeof state.externalIp === 'string' && isIPv4(state.externalIp) ? { externalIp: state.externalIp } : {}),
  };
}

export async function saveNodeState(path: string, state: NodeState): Promise<void> {
  const body = { kind: KIND, nodeId: Buffer.from(state.nodeId).toString('hex'), ...(state.externalIp ? { externalIp: state.externalIp } : {}) };
  await writeFileAtomic(path, `${JSON.stringify(body)}\n`);
}

/** True when `next` differs from what `saved` holds, so a save is due. */
export function nodeStateChanged(saved: NodeState | undefined, next: NodeState): boolean {
  return !saved || Buffer.compare(Buffer.from(saved.nodeId), Buffer.from(next.nodeId)) !== 0 || saved.externalIp !== next.externalIp;
}

/** Saves `next` when it differs from `saved`; a failed save is a warning (the node runs on, with a new id next start). */
export async function rememberNodeState(path: string, saved: NodeState | undefined, next: NodeState, warn: (why: string) => void): Promise<void> {
  if (!nodeStateChanged(saved, next)) return;
  await saveNodeState(path, next).catch((err: Error) => warn(`could not save the DHT node id to ${path}: ${err.message}`));
}

/** PeerNode options that start from a saved state. */
export function nodeStateOptions(saved: NodeState | undefined): { dhtNodeId?: Uint8Array; externalIp?: string } {
  if (!saved) return {};
  return { dhtNodeId: saved.nodeId, ...(saved.externalIp ? { externalIp: saved.externalIp } : {}) };
}
