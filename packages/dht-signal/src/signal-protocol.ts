/**
 * KRPC extension queries of the signaling relay. bittorrent-dht drops query
 * names it does not know and libtorrent answers them with error 203 ("unknown
 * message"), so a mainline node never acts on them and nothing else in the
 * protocol changes. Every one carries the SignedSignal bytes in `a.m`
 * (never `k`/`sig`/`seq`: the KRPC guard and bittorrent-dht give those BEP 44
 * meanings).
 */
export const SIGNAL_QUERY = {
  /**
   * Listener -> introducer: signed registration. Answer `r.ip` (compact
   * observed address) and either `r.exp` (registered, for that many ms) or
   * only `r.tok`: register again with that token in the body.
   */
  register: 'p2p_node_sig_reg',
  /**
   * Dialer -> introducer: signed request in `a.m`, transmission number in
   * `a.n`. Answer `r.m`: the listener's signed answer, and `r.n`: the
   * transmission whose forward it answered (for timing only, not trusted).
   */
  request: 'p2p_node_sig_req',
  /**
   * Introducer -> listener: the dialer's request, unchanged, in `a.m`, and
   * the dialer's UDP address as the introducer saw it in `a.ip` (compact;
   * the introducer's word, not signed). Answer `r.m`.
   */
  forward: 'p2p_node_sig_fwd',
} as const;

/**
 * KRPC error codes (BEP 5 uses 201-204; 203 is "protocol error"). The 25x
 * range comes from the listener and introducers relay it verbatim.
 */
export const SIGNAL_ERROR = {
  server: 202,
  malformed: 203,
  unknownKey: 240,
  rateLimited: 241,
  unreachable: 242,
  badRegistration: 243,
  tableFull: 244,
  busy: 245,
  badSignature: 250,
  notForMe: 251,
  stale: 252,
  replayed: 253,
  refused: 254,
  /** From the listener: the request is signed but what it carries cannot be read. */
  badRequest: 255,
  /**
   * From the listener: it is at its limit of requests at once (or of
   * requests remembered against replay). Not remembered: the same request,
   * sent again a little later, is looked at afresh.
   */
  listenerBusy: 256,
} as const;

/** Answers that mean "not now": the dialer backs off and asks the same introducer again, until its deadline. */
export function isLoadShedding(code: number): boolean {
  return code === SIGNAL_ERROR.rateLimited || code === SIGNAL_ERROR.busy || code === SIGNAL_ERROR.listenerBusy;
}

export type SignalRejectReason = 'bad-signature' | 'not-for-me' | 'stale' | 'replayed' | 'refused' | 'malformed';

export const REJECT_REASON_BY_CODE: ReadonlyMap<number, SignalRejectReason> = new Map([
  [SIGNAL_ERROR.badSignature, 'bad-signature'],
  [SIGNAL_ERROR.notForMe, 'not-for-me'],
  [SIGNAL_ERROR.stale, 'stale'],
  [SIGNAL_ERROR.replayed, 'replayed'],
  [SIGNAL_ERROR.refused, 'refused'],
  [SIGNAL_ERROR.badRequest, 'malformed'],
]);

/** Listener error codes an introducer passes back to the dialer as they are. */
export function isListenerVerdict(code: number): boolean {
  return code >= 250 && code < 260;
}

/** How far a signed issue time may lie from the receiver's clock, either way. */
export const DEFAULT_FRESHNESS_MS = 30_000;

/** Error texts from strangers are cut to this length before anyone logs or relays them. */
export const MAX_ERROR_TEXT = 200;
