export { type Identity, generateIdentity, identityFromSeed, sign, verify } from './identity.js';
export { DhtNode, type DhtNodeOptions, type HostPort, parseHostPortList } from './dht-node.js';
export { formatHostPort, parseHostPort } from './host-port.js';
export { OBSERVED_ADDRESS_QUERY, type ObservedAddressOptions } from './observed-address.js';
export * from './records.js';
export { MAX_BENCODED_VALUE_BYTES, mutableTarget } from './mutable-item.js';
export { MAX_ENDPOINTS_PER_LIST, MAX_LIFETIME_SEC } from './record-codec.js';
export {
  DhtSignalError,
  DhtStoppedError,
  ObservedAddressError,
  RecordExpiredError,
  RecordInvalidError,
  type RecordInvalidReason,
  RecordNotFoundError,
  RecordPublishError,
  RecordTooLargeError,
} from './errors.js';
