export { PeerNode, type PeerNodeOptions, type PeerStream, type ConnectionInfo, type ListenOptions } from './peer-node.js';
export { DialError, type DialFailure } from './peer-errors.js';
export { secureStream, WrongKeyError, HandshakeError, type SecureStream, type SecureOptions } from './secure-stream.js';
