export { startReflector, queryReflector, type Reflector, type ReflectorAnswer, type QueryOptions } from './reflector.js';
export { classifyNat, type ClassifyOptions } from './classify.js';
export { profileNat, type ProfileOptions, type ProfileResult } from './profile.js';
export { predict, PREDICTION_METHOD, sharesOnePublicPort, type Prediction, type PredictionMethod, type PredictOptions } from './predict.js';
export { planPunch, type PlanInput, type PunchPlan } from './plan.js';
export { punch, type PunchOptions, type PunchResult, type PunchRole, type PunchTimings } from './punch.js';
export type { Candidate, SprayPlan, GuessPlan, BirthdayTiming } from './candidate.js';
export type { MappingKind, NatProfile, Observation } from './profile-types.js';
export { PunchError, ReflectorError, type PunchErrorCode } from './errors.js';
// Shared vocabulary, re-exported so importers of punch need not know where it lives.
export { parseHostPort, formatHostPort, type HostPort } from '@p2p-node/protos';
export { MappingKeeper, type MappingKeeperOptions } from './keepalive.js';
export { bothIpv6, connectPeer, type ConnectPeerOptions, type ConnectResult, type PeerSide } from './connect-policy.js';
export { connectFirst } from './direct-connect.js';
export { mapPort, PortMappingError, type MapPortOptions, type PortMapping, type PortMappingProtocol } from './port-mapping.js';
export { gatewayTowards, gatewayFromRouteTable } from './gateway.js';
