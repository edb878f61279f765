import { fileURLToPath } from 'node:url';

/**
 * The built `p2p-node` entry point, through the package's own export: the
 * lab runs the CLI exactly as a user would, one process per peer.
 */
export const CLI = fileURLToPath(import.meta.resolve('@p2p-node/node/cli'));
