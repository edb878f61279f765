/**
 * The one error shape of p2p-node: every error thrown on purpose carries a
 * stable `code` that code branches on (and the CLI maps to an exit code);
 * `message` is for people. Each package subclasses it for its own failures,
 * so `err instanceof P2pNodeError` tells a known failure from a bug.
 */
export class P2pNodeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
