export { PeerNode, type PeerNodeOptions, type PeerStream, type ConnectionInfo, type ListenOptions, type DialOptions } from './peer-node.js';
export { StreamOpenError } from './keyed-stream.js';
export { P2pNodeError } from '@p2p-node/protos';
export { DialError, type DialFailure } from './peer-errors.js';
export { RelayError, type RelayFailure } from './relay-client.js';
export type { SecureStream } from './secure-stream.js';
// What a PeerNode is made from, so that an application needs only this package.
export { generateIdentity, identityFromSeed, type Identity, type HostPort } from '@p2p-node/dht-signal';
