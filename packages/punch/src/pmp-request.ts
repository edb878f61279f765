import { pmpNat, type Gateway } from '@achingbrain/nat-port-mapper';

/** RFC 6886: the first retransmission after 250 ms, each wait twice the one before. */
const FIRST_WAIT_MS = 250;

/**
 * One NAT-PMP request, sent again until answered or `signal` ends it.
 * @achingbrain/nat-port-mapper 4.0.5 sends a request once, and a lost
 * answer leaves its client waiting for it for good, with every later
 * request queued behind it: a lost unmap answer kept the unmaps asked again
 * from ever leaving (lab, dial --port-mapping with NAT-PMP answers dropped:
 * ports left mapped), and a lost renewal answer would stall every renewal
 * after it. So each try runs on a fresh client, the one before closed first
 * (they all bind the NAT-PMP client port). Rejects with the gateway's
 * answer when it is an error, or with the abort once `signal` ends.
 */
export async function pmpRequest<T>(gatewayIp: string, send: (client: Gateway, signal: AbortSignal) => Promise<T>, signal: AbortSignal, opts: { once?: boolean } = {}): Promise<T> {
  for (let wait = FIRST_WAIT_MS; ; wait *= 2) {
    const client = pmpNat(gatewayIp, { autoRefresh: false });
    const thisTry = opts.once ? signal : AbortSignal.any([signal, AbortSignal.timeout(wait)]);
    try {
      return await send(client, thisTry);
    } catch (err) {
      // An answer that is an error, or out of time altogether: no use asking again.
      if (signal.aborted || !thisTry.aborted) throw err;
    } finally {
      await client.stop({ signal: AbortSignal.timeout(FIRST_WAIT_MS) }).catch(() => undefined);
    }
  }
}
