export { type Identity, generateIdentity, identityFromSeed, sign, verify } from './identity.js';
export { DhtNode, type DhtNodeOptions } from './dht-node.js';
export { nodeIdForIp, isNodeIdValidForIp } from './node-id.js';
// Shared vocabulary, re-exported so importers of dht-signal need not know where it lives.
export { type HostPort, formatHostPort, parseHostPort, parseHostPortList } from '@p2p-node/protos';
export { OBSERVED_ADDRESS_QUERY, type ObservedAddressOptions } from './observed-address.js';
export * from './records.js';
export { MAX_BENCODED_VALUE_BYTES, mutableTarget } from './mutable-item.js';
export { MAX_ENDPOINTS_PER_LIST, MAX_LIFETIME_SEC } from './record-codec.js';
export {
  DhtBindError,
  DhtSignalError,
  DhtStoppedError,
  ObservedAddressError,
  RecordExpiredError,
  RecordInvalidError,
  type RecordInvalidReason,
  RecordNotFoundError,
  RecordLookupIncompleteError,
  RecordPublishError,
  RecordTooLargeError,
} from './errors.js';
export { serveIntroducer, type Introducer, type IntroducerOptions, type IntroducerStats } from './introducer.js';
export type { RateLimitOptions } from './rate-limit.js';
export {
  SignalListener,
  type IntroducerRegistration,
  type PunchRequest,
  type PunchReply,
  type PunchRequestHandler,
  type SignalListenerOptions,
} from './signal-listener.js';
export { requestPunch, type PunchAnswer, type PunchRequestResult, type RequestPunchOptions } from './signal-dialer.js';
export { type PunchOffer, encodeOffer, decodeOffer, sealSignal, readSignal, openSignal, SignalDecodeError, SIGNAL_SIGNATURE_DOMAIN, MAX_OFFER_ENDPOINTS } from './signal-codec.js';
export { SIGNAL_ERROR, SIGNAL_QUERY, type SignalRejectReason } from './signal-protocol.js';
export {
  type IntroducerAttempt,
  type IntroducerOutcome,
  SignalRejectedError,
  SignalTimeoutError,
  SignalBusyError,
  SignalUnreachableError,
} from './signal-errors.js';
