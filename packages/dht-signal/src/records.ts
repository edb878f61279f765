// The record layer in one import: what a peer publishes and how others read it.
export { RECORD_SALT, type RecordContent, type NatInfo, type NatMapping } from './record-codec.js';
export { RecordPublisher, type PublisherOptions, type PublishResult } from './record-publisher.js';
export { RecordResolver, type ResolverOptions, type VerifiedRecord } from './record-resolver.js';
